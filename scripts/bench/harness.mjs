// What every bench run shares: a fresh database, Palco started as users run it, load
// processes driven over IPC, the machine's conditions, and the marked blocks of
// docs/performance.md.
import { fork, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, sleep } from './stats.mjs';

export const root = new URL('../../', import.meta.url).pathname;
const mysqlServer = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const admin = { email: 'bench@palco.test', password: 'bench-password-123' };

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

function mysqlCli(sql) {
  const url = new URL(mysqlServer);
  const result = spawnSync('mysql', ['-h', url.hostname, '-P', url.port || '3306', '-u', url.username || 'root', '-e', sql]);
  if (result.status !== 0) throw new Error(`mysql: ${result.stderr}`);
}

/** A new empty database for one run: `{url, drop()}`; `db` is `sqlite` or `mysql`. */
export function createDatabase(db) {
  if (db === 'mysql') {
    const name = `palco_bench_${randomBytes(4).toString('hex')}`;
    mysqlCli(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
    const url = new URL(mysqlServer);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => mysqlCli(`DROP DATABASE IF EXISTS ${name}`) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'palco-bench-'));
  return { url: `sqlite:${join(dir, 'bench.sqlite')}`, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

function startPalcoProcess({ databaseUrl, secret, dataDir, redisPrefix, profile, env }) {
  return new Promise((resolve, reject) => {
    const profileFlags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
    const child = spawn(process.execPath, [...profileFlags, join(root, 'packages/backend/dist/cli.js'), 'serve'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        TRUST_PROXY: '1',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        PALCO_SECRET: secret,
        PALCO_DATA_DIR: dataDir,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: 'error',
        ...(redisPrefix ? { REDIS_URL: redisUrl, PALCO_REDIS_PREFIX: redisPrefix } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1].replace('localhost', '127.0.0.1') });
    });
    child.once('exit', (code) => reject(new Error(`palco exited with ${code}: ${output}`)));
  });
}

/**
 * Palco as users run it (production mode, behind TRUST_PROXY) on a fresh database:
 * `processes` of them share it (and Redis, past one). `env` adds variables. Answers
 * `{servers: [{child, url}], baseUrls, pids, mailWritten(), stop()}`; stop() ends them with
 * SIGTERM (a stopping server writes its CPU profile, if asked for one) and drops the database.
 */
