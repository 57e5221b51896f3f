// The one-big-room run: a join storm and a chat fan-out to every viewer of one event, from
// separate load processes, then the same fan-out against the minimal Socket.IO server.
import { adminToken, cpuMeter, fmt, kib, markdownTable, ms, postJson, split, startPalco, startSocketIo, waitForMail, worker } from './harness.mjs';
import { rssBytes, sleep, summarize } from './stats.mjs';

function mergeLatency(parts) {
  // Each loader reports percentiles of its sample; the worst of them is the honest figure.
  const pick = (key) => Math.max(...parts.map((p) => (Number.isFinite(p[key]) ? p[key] : 0)));
  return { p50: pick('p50'), p95: pick('p95'), p99: pick('p99'), samples: parts.reduce((s, p) => s + p.count, 0) };
}

async function fanOut(workers, pids, { senders, intervalMs, seconds }) {
  const meter = cpuMeter([...pids, ...workers.map((w) => w.child.pid)]);
  const startedAt = Date.now();
  const sent = await Promise.all(workers.map((w, i) => w.call({ cmd: 'send', senders: split(senders, workers.length)[i], intervalMs, seconds })));
  await sleep(2_000);
  const reports = await Promise.all(workers.map((w) => w.call({ cmd: 'report' })));
  const measured = meter();
  const elapsed = measured.seconds;
  const cpu = measured.each.slice(0, pids.length).reduce((a, b) => a + b, 0);
  const loadCpu = measured.each.slice(pids.length).reduce((a, b) => a + b, 0);
  // Acks that arrive after the send window still count: a server that falls behind acks late.
  const acked = reports.reduce((sum, r) => sum + r.acked, 0);
  const errors = sent.reduce((sum, s) => sum + s.errors, 0);
  const delivered = reports.reduce((sum, r) => sum + r.delivered, 0);
  const connected = reports.reduce((sum, r) => sum + r.viewers, 0);
  // Deliveries over the time they really took, from the first send to the last delivery seen
  // by any viewer: a server that falls behind is not credited with the drain after the window.
  const lastDeliveryAt = Math.max(...reports.map((r) => r.lastDeliveryAt));
  const deliverySeconds = Math.max(seconds, (lastDeliveryAt - startedAt) / 1000);
  return {
    acked,
    errors,
    delivered,
    ratio: acked ? delivered / (acked * connected) : 0,
    deliverySeconds,
    deliveriesPerSecond: delivered / deliverySeconds,
    latency: mergeLatency(reports.map((r) => r.latency)),
    cpuPercent: (cpu / elapsed) * 100,
    loadCpuPercent: (loadCpu / elapsed) * 100,
    othersCpuPercent: measured.othersPercent,
    closed: reports.reduce((sum, r) => sum + (r.closed ?? 0), 0),
  };
}

async function benchPalco(options) {
  const { viewers, loaders } = options;
  const palco = await startPalco(options);
  try {
    const { baseUrls, pids } = palco;
    await postJson(
      `${baseUrls[0]}/api/admin/events`,
      { slug: 'bench', title: 'Bench', allowed_email_domains: ['bench.test'], access_code: 'bench-access-code' },
      { token: await adminToken(baseUrls[0]), expected: 201, what: 'creating the event' },
    );
    const rssBefore = pids.map(rssBytes).reduce((a, b) => a + b, 0);
    const workers = Array.from({ length: loaders }, () => worker('palco-load.mjs'));
    const shares = split(viewers, loaders);
    const joinStarted = performance.now();
    const joins = await Promise.all(
      workers.map((w, i) =>
        w.call({ cmd: 'join', baseUrls, slug: 'bench', domain: 'bench.test', offset: shares.slice(0, i).reduce((a, b) => a + b, 0), count: shares[i], samples: 100 }),
      ),
    );
    const joinSeconds = (performance.now() - joinStarted) / 1000;
    const registered = joins.reduce((sum, j) => sum + j.registered, 0);
    const connected = joins.reduce((sum, j) => sum + j.connected, 0);
    const registerSeconds = Math.max(...joins.map((j) => j.registerSeconds));
    const mail = await waitForMail(palco, registered);
    await sleep(3_000);
    const rssIdle = pids.map(rssBytes).reduce((a, b) => a + b, 0);
    const fan = await fanOut(workers, pids, options);
    await Promise.all(workers.map((w) => w.exit()));
    return {
      join: {
        registered,
        connected,
        failures: joins.reduce((sum, j) => sum + j.failureCount, 0),
        firstFailures: joins.flatMap((j) => j.failures).slice(0, 3),
        seconds: joinSeconds,
        registrationsPerSecond: registered / registerSeconds,
        connect: summarize(joins.flatMap((j) => j.connectMs)),
        mail,
      },
      memory: { perConnection: (rssIdle - rssBefore) / Math.max(1, connected) },
      fan,
    };
  } finally {
    await palco.stop();
  }
}

