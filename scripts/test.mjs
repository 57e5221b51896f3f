// Runs vitest and ends with one plain line, "N passed, N failed, N skipped", so the
// result reads the same in a terminal and in CI. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const resultsFile = '.tmp/test-results.json';
rmSync(resultsFile, { force: true });
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
if (!existsSync(resultsFile)) {
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(run.status || 1);
}
const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status || (failed > 0 || passed === 0 ? 1 : 0));
