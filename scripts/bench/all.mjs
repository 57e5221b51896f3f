// npm run bench [-- <options of run.mjs>]
//
// Every bench in turn: the word filter, the load runs of run.mjs (one room, many rooms, the
// socket flood, the join storm with and without mail), then the poll and reaction storms.
// Options after `--` go to run.mjs, the load benchmark; polls.mjs runs with its defaults
// (`npm run bench:polls -- …` takes its own). Stops at the first bench that fails.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [
  ['word-filter.mjs', []],
  ['run.mjs', process.argv.slice(2)],
  ['polls.mjs', []],
];
for (const [script, args] of benches) {
  const { status, signal } = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`${script} failed (${signal ?? `exit code ${status}`}): the benches after it did not run`);
    process.exit(status ?? 1);
  }
}
