// npm run bench [-- --runs one-room,many-rooms,flood,join-mail --db sqlite|mysql --processes 1|2
//                   --loaders 3 --no-write --profile DIR
//                   one room:   --viewers 10000 --rate 100 --seconds 10 --senders 250 --skip-socketio
//                   many rooms: --events 300 --event-viewers 30 --event-rates 2,3,5,… --step-seconds 5
//                   flood:      --flood-seconds 10]
//
// Starts Palco as users run it (production mode, behind TRUST_PROXY) and runs, in turn:
// one big room (a join storm and a chat fan-out, then the same fan-out against a minimal
// Socket.IO server), many rooms at once against both on a ladder of rates, and a socket
// flood. Prints the figures and writes each run's block of docs/performance.md.
import { parseArgs } from 'node:util';
import { machineDescription, writeBlock } from './harness.mjs';
import { runFlood } from './flood.mjs';
import { runJoinMail } from './join-mail.mjs';
import { runManyRooms } from './many-rooms.mjs';
import { runOneRoom } from './one-room.mjs';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: 'one-room,many-rooms,flood,join-mail' },
    db: { type: 'string', default: 'sqlite' },
    processes: { type: 'string', default: '1' },
    loaders: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
    // Each Palco process writes a V8 CPU profile (.cpuprofile) into DIR when it stops.
    profile: { type: 'string' },
    viewers: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    senders: { type: 'string', default: '250' },
    'skip-socketio': { type: 'boolean', default: false },
    events: { type: 'string', default: '300' },
    'event-viewers': { type: 'string', default: '30' },
    // Per-event chat messages/s, climbed in order; the first is the equal-load comparison.
    'event-rates': { type: 'string', default: '2,3,5,8,12,20,30,50,80' },
    'step-seconds': { type: 'string', default: '5' },
    'flood-seconds': { type: 'string', default: '10' },
  },
});
const runs = flags.runs.split(',').map((run) => run.trim());
const known = ['one-room', 'many-rooms', 'flood', 'join-mail'];
for (const run of runs) {
  if (!known.includes(run)) {
    console.error(`--runs: unknown run "${run}"; choose among ${known.join(', ')}`);
    process.exit(2);
  }
}
const shared = { db: flags.db, processes: Number(flags.processes), loaders: Number(flags.loaders), profile: flags.profile };
const oneRoom = {
  ...shared,
  viewers: Number(flags.viewers),
  rate: Number(flags.rate),
  seconds: Number(flags.seconds),
  senders: Math.min(Number(flags.senders), Number(flags.viewers)),
  skipSocketIo: flags['skip-socketio'],
};
oneRoom.intervalMs = (oneRoom.senders / oneRoom.rate) * 1000;
if (runs.includes('one-room') && oneRoom.intervalMs < 2_000) {
  console.error(`--senders ${oneRoom.senders} at --rate ${oneRoom.rate}/s means one message per ${oneRoom.intervalMs} ms per sender: over the attendee limit of 5 per 10 s. Use more senders.`);
  process.exit(2);
}
const manyRooms = {
  ...shared,
  events: Number(flags.events),
  eventViewers: Number(flags['event-viewers']),
  rates: flags['event-rates'].split(',').map(Number),
  stepSeconds: Number(flags['step-seconds']),
};
const flood = { ...shared, floodSeconds: Number(flags['flood-seconds']) };

// Every run ends by itself; this is the bound should a server or a load process stop answering.
const hardLimitMs = 30 * 60_000;
setTimeout(() => {
  console.error(`the bench did not finish within ${hardLimitMs / 60_000} minutes: stopping`);
  process.exit(1);
}, hardLimitMs).unref();

const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
console.log(command);
const started = performance.now();
for (const run of runs) {
  const runStarted = performance.now();
  const context = { command, conditions: machineDescription() };
  console.log(`\n== ${run}`);
  let result;
  if (run === 'one-room') result = await runOneRoom(oneRoom, context);
  else if (run === 'many-rooms') result = await runManyRooms(manyRooms, context);
  else if (run === 'join-mail') result = await runJoinMail({ ...shared, viewers: Number(flags.viewers) }, context);
  else result = await runFlood(flood, context);
  console.log(`${run} took ${Math.round((performance.now() - runStarted) / 1000)} s`);
  if (!flags['no-write']) {
    writeBlock(result.name, result.body);
    console.log(`written to docs/performance.md (block ${result.name})`);
  }
}
console.log(`\nall runs took ${Math.round((performance.now() - started) / 1000)} s`);
process.exit(0);
