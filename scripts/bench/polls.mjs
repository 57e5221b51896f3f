// npm run bench:polls [-- --attendees 10000 --window 10 --storms 3 --db sqlite|mysql
//                        --processes 1|2 --loaders 3 --tappers 1000 --tap-seconds 10 --profile DIR]
//
// A vote storm and a reaction storm: `--attendees` attendees (signed in with identity tokens
// by `--loaders` load processes, sockets spread over `--processes` Palco processes sharing
// the database, and Redis past one) each answer one open poll at a random moment of the same
// `--window` seconds; `--storms` polls one after another, each a new storm. Checks per storm:
// every vote acked once, the stored counts (read back over HTTP) equal the acks per option,
// every viewer's last `poll_results` equals the stored counts, and the most results messages
// any viewer received within one second. Prints the vote→ack latencies of each storm and
// their medians. Then the reaction storm: `--tappers` of the attendees tap at the highest pace
// the per-attendee limit allows (PollLimits: 10 per 5 s, one every 500 ms) for `--tap-seconds`
// s in front of every viewer; checks that every viewer saw every acked tap, and prints the
// server CPU per 1 000 taps and the most `reactions` frames any viewer got in one second
// (`--tappers 0` skips it). `--profile DIR` writes Palco's CPU profiles there.
// Needs `npm run build` first.
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { adminToken, cpuMeter, machineDescription, postJson, split, startPalco, worker } from './harness.mjs';
import { percentile, sleep, summarize } from './stats.mjs';

const { values: flags } = parseArgs({
  options: {
    attendees: { type: 'string', default: '10000' },
    window: { type: 'string', default: '10' },
    storms: { type: 'string', default: '3' },
    db: { type: 'string', default: 'sqlite' },
    processes: { type: 'string', default: '1' },
    loaders: { type: 'string', default: '3' },
    tappers: { type: 'string', default: '1000' },
    'tap-seconds': { type: 'string', default: '10' },
    profile: { type: 'string' },
  },
});
const attendees = Number(flags.attendees);
const windowMs = Number(flags.window) * 1000;
const storms = Number(flags.storms);
const processes = Number(flags.processes);
const loaders = Math.max(1, Math.min(Number(flags.loaders), Math.ceil(attendees / 100)));
const tappers = Math.min(Number(flags.tappers), attendees);
const tapSeconds = Number(flags['tap-seconds']);
/** One tap every 500 ms: PollLimits' 10 reactions per 5 s per attendee, the highest pace it allows. */
const tapEveryMs = 500;
const options = 4;
const slug = 'bench-polls';