async function benchSocketIo(options) {
  const { viewers, loaders } = options;
  const server = await startSocketIo();
  const workers = Array.from({ length: loaders }, () => worker('socketio-load.mjs'));
  const rssBefore = rssBytes(server.pid);
  const joins = await Promise.all(workers.map((w, i) => w.call({ cmd: 'join', url: server.url, count: split(viewers, loaders)[i], samples: 100 })));
  await sleep(3_000);
  const rssIdle = rssBytes(server.pid);
  const connected = joins.reduce((sum, j) => sum + j.connected, 0);
  const fan = await fanOut(workers, [server.pid], options);
  await Promise.all(workers.map((w) => w.exit()));
  server.child.kill('SIGKILL');
  return { connected, memory: { perConnection: (rssIdle - rssBefore) / Math.max(1, connected) }, fan };
}

/**
 * Runs the one-room bench. `options`: viewers, senders, rate (messages/s), seconds, loaders,
 * db, processes, profile, skipSocketIo. Answers `{name, body}` for docs/performance.md.
 */
export async function runOneRoom(options, { command, conditions }) {
  const { viewers, senders, rate, seconds, db, processes } = options;
  const palco = await benchPalco(options);
  const socketio = options.skipSocketIo ? null : await benchSocketIo(options);
  const both = (pick) => [pick(palco), socketio ? pick(socketio) : '—'];
  const rows = [
    ['join storm: registered / connected / failures', `${fmt(palco.join.registered)} / ${fmt(palco.join.connected)} / ${palco.join.failures}`, '—'],
    ['join storm: wall time', `${fmt(palco.join.seconds, 1)} s`, '—'],
    ['registrations/s', fmt(palco.join.registrationsPerSecond), '—'],
    ['connect p50 / p99', `${ms(palco.join.connect.p50)} / ${ms(palco.join.connect.p99)}`, '—'],
    ['confirmation emails written, and the wait for them after the storm', `${fmt(palco.join.mail.written)}, ${fmt(palco.join.mail.seconds, 1)} s`, '—'],
    ['messages acknowledged', ...both((r) => fmt(r.fan.acked))],
    ['fan-out time: first send to last delivery', ...both((r) => `${fmt(r.fan.deliverySeconds, 2)} s`)],
    ['deliveries/s', ...both((r) => fmt(r.fan.deliveriesPerSecond))],
    ['delivered ratio', ...both((r) => r.fan.ratio.toFixed(4))],
    ['latency p50 / p95 / p99', ...both((r) => `${ms(r.fan.latency.p50)} / ${ms(r.fan.latency.p95)} / ${ms(r.fan.latency.p99)}`)],
    ['server RSS per idle connection', ...both((r) => kib(r.memory.perConnection))],
    ['server CPU during fan-out', ...both((r) => `${fmt(r.fan.cpuPercent)} %`)],
    ['load generators\' CPU during fan-out', ...both((r) => `${fmt(r.fan.loadCpuPercent)} %`)],
    ['other processes\' CPU during fan-out', ...both((r) => `${fmt(r.fan.othersCpuPercent)} %`)],
    ['sockets closed by the server', String(palco.fan.closed), '—'],
  ];
  const table = markdownTable(['measure', 'Palco', 'Socket.IO'], rows);
  const summary = socketio
    ? `Palco delivered ${(palco.fan.deliveriesPerSecond / socketio.fan.deliveriesPerSecond).toFixed(1)}× the deliveries/s of Socket.IO.`
    : '';
  console.log(`\n${table}\n\n${summary}`);
  if (palco.join.firstFailures.length) console.log('first failures:', palco.join.firstFailures);
  const heading = [
    `\`${command}\` — ${new Date().toISOString().slice(0, 16)} UTC, ${viewers} viewers, ${senders} senders, ${rate} msg/s for ${seconds} s, ${processes} process(es) on ${db}.`,
    `Machine: ${conditions}.`,
  ].join('\n');
  return { name: `${db}:${processes}`, body: `${heading}\n\n${table}\n\n${summary}\n` };
}
