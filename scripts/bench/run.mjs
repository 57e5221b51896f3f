// npm run bench [-- --viewers 10000 --rate 100 --seconds 10 --senders 250 --loaders 3
//                   --db sqlite|mysql --processes 1|2 --skip-socketio --no-write
//                   --profile DIR]
//
// Starts Palco as users run it (production mode, behind TRUST_PROXY), runs a join storm
// and a chat fan-out from separate load processes, runs the same fan-out against a
// minimal Socket.IO server, prints the figures and writes them to docs/performance.md.
import { fork, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, rssBytes, sleep, summarize } from './stats.mjs';

const { values: flags } = parseArgs({
  options: {
    viewers: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    senders: { type: 'string', default: '250' },
    loaders: { type: 'string', default: '3' },
    db: { type: 'string', default: 'sqlite' },
    processes: { type: 'string', default: '1' },
    'skip-socketio': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    // Each Palco process writes a V8 CPU profile (.cpuprofile) into DIR when it stops.
    profile: { type: 'string' },
  },
});
const viewers = Number(flags.viewers);
const rate = Number(flags.rate);
const seconds = Number(flags.seconds);
const senders = Math.min(Number(flags.senders), viewers);
const loaders = Number(flags.loaders);
const processes = Number(flags.processes);
const intervalMs = (senders / rate) * 1000;
const root = new URL('../../', import.meta.url).pathname;
const mysqlServer = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

if (intervalMs < 2_000) {
  console.error(`--senders ${senders} at --rate ${rate}/s means one message per ${intervalMs} ms per sender: over the attendee limit of 5 per 10 s. Use more senders.`);
  process.exit(2);
}

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

function mysqlCli(sql) {
  const url = new URL(mysqlServer);
  const result = spawnSync('mysql', ['-h', url.hostname, '-P', url.port || '3306', '-u', url.username || 'root', '-e', sql]);
  if (result.status !== 0) throw new Error(`mysql: ${result.stderr}`);
}

