// The socket-flood run: one attendee's sockets write tiny frames (pings, malformed JSON,
// frames before auth) as fast as they can without reading a reply, while other attendees
// time their pings and a load balancer times GET /healthz. Reports what the others felt,
// what became of the flooder, and how the server's memory moved.
import { randomBytes } from 'node:crypto';
import { adminToken, cpuMeter, fmt, markdownTable, mib, ms, postJson, startPalco, waitForMail, worker } from './harness.mjs';
import { register } from './palco-client.mjs';
import { rssBytes, sleep } from './stats.mjs';

/** The others' ping round trip and /healthz must stay within this during the flood (ms, p99). */
export const floodBoundMs = 100;
/** The flooder's sockets, one of each kind (see flood-load.mjs). */
const floodKinds = ['ping', 'malformed', 'before-auth', 'mixed'];
/** Attendees whose sockets take turns pinging: together one ping every 50 ms. */
const probeCount = 5;
const pingIntervalMs = 250;
const healthIntervalMs = 50;
const baselineMs = 3_000;
const afterMs = 3_000;
const sampleMs = 250;
/** A /metrics sample not answered within this is left out of the timeline (ms). */
const metricsTimeoutMs = 1_000;
/** Past this server RSS the flood is stopped early, to keep the shared machine usable (bytes). */
const rssCapBytes = 2 * 2 ** 30;

/** The counters and gauges of GET /metrics whose names start with `palco_socket` or `palco_slow`. */
async function socketMetrics(baseUrl, token) {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(metricsTimeoutMs) });
  const values = {};
  for (const line of (await response.text()).split('\n')) {
    const match = /^(palco_(?:socket|slow)\w*) (\S+)$/.exec(line);
    if (match) values[match[1]] = Number(match[2]);
  }
  return values;
}

/**
 * The flooder's frames the server read and handled, from its count of every frame received
 * less the probes' pings over the same span (each ping is one frame and one sample). Only a
 * server that counts every frame, admitted or not, can say.
 */
function floodFramesRow(before, after, probes) {
  const name = 'palco_socket_frames_received_total';
  if (after[name] === undefined) return [];
  const pings = ['during', 'after'].reduce((sum, phase) => sum + (probes.phases[phase]?.ping.count ?? 0), 0);
  return [['the flooder\'s frames the server handled (frames received less the probes\' pings)', fmt(after[name] - (before[name] ?? 0) - pings)]];
}

/** What the server's counters say it closed, by close code, where it counts them. */
function serverAccount(before, after) {
  const delta = (name) => (after[name] === undefined ? null : after[name] - (before[name] ?? 0));
  const overBudget = delta('palco_socket_over_budget_dropped_total');
  const slowReaders = delta('palco_slow_readers_dropped_total');
  const parts = [];
  if (overBudget !== null) parts.push(`${overBudget} socket(s) closed 1008 over their frame budget`);
  if (slowReaders !== null) parts.push(`${slowReaders} closed 1013 as slow readers`);
  return parts.length ? `The server's counters: ${parts.join(', ')}.` : '';
}

/** When the server's open sockets fell back to the probes' alone, from the samples of /metrics it answered in time. */
function openSocketsLabel(samples) {
  const answered = samples.filter((sample) => sample.connections !== undefined);
  const shares = `${answered.length} of ${samples.length} samples answered within ${metricsTimeoutMs} ms`;
  if (!answered.length) return shares;
  const back = answered.find((sample) => sample.connections <= probeCount);
  const peak = Math.max(...answered.map((sample) => sample.connections));
  const end = back ? `back to the ${probeCount} probes' at ${fmt(back.at, 2)} s` : `${answered.at(-1).connections} at ${fmt(answered.at(-1).at, 2)} s, the last answered`;
  return `${shares}; at most ${peak}; ${end}`;
}

