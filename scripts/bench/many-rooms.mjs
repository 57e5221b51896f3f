// The many-rooms run: many events at once, each with its own chat and its own few viewers,
// against Palco and, in the same run, the minimal Socket.IO server (a room per event). The
// per-event rate climbs a ladder until a server no longer delivers every message to every
// viewer with p99 within the latency bound.
import {
  adminToken,
  fmt,
  cpuMeter,
  markdownTable,
  ms,
  postJson,
  split,
  startPalco,
  startSocketIo,
  waitForMail,
  worker,
} from './harness.mjs';
import { pool, sleep, summarizeHistograms } from './stats.mjs';

/** A step is sustained when every message reached every viewer with p99 at most this (ms). */
export const p99BoundMs = 250;
/** How long after its last send a step waits for deliveries and acks, in ms. */
const drainMs = 3_000;
/** A step not sustained is run again before the climb ends: one passing hiccup of a shared machine does not end it. */
const triesPerStep = 2;
/** Viewers per event whose every frame is parsed for latency; the others only count. */
const samplesPerEvent = 5;
const moderatorPassword = 'bench-moderator-123';

/**
 * The events, created through the admin API as a producer would: no access code (attendees
 * register; bcrypt is not what this run measures) and one moderator each, who sends the chat.
 */
async function createEvents(baseUrl, count) {
  const token = await adminToken(baseUrl);
  const events = Array.from({ length: count }, (_, i) => ({
    slug: `sala-${i + 1}`,
    phase: i / count,
    moderator: { email: `moderador${i + 1}@bench.test`, password: moderatorPassword },
  }));
  await pool(events, 8, async (event, i) => {
    const created = await postJson(
      `${baseUrl}/api/admin/events`,
      { slug: event.slug, title: `Sala ${i + 1}`, allowed_email_domains: ['bench.test'] },
      { token, expected: 201, what: `creating ${event.slug}` },
    );
    await postJson(
      `${baseUrl}/api/admin/events/${created.id}/staff`,
      { name: `Moderador ${i + 1}`, email: event.moderator.email, role: 'moderador', password: moderatorPassword },
      { token, expected: 201, what: `adding the moderator of ${event.slug}` },
    );
  });
  return events;
}

function sumOf(objects) {
  const total = {};
  for (const object of objects) for (const [key, value] of Object.entries(object)) total[key] = (total[key] ?? 0) + value;
  return total;
}

/** Runs one step on every load process and measures the server's CPU around it. */
async function runStep(workers, serverPids, index, rate, seconds) {
  const meter = cpuMeter([...serverPids, ...workers.map((w) => w.child.pid)]);
  const startAt = Date.now() + 300;
  const reports = await Promise.all(workers.map((w) => w.call({ cmd: 'step', step: index, rate, seconds, startAt, drainMs })));
  const cpu = meter();
  const serverCpu = cpu.each.slice(0, serverPids.length).reduce((a, b) => a + b, 0);
  const loadCpu = cpu.each.slice(serverPids.length).reduce((a, b) => a + b, 0);
  const sent = reports.reduce((sum, r) => sum + r.sent, 0);
  const acked = reports.reduce((sum, r) => sum + r.acked, 0);
  const delivered = reports.reduce((sum, r) => sum + r.delivered, 0);
  const expected = reports.reduce((sum, r) => sum + r.expected, 0);
  const latency = summarizeHistograms(reports.map((r) => r.latency));
  const errors = sumOf(reports.map((r) => r.errors));
  const ratio = expected ? delivered / expected : 0;
  return {
    rate,
    sent,
    acked,
    errors,
    delivered,
    expected,
    ratio,
    latency,
    closes: sumOf(reports.map((r) => r.closes)),
    serverCpuPercent: (serverCpu / cpu.seconds) * 100,
    cpuMsPerThousand: delivered ? (serverCpu * 1000) / (delivered / 1000) : NaN,
    loadCpuPercent: (loadCpu / cpu.seconds) * 100,
    othersCpuPercent: cpu.othersPercent,
    sustained: sent > 0 && acked === sent && delivered >= expected && Object.keys(errors).length === 0 && latency.p99 <= p99BoundMs,
  };
}

function describeStep(result) {
  const parts = [`ratio ${result.ratio.toFixed(4)}`, `p50 ${ms(result.latency.p50)}`, `p99 ${ms(result.latency.p99)}`, `CPU ${fmt(result.serverCpuPercent)} %`];
  if (result.acked < result.sent) parts.push(`${fmt(result.sent - result.acked)} unacked`);
  for (const [code, count] of Object.entries(result.errors)) parts.push(`${count}× ${code}`);
  return parts.join(', ');
}

/**
 * Joins every event's sender and viewers, then climbs the ladder of per-event rates, one step
 * after another, until a step is not sustained. The first step is always run: it is the
 * equal-load comparison.
 */