async function createDatabase() {
  if (flags.db === 'mysql') {
    const name = `palco_bench_${randomBytes(4).toString('hex')}`;
    mysqlCli(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
    const url = new URL(mysqlServer);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => mysqlCli(`DROP DATABASE IF EXISTS ${name}`) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'palco-bench-'));
  return { url: `sqlite:${join(dir, 'bench.sqlite')}`, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

function startPalco(databaseUrl, secret, dataDir, redisPrefix) {
  return new Promise((resolve, reject) => {
    const profile = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}`] : [];
    const child = spawn(process.execPath, [...profile, join(root, 'packages/backend/dist/cli.js'), 'serve'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        TRUST_PROXY: '1',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        PALCO_SECRET: secret,
        PALCO_DATA_DIR: dataDir,
        ADMIN_EMAIL: 'bench@palco.test',
        ADMIN_PASSWORD: 'bench-password-123',
        LOG_LEVEL: 'error',
        ...(processes > 1 ? { REDIS_URL: redisUrl, PALCO_REDIS_PREFIX: redisPrefix } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`palco exited with ${code}: ${output}`)));
  });
}

function worker(script) {
  const child = fork(join(root, 'scripts/bench', script), { stdio: 'inherit' });
  children.push(child);
  return {
    child,
    call(command) {
      return new Promise((resolve, reject) => {
        child.once('message', (answer) => (answer.ok ? resolve(answer.result) : reject(new Error(answer.error))));
        child.send(command);
      });
    },
  };
}

const split = (total, parts) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

async function fanOut(workers, pids) {
  const cpuBefore = pids.map(cpuSeconds);
  const loadPids = workers.map((w) => w.child.pid);
  const loadCpuBefore = loadPids.map(cpuSeconds);
  const started = performance.now();
  const startedAt = Date.now();
  const sent = await Promise.all(workers.map((w, i) => w.call({ cmd: 'send', senders: split(senders, workers.length)[i], intervalMs, seconds })));
  await sleep(2_000);
  const reports = await Promise.all(workers.map((w) => w.call({ cmd: 'report' })));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = pids.map((pid, i) => cpuSeconds(pid) - cpuBefore[i]).reduce((a, b) => a + b, 0);
  const loadCpu = loadPids.map((pid, i) => cpuSeconds(pid) - loadCpuBefore[i]).reduce((a, b) => a + b, 0);
  // Acks that arrive after the send window still count: a server that falls behind acks late.
  const acked = reports.reduce((sum, r) => sum + r.acked, 0);
  const errors = sent.reduce((sum, s) => sum + s.errors, 0);
  const delivered = reports.reduce((sum, r) => sum + r.delivered, 0);
  const connected = reports.reduce((sum, r) => sum + r.viewers, 0);
  const latencies = reports.map((r) => r.latency);
  // Deliveries over the time they really took, from the first send to the last delivery seen
  // by any viewer: a server that falls behind is not credited with the drain after the window.
  const lastDeliveryAt = Math.max(...reports.map((r) => r.lastDeliveryAt));
  const deliverySeconds = Math.max(seconds, (lastDeliveryAt - startedAt) / 1000);
  return {
    acked,
    errors,
    delivered,
    expected: acked * connected,
    ratio: acked ? delivered / (acked * connected) : 0,
    deliverySeconds,
    deliveriesPerSecond: delivered / deliverySeconds,
    latency: mergeLatency(latencies),
    cpuPercent: (cpu / elapsed) * 100,
    loadCpuPercent: (loadCpu / elapsed) * 100,
    closed: reports.reduce((sum, r) => sum + (r.closed ?? 0), 0),
  };
}

function mergeLatency(parts) {
  // Each loader reports percentiles of its sample; the worst of them is the honest figure.
  const pick = (key) => Math.max(...parts.map((p) => (Number.isFinite(p[key]) ? p[key] : 0)));
  return { p50: pick('p50'), p95: pick('p95'), p99: pick('p99'), samples: parts.reduce((s, p) => s + p.count, 0) };
}

async function benchPalco() {
  const database = await createDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'palco-bench-data-'));
  const secret = randomBytes(32).toString('hex');
  try {
    const servers = [];
    // One prefix for the run: the processes share the bus, rate limits and presence through it.
    const redisPrefix = `bench-${randomBytes(3).toString('hex')}`;
    for (let i = 0; i < processes; i += 1) servers.push(await startPalco(database.url, secret, dataDir, redisPrefix));
    const baseUrls = servers.map((server) => server.url.replace('localhost', '127.0.0.1'));
    const login = await (await fetch(`${baseUrls[0]}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@palco.test', password: 'bench-password-123' }),
    })).json();
    const created = await fetch(`${baseUrls[0]}/api/admin/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: JSON.stringify({ slug: 'bench', title: 'Bench', allowed_email_domains: ['bench.test'], access_code: 'bench-access-code' }),
    });
    if (created.status !== 201) throw new Error(`creating the event: ${created.status} ${await created.text()}`);

    const pids = servers.map((server) => server.child.pid);
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
    const failures = joins.reduce((sum, j) => sum + j.failureCount, 0);
    const registerSeconds = Math.max(...joins.map((j) => j.registerSeconds));
    await sleep(3_000);
    const rssIdle = pids.map(rssBytes).reduce((a, b) => a + b, 0);
    const fan = await fanOut(workers, pids);
    await Promise.all(workers.map((w) => w.child.send({ cmd: 'exit' })));
    // A stopping server writes its profile, if asked for one, before it exits.
    await Promise.all(servers.map((server) => new Promise((resolve) => {
      server.child.once('exit', resolve);
      server.child.kill('SIGTERM');
    })));
    return {
      join: {
        registered,
        connected,
        failures,
        firstFailures: joins.flatMap((j) => j.failures).slice(0, 3),
        seconds: joinSeconds,
        registrationsPerSecond: registered / registerSeconds,
        connect: summarize(joins.flatMap((j) => j.connectMs)),
      },
      memory: { rssBefore, rssIdle, perConnection: (rssIdle - rssBefore) / Math.max(1, connected) },
      fan,
    };
  } finally {
    await sleep(500);
    database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchSocketIo() {
  const server = fork(join(root, 'scripts/bench/socketio-server.mjs'), { stdio: 'inherit' });
  children.push(server);
  const { port } = await new Promise((resolve) => server.once('message', resolve));
  const url = `http://127.0.0.1:${port}`;
  const workers = Array.from({ length: loaders }, () => worker('socketio-load.mjs'));
  const rssBefore = rssBytes(server.pid);
  const joins = await Promise.all(workers.map((w, i) => w.call({ cmd: 'join', url, count: split(viewers, loaders)[i], samples: 100 })));
  await sleep(3_000);
  const rssIdle = rssBytes(server.pid);
  const connected = joins.reduce((sum, j) => sum + j.connected, 0);
  const fan = await fanOut(workers, [server.pid]);
  await Promise.all(workers.map((w) => w.child.send({ cmd: 'exit' })));
  server.kill('SIGKILL');
  return { connected, memory: { perConnection: (rssIdle - rssBefore) / Math.max(1, connected) }, fan };
}

const ms = (value) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const fmt = (value, digits = 0) => Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
console.log(`${command}\n${viewers} viewers, ${senders} senders, ${rate} msg/s for ${seconds} s, ${loaders} load processes, ${processes} Palco process(es) on ${flags.db}`);
const palco = await benchPalco();
const socketio = flags['skip-socketio'] ? null : await benchSocketIo();
const ratioToSocketIo = socketio ? palco.fan.deliveriesPerSecond / socketio.fan.deliveriesPerSecond : null;

const rows = [
  ['join storm: registered / connected / failures', `${fmt(palco.join.registered)} / ${fmt(palco.join.connected)} / ${palco.join.failures}`, '—'],
  ['join storm: wall time', `${fmt(palco.join.seconds, 1)} s`, '—'],
  ['registrations/s', fmt(palco.join.registrationsPerSecond), '—'],
  ['connect p50 / p99', `${ms(palco.join.connect.p50)} / ${ms(palco.join.connect.p99)}`, '—'],
  ['messages acknowledged', fmt(palco.fan.acked), socketio ? fmt(socketio.fan.acked) : '—'],
  ['fan-out time: first send to last delivery', `${fmt(palco.fan.deliverySeconds, 2)} s`, socketio ? `${fmt(socketio.fan.deliverySeconds, 2)} s` : '—'],
  ['deliveries/s', fmt(palco.fan.deliveriesPerSecond), socketio ? fmt(socketio.fan.deliveriesPerSecond) : '—'],
  ['delivered ratio', palco.fan.ratio.toFixed(4), socketio ? socketio.fan.ratio.toFixed(4) : '—'],
  ['latency p50 / p95 / p99', `${ms(palco.fan.latency.p50)} / ${ms(palco.fan.latency.p95)} / ${ms(palco.fan.latency.p99)}`, socketio ? `${ms(socketio.fan.latency.p50)} / ${ms(socketio.fan.latency.p95)} / ${ms(socketio.fan.latency.p99)}` : '—'],
  ['server RSS per idle connection', kib(palco.memory.perConnection), socketio ? kib(socketio.memory.perConnection) : '—'],
  ['server CPU during fan-out', `${fmt(palco.fan.cpuPercent)} %`, socketio ? `${fmt(socketio.fan.cpuPercent)} %` : '—'],
  ['load generators\' CPU during fan-out', `${fmt(palco.fan.loadCpuPercent)} %`, socketio ? `${fmt(socketio.fan.loadCpuPercent)} %` : '—'],
  ['sockets closed by the server', String(palco.fan.closed), '—'],
];
const table = ['| measure | Palco | Socket.IO |', '|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
const summary = ratioToSocketIo ? `Palco delivered ${ratioToSocketIo.toFixed(1)}× the deliveries/s of Socket.IO.` : '';
const block = `<!-- bench:${flags.db}:${processes} -->\n\`${command}\` — ${new Date().toISOString().slice(0, 16)} UTC, ${viewers} viewers, ${senders} senders, ${rate} msg/s for ${seconds} s, ${processes} process(es) on ${flags.db}\n\n${table}\n\n${summary}\n<!-- /bench:${flags.db}:${processes} -->`;
console.log(`\n${table}\n\n${summary}`);
if (palco.join.firstFailures.length) console.log('first failures:', palco.join.firstFailures);

if (!flags['no-write']) {
  const file = join(root, 'docs/performance.md');
  let doc = readFileSync(file, 'utf8');
  const pattern = new RegExp(`<!-- bench:${flags.db}:${processes} -->[\\s\\S]*?<!-- /bench:${flags.db}:${processes} -->`);
  doc = pattern.test(doc) ? doc.replace(pattern, block) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, doc);
  console.log(`\nwritten to docs/performance.md`);
}
process.exit(0);
