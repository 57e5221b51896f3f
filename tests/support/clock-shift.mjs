// Preloaded (`node --import`) into a backend process that a test starts, when the test must
// let time pass on processes that share no clock with it: each SIGUSR2 moves the process's
// Date.now() forward by PALCO_TEST_CLOCK_STEP_MS (61 s unless set) and prints
// `clock moved forward <total ms>` once it has. Timers are left alone: only what compares
// stored instants with "now" (timeouts, expiries, tokens) sees the jump.
const realNow = Date.now.bind(Date);
const stepMs = Number(process.env.PALCO_TEST_CLOCK_STEP_MS ?? 61_000);
let offsetMs = 0;
Date.now = () => realNow() + offsetMs;
process.on('SIGUSR2', () => {
  offsetMs += stepMs;
  process.stdout.write(`clock moved forward ${offsetMs} ms\n`);
});