function describeFate(socket) {
  const close = socket.close ? `closed ${socket.close.code}${socket.close.reason ? ` (“${socket.close.reason}”)` : ''}` : null;
  if (socket.writeError) {
    // A reset throws away what the flooder had not read yet, the close frame with it.
    const reset = `writes failed with ${socket.writeError} at ${fmt(socket.stoppedAtMs / 1000, 2)} s`;
    return close ? `${close}; ${reset}` : `${reset}, without a close frame left to read (the server's counters below say why)`;
  }
  return close ?? `still open when the flood ended at ${fmt(socket.stoppedAtMs / 1000, 2)} s`;
}

const repliesLabel = (replies) => {
  const entries = Object.entries(replies ?? {});
  return entries.length ? entries.map(([key, count]) => `${fmt(count)} ${key}`).join(', ') : 'none';
};

/**
 * Runs the flood. `options`: floodSeconds, db, processes, profile. Answers `{name, body}`
 * for docs/performance.md.
 */
export async function runFlood(options, { command, conditions }) {
  const { floodSeconds, db, processes } = options;
  const metricsToken = randomBytes(16).toString('hex');
  const palco = await startPalco({ ...options, env: { PALCO_METRICS_TOKEN: metricsToken } });
  const probe = worker('flood-load.mjs');
  const flooder = worker('flood-load.mjs');
  try {
    const baseUrl = palco.baseUrls[0];
    const serverPid = palco.pids[0];
    await postJson(
      `${baseUrl}/api/admin/events`,
      { slug: 'flood', title: 'Flood', allowed_email_domains: ['bench.test'] },
      { token: await adminToken(baseUrl), expected: 201, what: 'creating the event' },
    );
    const flooderToken = await register(baseUrl, 'flood', 'bench.test', 1);
    const probeTokens = [];
    for (let n = 2; n < 2 + probeCount; n += 1) probeTokens.push(await register(baseUrl, 'flood', 'bench.test', n));
    await waitForMail(palco, 1 + probeCount);
    await probe.call({ cmd: 'probe-start', baseUrl, slug: 'flood', tokens: probeTokens, firstPerson: 2, pingIntervalMs, healthIntervalMs });

    await probe.call({ cmd: 'phase', name: 'before' });
    await sleep(baselineMs);
    const metricsBefore = await socketMetrics(baseUrl, metricsToken);
    const rssBefore = rssBytes(serverPid);
    const meter = cpuMeter([serverPid, probe.child.pid, flooder.child.pid]);
    await probe.call({ cmd: 'phase', name: 'during' });
    const floodStarted = performance.now();
    const url = new URL(baseUrl);
    const flooding = flooder.call({
      cmd: 'flood',
      host: url.hostname,
      port: Number(url.port),
      slug: 'flood',
      token: flooderToken,
      ip: '10.200.0.1',
      kinds: floodKinds,
      seconds: floodSeconds,
    });
    let done = false;
    const finished = () => {
      done = true;
    };
    flooding.then(finished, finished);
    const samples = [];
    let rssPeak = rssBefore;
    let stoppedForMemory = false;
    let phaseSwitched = false;
    while (!done) {
      await sleep(sampleMs);
      const at = (performance.now() - floodStarted) / 1000;
      const rss = rssBytes(serverPid);
      rssPeak = Math.max(rssPeak, rss);
      if (rss > rssCapBytes && !stoppedForMemory) {
        stoppedForMemory = true;
        flooder.child.send({ cmd: 'stop' });
      }
      if (!phaseSwitched && at >= floodSeconds) {
        phaseSwitched = true;
        await probe.call({ cmd: 'phase', name: 'after' });
      }
      const metrics = await socketMetrics(baseUrl, metricsToken).catch(() => null);
      samples.push({ at, rss, connections: metrics?.palco_socket_connections });
    }
    const cpu = meter();
    const fates = await flooding;
    if (!phaseSwitched) await probe.call({ cmd: 'phase', name: 'after' });
    await sleep(afterMs);
    const probes = await probe.call({ cmd: 'probe-stop' });
    const rssAfter = rssBytes(serverPid);
    const metricsAfter = await socketMetrics(baseUrl, metricsToken);

    const phase = (name) => probes.phases[name] ?? { ping: {}, health: {}, healthFailures: 0 };
    const latencyCell = (stats) => `${ms(stats.p50)} / ${ms(stats.p99)} / ${ms(stats.max)} (${fmt(stats.count ?? 0)})`;
    const during = phase('during');
    const probeTable = markdownTable(
      ['p50 / p99 / max (samples; no answer within 5 s counts as 5 s)', `before (${baselineMs / 1000} s)`, `during the flood (${floodSeconds} s)`, `after (${afterMs / 1000} s)`],
      [
        ['another attendee\'s ping round trip', ...['before', 'during', 'after'].map((name) => latencyCell(phase(name).ping))],
        ['GET /healthz', ...['before', 'during', 'after'].map((name) => latencyCell(phase(name).health))],
        ['/healthz failures or timeouts', ...['before', 'during', 'after'].map((name) => String(phase(name).healthFailures))],
      ],
    );
    const fateTable = markdownTable(
      ['flooding socket', 'frames written (most wait unread in the kernel once the server stops reading)', 'replies read afterwards, up to the close (one per frame the server answered)', 'fate'],
      fates.map((socket) => [socket.kind, fmt(socket.framesWritten), repliesLabel(socket.close?.repliesBefore ?? socket.replies), describeFate(socket)]),
    );
    // Whatever socket counters this server has, the flood's share of each.
    const counterRows = Object.keys(metricsAfter)
      .filter((name) => name.endsWith('_total'))
      .map((name) => [`\`${name}\`, from before the flood to 3 s after`, fmt(metricsAfter[name] - (metricsBefore[name] ?? 0))]);
    const serverRows = [
      ['server RSS before / peak during / 3 s after', `${mib(rssBefore)} / ${mib(rssPeak)} / ${mib(rssAfter)}`],
      ['server RSS growth: peak, and still held 3 s after', `${mib(rssPeak - rssBefore)}, ${mib(rssAfter - rssBefore)}`],
      ['server CPU during the flood', `${fmt((cpu.each[0] / cpu.seconds) * 100)} %`],
      ['flooder\'s and probes\' CPU; other processes\' CPU meanwhile', `${fmt((cpu.each[2] / cpu.seconds) * 100)} %, ${fmt((cpu.each[1] / cpu.seconds) * 100)} %; ${fmt(cpu.othersPercent)} %`],
      ...counterRows,
      ...floodFramesRow(metricsBefore, metricsAfter, probes),
      ['server sockets open (palco_socket_connections, sampled every 250 ms)', openSocketsLabel(samples)],
      ['probe sockets closed by the server', probes.probesClosed.length ? probes.probesClosed.join(', ') : 'none'],
      ...(stoppedForMemory ? [['flood stopped early', `server RSS passed ${mib(rssCapBytes)}`]] : []),
    ];
    const pingMet = during.ping.p99 <= floodBoundMs;
    const healthMet = during.health.p99 <= floodBoundMs && during.healthFailures === 0;
    const summary = [
      `Goal during the flood, p99 ≤ ${floodBoundMs} ms: ping round trip ${ms(during.ping.p99)} — ${pingMet ? 'met' : 'not met'}; GET /healthz ${ms(during.health.p99)} — ${healthMet ? 'met' : 'not met'}.`,
      serverAccount(metricsBefore, metricsAfter),
    ].join(' ');
    const serverTable = markdownTable(['server', 'measured'], serverRows);
    console.log(`\n${probeTable}\n\n${fateTable}\n\n${serverTable}\n\n${summary}`);
    const heading = [
      `\`${command}\` — ${new Date().toISOString().slice(0, 16)} UTC, one attendee's ${floodKinds.length} sockets flooding for up to ${floodSeconds} s from one address; ${probeCount} other attendees ping in turn (one ping every ${pingIntervalMs / probeCount} ms in all), /healthz every ${healthIntervalMs} ms; ${processes} process(es) on ${db}.`,
      `Machine: ${conditions}.`,
    ].join('\n');
    return { name: `flood:${db}:${processes}`, body: `${heading}\n\n${probeTable}\n\n${fateTable}\n\n${serverTable}\n\n${summary}\n` };
  } finally {
    await Promise.all([probe.exit(), flooder.exit()]);
    await palco.stop();
  }
}