async function climb(name, { serverPids, workerKind, events, options, afterJoin }) {
  const { eventViewers, loaders, rates, stepSeconds } = options;
  const workers = Array.from({ length: loaders }, () => worker('rooms-load.mjs'));
  const shares = split(events.length, loaders);
  const joinStarted = performance.now();
  const joins = await Promise.all(
    workers.map((w, i) => {
      const first = shares.slice(0, i).reduce((a, b) => a + b, 0);
      return w.call({
        cmd: 'join',
        kind: workerKind,
        events: events.slice(first, first + shares[i]),
        viewersPerEvent: eventViewers,
        samplesPerEvent,
        firstPerson: first * (eventViewers + 1),
      });
    }),
  );
  const join = {
    seconds: (performance.now() - joinStarted) / 1000,
    rooms: joins.reduce((sum, j) => sum + j.rooms, 0),
    viewers: joins.reduce((sum, j) => sum + j.viewers, 0),
    failures: joins.reduce((sum, j) => sum + j.failureCount, 0),
    firstFailures: joins.flatMap((j) => j.failures).slice(0, 3),
  };
  console.log(`${name}: ${join.rooms} events with a sender, ${join.viewers} viewers joined in ${fmt(join.seconds, 1)} s, ${join.failures} failures`, join.firstFailures);
  join.settled = await afterJoin?.(join);
  // Settling after the joins; what the server spends with everyone connected and nobody writing.
  const idleMeter = cpuMeter(serverPids);
  await sleep(3_000);
  const idle = idleMeter();
  join.idleCpuPercent = (idle.each.reduce((a, b) => a + b, 0) / idle.seconds) * 100;
  const steps = [];
  let tag = 0;
  for (const rate of rates) {
    let result;
    for (let attempt = 1; attempt <= triesPerStep; attempt += 1) {
      result = { ...(await runStep(workers, serverPids, tag++, rate, stepSeconds)), attempt };
      console.log(`${name} at ${rate} msg/s per event, try ${attempt}: ${result.sustained ? 'sustained' : 'NOT sustained'} (${describeStep(result)})`);
      await sleep(1_500);
      if (result.sustained) break;
    }
    steps.push(result);
    if (!result.sustained) break;
  }
  await Promise.all(workers.map((w) => w.exit()));
  const sustained = steps.filter((s) => s.sustained);
  return { join, steps, highest: sustained.length ? sustained[sustained.length - 1].rate : 0, toppedLadder: sustained.length === rates.length };
}

async function benchPalco(options) {
  const palco = await startPalco(options);
  try {
    const setupStarted = performance.now();
    const events = await createEvents(palco.baseUrls[0], options.events);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    console.log(`Palco: ${events.length} events and their moderators created through the admin API in ${fmt(setupSeconds, 1)} s`);
    // With several Palco processes the events are spread over them, each event on one.
    for (const [i, event] of events.entries()) event.baseUrl = palco.baseUrls[i % palco.baseUrls.length];
    const afterJoin = async (join) => {
      const mail = await waitForMail(palco, join.viewers);
      console.log(`Palco: ${mail.written} confirmation emails written ${fmt(mail.seconds, 1)} s after the joins`);
      return mail;
    };
    const result = await climb('Palco', { serverPids: palco.pids, workerKind: 'palco', events, options, afterJoin });
    return { ...result, setupSeconds };
  } finally {
    await palco.stop();
  }
}

async function benchSocketIo(options) {
  const server = await startSocketIo();
  try {
    const events = Array.from({ length: options.events }, (_, i) => ({ slug: `sala-${i + 1}`, phase: i / options.events, baseUrl: server.url }));
    return await climb('Socket.IO', { serverPids: [server.pid], workerKind: 'socketio', events, options });
  } finally {
    server.child.kill('SIGKILL');
  }
}

const rateLabel = (run) => (run.toppedLadder ? `≥ ${run.highest}` : String(run.highest));

/**
 * Runs the many-rooms bench. `options`: events, eventViewers, rates (per-event messages/s,
 * ascending), stepSeconds, loaders, db, processes, profile. Answers `{name, body}` for
 * docs/performance.md.
 */