export async function startPalco({ db = 'sqlite', processes = 1, profile, env = {} } = {}) {
  const database = createDatabase(db);
  const dataDir = mkdtempSync(join(tmpdir(), 'palco-bench-data-'));
  const secret = randomBytes(32).toString('hex');
  // One prefix for the run: the processes share the bus, rate limits and presence through it.
  const redisPrefix = processes > 1 ? `bench-${randomBytes(3).toString('hex')}` : null;
  const servers = [];
  for (let i = 0; i < processes; i += 1) {
    servers.push(await startPalcoProcess({ databaseUrl: database.url, secret, dataDir, redisPrefix, profile, env }));
  }
  return {
    servers,
    baseUrls: servers.map((server) => server.url),
    pids: servers.map((server) => server.child.pid),
    /** Emails written so far: without SMTP_URL Palco writes each as an .eml file under <data dir>/mail/. */
    mailWritten() {
      const directory = join(dataDir, 'mail');
      return existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.eml')).length : 0;
    },
    async stop() {
      await Promise.all(servers.map((server) => new Promise((resolve) => {
        if (server.child.exitCode !== null) return resolve();
        server.child.once('exit', resolve);
        server.child.kill('SIGTERM');
      })));
      await sleep(500);
      database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Longest wait for the confirmation emails of a join storm, in ms. */
const mailWaitMs = 5 * 60_000;

/**
 * Waits until Palco has written `count` emails (the confirmations its registrations queued) or
 * 5 minutes pass. Registrations come hours before a live event, and so do their emails: the
 * runs measure the live part once they are out. Answers `{written, seconds}`.
 */
export async function waitForMail(palco, count) {
  const started = performance.now();
  // PALCO_MAIL=off (to measure the rest without the emails' work) writes none: nothing to wait for.
  if (process.env.PALCO_MAIL === 'off') return { written: 0, seconds: 0 };
  while (palco.mailWritten() < count && performance.now() - started < mailWaitMs) await sleep(500);
  return { written: palco.mailWritten(), seconds: (performance.now() - started) / 1000 };
}

/** The minimal Socket.IO server of the comparison: `{child, url, pid}`. */
export async function startSocketIo() {
  const child = fork(join(root, 'scripts/bench/socketio-server.mjs'), { stdio: 'inherit' });
  children.push(child);
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  return { child, pid: child.pid, url: `http://127.0.0.1:${port}` };
}

/** A POST with a JSON body; answers the parsed body, or throws naming `what` unless the status is `expected`. */
export async function postJson(url, body, { token, expected = 200, what = url, headers = {} } = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  if (response.status !== expected) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The administrator's session token. */
export async function adminToken(baseUrl) {
  return (await postJson(`${baseUrl}/api/auth/login`, admin, { what: 'admin login' })).token;
}

/** A load process running `script`, driven with call({cmd, …}) → its answer. */
export function worker(script) {
  const child = fork(join(root, 'scripts/bench', script), { stdio: 'inherit' });
  children.push(child);
  return {
    child,
    call(command) {
      return new Promise((resolve, reject) => {
        // A load process that dies (out of memory, say) must fail the run, not hang it.
        const onExit = (code, signal) => reject(new Error(`${script} exited with ${code ?? signal} during ${command.cmd}`));
        child.once('exit', onExit);
        child.once('message', (answer) => {
          child.off('exit', onExit);
          if (answer.ok) resolve(answer.result);
          else reject(new Error(answer.error));
        });
        child.send(command);
      });
    },
    /** Ends the process and waits for it to go. */
    exit() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.send({ cmd: 'exit' });
      });
    },
  };
}

/** `total` cut into `parts` near-equal whole shares. */
export const split = (total, parts) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/** CPU seconds the whole machine has spent busy (every core, from /proc/stat). */
function machineBusySeconds() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/**
 * Starts timing CPU: the returned function answers, for the time since, the CPU seconds of
 * each of `pids`, and the share of one core (%) the rest of the machine used meanwhile
 * (builds, tests, anything that is neither those processes nor this one).
 */
export function cpuMeter(pids) {
  const before = pids.map(cpuSeconds);
  const ownBefore = process.cpuUsage();
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const each = pids.map((pid, i) => cpuSeconds(pid) - before[i]);
    const own = process.cpuUsage(ownBefore);
    const others = machineBusySeconds() - busyBefore - each.reduce((a, b) => a + b, 0) - (own.user + own.system) / 1e6;
    return { seconds, each, othersPercent: Math.max(0, (others / seconds) * 100) };
  };
}

/** The machine, for the heading of a block: CPU model and cores, memory, load average now. */
export function machineDescription() {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg().map((value) => value.toFixed(2)).join(' / ');
  return `${model} × ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; load average ${load} at the start`;
}

/** Replaces the block `<!-- bench:name -->…<!-- /bench:name -->` of docs/performance.md, or appends it. */
export function writeBlock(name, body) {
  const file = join(root, 'docs/performance.md');
  const block = `<!-- bench:${name} -->\n${body.trim()}\n<!-- /bench:${name} -->`;
  const doc = readFileSync(file, 'utf8');
  const pattern = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  writeFileSync(file, pattern.test(doc) ? doc.replace(pattern, () => block) : `${doc.trimEnd()}\n\n${block}\n`);
}

/** A Markdown table from a header row and rows of cells. */
export function markdownTable(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

export const ms = (value) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
export const fmt = (value, digits = 0) => Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