/** The staff socket: answers `request` with its ack, and keeps the last results of each poll. */
function staffSocket(baseUrl, token) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?event=${slug}`, { perMessageDeflate: false });
    const pending = new Map();
    const results = new Map();
    let ref = 0;
    const staff = {
      results,
      async ok(message) {
        const reply = await new Promise((answer) => {
          ref += 1;
          pending.set(ref, answer);
          socket.send(JSON.stringify({ ...message, ref }));
        });
        if (reply.type !== 'ack') throw new Error(`${message.type}: ${JSON.stringify(reply)}`);
        return reply.data;
      },
      close: () => socket.close(),
    };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    socket.on('message', (data) => {
      const parsed = JSON.parse(data.toString());
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        if (message.type === 'welcome') resolve(staff);
        else if ((message.type === 'ack' || message.type === 'error') && pending.has(message.ref)) {
          pending.get(message.ref)(message);
          pending.delete(message.ref);
        } else if (message.type === 'poll_results') results.set(message.id, message);
      }
    });
    socket.on('error', reject);
  });
}

/** The poll's results as stored, counted by the database (the staff's view over HTTP). */
async function storedResults(baseUrl, token, pollId) {
  const response = await fetch(`${baseUrl}/api/events/${slug}/polls`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`polls: ${response.status} ${await response.text()}`);
  const body = await response.json();
  return body.poll_results.find((results) => results.id === pollId);
}

// Stopped from outside: exit, so the harness ends the Palco and load processes it started.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const median = (values) => percentile([...values].sort((a, b) => a - b), 50);

const palco = await startPalco({ db: flags.db, processes, profile: flags.profile });
const workers = Array.from({ length: loaders }, () => worker('polls-load.mjs'));
try {
  const { baseUrls, pids } = palco;
  const admin = await adminToken(baseUrls[0]);
  const event = await postJson(`${baseUrls[0]}/api/admin/events`, { slug, title: 'Bench polls', access_code: 'bench-access-code' }, { token: admin, expected: 201, what: 'creating the event' });
  const staff = await staffSocket(baseUrls[0], admin);

  console.log(`polls bench: ${attendees} attendees, ${flags.db}, ${processes} process(es), ${loaders} load processes, votes spread over ${windowMs / 1000} s`);
  console.log(`  machine: ${machineDescription()}`);
  const joinStarted = performance.now();
  const shares = split(attendees, loaders);
  const joins = await Promise.all(
    workers.map((w, i) => w.call({ cmd: 'join', baseUrls, slug, secret: event.embed_secret, offset: shares.slice(0, i).reduce((a, b) => a + b, 0), count: shares[i] })),
  );
  const connected = joins.reduce((sum, j) => sum + j.connected, 0);
  const failures = joins.reduce((sum, j) => sum + j.failureCount, 0);
  console.log(
    `joined ${connected}/${attendees} attendees in ${((performance.now() - joinStarted) / 1000).toFixed(1)} s (sign-in ${Math.max(...joins.map((j) => j.signInSeconds)).toFixed(1)} s, sockets ${Math.max(...joins.map((j) => j.connectSeconds)).toFixed(1)} s)${failures ? `; ${failures} failures, e.g. ${joins.flatMap((j) => j.failures)[0]}` : ''}`,
  );
  await sleep(2_000);

  const rows = [];
  for (let storm = 1; storm <= storms; storm += 1) {
    const poll = await staff.ok({ type: 'poll_create', kind: 'single', question: `¿Pregunta ${storm}?`, options: ['Sí', 'No', 'Quizá', 'Nunca'] });
    await staff.ok({ type: 'poll_open', id: poll.id });
    await staff.ok({ type: 'poll_reveal', id: poll.id });
    await sleep(500);
    const meter = cpuMeter(pids);
    const votes = await Promise.all(workers.map((w) => w.call({ cmd: 'vote', pollId: poll.id, startAt: Date.now() + 300, windowMs, options })));
    const cpu = meter();
    const acked = votes.reduce((sum, v) => sum + v.acked, 0);
    const retried = votes.reduce((sum, v) => sum + v.retried, 0);
    const refused = {};
    for (const v of votes) for (const [code, count] of Object.entries(v.codes)) refused[code] = (refused[code] ?? 0) + count;
    const ackedPerOption = Array.from({ length: options }, (_, i) => votes.reduce((sum, v) => sum + (v.ackedPerOption[i + 1] ?? 0), 0));
    const latency = summarize(votes.flatMap((v) => v.latencies));
    // The results of the last votes are paced (two frames a second): give them time to arrive.
    const waitStarted = performance.now();
    while ((staff.results.get(poll.id)?.total ?? 0) < acked && performance.now() - waitStarted < 30_000) await sleep(50);
    await sleep(1_500);
    const stored = await storedResults(baseUrls[0], admin, poll.id);
    const storedEqualsAcks = stored.total === acked && stored.options.every((option, i) => option.count === ackedPerOption[i]);
    const seen = await Promise.all(workers.map((w) => w.call({ cmd: 'results', pollId: poll.id, expected: { total: stored.total, options: stored.options } })));
    const viewersExact = seen.reduce((sum, s) => sum + s.exact, 0);
    const busiest = Math.max(...seen.map((s) => s.busiest));
    const shortestGap = Math.min(...seen.map((s) => s.shortestGap));
    await staff.ok({ type: 'poll_close', id: poll.id });
    const row = {
      storm,
      acked,
      refused,
      latency,
      storedEqualsAcks,
      viewersExact,
      viewers: connected,
      busiest,
      serverCpuPercent: cpu.each.map((seconds) => (seconds / cpu.seconds) * 100),
      othersCpuPercent: cpu.othersPercent,
    };
    rows.push(row);
    console.log(
      `storm ${storm}: ${acked}/${connected} acked${Object.keys(refused).length ? ` (refused ${JSON.stringify(refused)})` : ''}${retried ? ` after ${retried} votes sent again on service_unavailable` : ''}; vote→ack p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms, max ${latency.max.toFixed(0)} ms`,
    );
    console.log(
      `  stored ${stored.total} [${stored.options.map((o) => o.count).join(', ')}] = acks [${ackedPerOption.join(', ')}]: ${storedEqualsAcks ? 'exact' : 'MISMATCH'}; viewers whose last poll_results equals them: ${viewersExact}/${connected}; most poll_results in one second, any viewer: ${busiest} (shortest gap between two arrivals ${shortestGap.toFixed(0)} ms)`,
    );
    const palcoCpuSeconds = cpu.each.reduce((a, b) => a + b, 0);
    console.log(
      `  CPU during the storm (${cpu.seconds.toFixed(1)} s): Palco ${row.serverCpuPercent.map((p) => `${p.toFixed(0)}%`).join(' + ')} of one core (${((palcoCpuSeconds * 1000) / Math.max(1, acked)).toFixed(2)} ms per vote, fan-out included); everything else on the machine ${cpu.othersPercent.toFixed(0)}% (load processes included)`,
    );
  }
  if (rows.length > 1) {
    console.log(
      `median of ${rows.length} storms: ack p50 ${median(rows.map((r) => r.latency.p50)).toFixed(0)} ms, p95 ${median(rows.map((r) => r.latency.p95)).toFixed(0)} ms, p99 ${median(rows.map((r) => r.latency.p99)).toFixed(0)} ms; every storm exact: ${rows.every((r) => r.storedEqualsAcks && r.viewersExact === r.viewers) ? 'yes' : 'NO'}; busiest second ≤ 2 in every storm: ${rows.every((r) => r.busiest <= 2) ? 'yes' : 'NO'}`,
    );
  }

  let reactionsExact = true;
  if (tappers > 0) {
    const tapShares = split(tappers, loaders);
    const meter = cpuMeter(pids);
    const reacted = await Promise.all(workers.map((w, i) => w.call({ cmd: 'react', tappers: tapShares[i], seconds: tapSeconds, everyMs: tapEveryMs })));
    const cpu = meter();
    const sent = reacted.reduce((sum, r) => sum + r.sent, 0);
    const acked = reacted.reduce((sum, r) => sum + r.acked, 0);
    const refused = {};
    for (const r of reacted) for (const [code, count] of Object.entries(r.codes)) refused[code] = (refused[code] ?? 0) + count;
    const seen = {};
    for (const r of reacted) for (const [total, count] of Object.entries(r.seen)) seen[total] = (seen[total] ?? 0) + count;
    const sawEvery = seen[acked] ?? 0;
    reactionsExact = sawEvery === connected;
    const busiest = Math.max(...reacted.map((r) => r.busiest));
    const shortestGap = Math.min(...reacted.map((r) => r.shortestGap));
    const palcoCpuMs = cpu.each.reduce((a, b) => a + b, 0) * 1000;
    console.log(
      `reaction storm: ${tappers} attendees tapping one 👏 every ${tapEveryMs} ms for ${tapSeconds} s in front of ${connected} viewers: ${acked}/${sent} taps acked${Object.keys(refused).length ? ` (refused ${JSON.stringify(refused)})` : ''}; viewers who saw every acked tap: ${sawEvery}/${connected}${reactionsExact ? '' : ` (MISMATCH: claps seen → viewers ${JSON.stringify(seen)})`}`,
    );
    console.log(
      `  most reactions frames in one second, any viewer: ${busiest} (shortest gap between two arrivals ${shortestGap.toFixed(0)} ms); CPU (${cpu.seconds.toFixed(1)} s, the taps and 2 s after): Palco ${cpu.each.map((seconds) => `${((seconds / cpu.seconds) * 100).toFixed(0)}%`).join(' + ')} of one core, ${((palcoCpuMs * 1000) / Math.max(1, acked)).toFixed(0)} ms per 1 000 taps (fan-out included); everything else on the machine ${cpu.othersPercent.toFixed(0)}%`,
    );
  }
  staff.close();
  process.exitCode = rows.every((r) => r.storedEqualsAcks && r.viewersExact === r.viewers && r.acked === r.viewers) && reactionsExact ? 0 : 1;
} finally {
  await Promise.all(workers.map((w) => w.exit()));
  await palco.stop();
}