export async function runManyRooms(options, { command, conditions }) {
  const { events, eventViewers, rates, stepSeconds, db, processes } = options;
  const palco = await benchPalco(options);
  const socketio = await benchSocketIo(options);
  const cell = (run, index) => {
    const step = run.steps[index];
    if (!step) return 'not run';
    const verdict = `${step.sustained ? '✓' : '✗'}${step.attempt > 1 ? ` (try ${step.attempt})` : ''}`;
    return `${verdict} ${step.ratio.toFixed(4)}, ${ms(step.latency.p99)}, ${fmt(step.serverCpuPercent)} %, ${fmt(step.cpuMsPerThousand, 1)} ms`;
  };
  const ladderRows = rates.slice(0, Math.max(palco.steps.length, socketio.steps.length)).map((rate, i) => [
    `${rate}`,
    fmt(rate * events * eventViewers),
    cell(palco, i),
    cell(socketio, i),
  ]);
  const ladder = markdownTable(
    ['msg/s per event', 'offered deliveries/s', 'Palco: delivered ratio, p99, server CPU, CPU per 1 000 deliveries', 'Socket.IO: the same'],
    ladderRows,
  );
  const [palcoEqual, socketioEqual] = [palco.steps[0], socketio.steps[0]];
  const cpuRatio = socketioEqual.cpuMsPerThousand / palcoEqual.cpuMsPerThousand;
  const rateRatio = socketio.highest ? palco.highest / socketio.highest : palco.highest ? Infinity : 0;
  const summary = markdownTable(
    ['measure', 'Palco', 'Socket.IO', 'goal', 'met'],
    [
      [
        `server CPU per 1 000 deliveries at ${rates[0]} msg/s per event`,
        `${fmt(palcoEqual.cpuMsPerThousand, 1)} ms`,
        `${fmt(socketioEqual.cpuMsPerThousand, 1)} ms`,
        'Palco ≤ a fifth of Socket.IO',
        `${cpuRatio >= 5 ? 'yes' : 'no'} (Socket.IO ÷ Palco = ${cpuRatio.toFixed(2)})`,
      ],
      [`p50 / p99 at ${rates[0]} msg/s per event`, `${ms(palcoEqual.latency.p50)} / ${ms(palcoEqual.latency.p99)}`, `${ms(socketioEqual.latency.p50)} / ${ms(socketioEqual.latency.p99)}`, `p99 ≤ ${p99BoundMs} ms`, `${palcoEqual.sustained ? 'Palco yes' : 'Palco no'}, ${socketioEqual.sustained ? 'Socket.IO yes' : 'Socket.IO no'}`],
      [
        'highest sustained msg/s per event',
        rateLabel(palco),
        rateLabel(socketio),
        'Palco ≥ 5× Socket.IO',
        `${rateRatio >= 5 ? 'yes' : 'no'} (${ladderRatioLabel(palco, socketio, rateRatio)})`,
      ],
      ['joined: events / viewers / failures', `${palco.join.rooms} / ${fmt(palco.join.viewers)} / ${palco.join.failures}`, `${socketio.join.rooms} / ${fmt(socketio.join.viewers)} / ${socketio.join.failures}`, '', ''],
      ['server CPU with everyone joined and nobody writing', `${fmt(palco.join.idleCpuPercent)} %`, `${fmt(socketio.join.idleCpuPercent)} %`, '', ''],
      ['sockets closed by the server during the ladder', closesLabel(palco), closesLabel(socketio), '', ''],
      ['load generators\' CPU at the first step', `${fmt(palcoEqual.loadCpuPercent)} %`, `${fmt(socketioEqual.loadCpuPercent)} %`, '', ''],
      ['other processes\' CPU, highest over the steps', `${fmt(Math.max(...palco.steps.map((s) => s.othersCpuPercent)))} %`, `${fmt(Math.max(...socketio.steps.map((s) => s.othersCpuPercent)))} %`, '', ''],
    ],
  );
  console.log(`\n${summary}\n\n${ladder}`);
  const heading = [
    `\`${command}\` — ${new Date().toISOString().slice(0, 16)} UTC, ${events} events × ${eventViewers} viewers and 1 sender each, steps of ${stepSeconds} s, ${processes} process(es) on ${db}.`,
    `Machine: ${conditions}. Palco's ${events} events and moderators were created through the admin API in ${fmt(palco.setupSeconds, 1)} s; the ladder began once the ${fmt(palco.join.settled.written)} confirmation emails of the registrations were written, ${fmt(palco.join.settled.seconds, 1)} s after the joins.`,
  ].join('\n');
  return { name: `many-rooms:${db}:${processes}`, body: `${heading}\n\n${summary}\n\n${ladder}\n` };
}

function ladderRatioLabel(palco, socketio, ratio) {
  if (!palco.highest) return `Palco sustained none, not even ${palco.steps[0].rate} msg/s per event`;
  if (!socketio.highest) return `Socket.IO sustained none, not even ${socketio.steps[0].rate} msg/s per event`;
  // The ladder's top limits what a server that sustained it can show.
  if (socketio.toppedLadder) return 'both sustained the top of the ladder: climb higher with --event-rates';
  return `${ratio.toFixed(1)}×${palco.toppedLadder ? ' at least: Palco sustained the top of the ladder' : ''}`;
}

function closesLabel(run) {
  const entries = Object.entries(run.steps.at(-1)?.closes ?? {});
  return entries.length ? entries.map(([code, count]) => `${count}× ${code}`).join(', ') : '0';
}
