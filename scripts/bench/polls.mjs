// npm run bench:polls [-- --attendees 10000 --reactions 5 --db sqlite|mysql]
//
// A vote storm and a reaction storm on one Palco process: every attendee answers one open
// poll at the same moment, then sends `--reactions` reactions. Prints the ack latencies, the
// time until the staff's results show every vote, whether the stored counts equal the acks,
// and how many `poll_results` and `reactions` frames one socket received per second (the
// rooms pace them to 2 a second). The load runs in this process: past ~9 000 sockets
// (ulimit -n 20 000 on this machine) split the attendees over several runs.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { pool, sleep, summarize } from './stats.mjs';

const { values: flags } = parseArgs({
  options: {
    attendees: { type: 'string', default: '10000' },
    reactions: { type: 'string', default: '5' },
    db: { type: 'string', default: 'sqlite' },
  },
});
const attendees = Number(flags.attendees);
const reactionsEach = Math.min(Number(flags.reactions), 10);
const root = new URL('../../', import.meta.url).pathname;
const mysqlServer = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

function database() {
  if (flags.db === 'mysql') {
    const name = `palco_bench_polls_${randomBytes(4).toString('hex')}`;
    const url = new URL(mysqlServer);
    const mysql = (sql) => spawnSync('mysql', ['-h', url.hostname, '-P', url.port || '3306', '-u', url.username || 'root', '-e', sql]);
    mysql(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => mysql(`DROP DATABASE IF EXISTS ${name}`) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'palco-bench-polls-'));
  return { url: `sqlite:${join(dir, 'bench.sqlite')}`, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

function startPalco(databaseUrl, dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'packages/backend/dist/cli.js'), 'serve'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        TRUST_PROXY: '1',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        PALCO_SECRET: randomBytes(32).toString('hex'),
        PALCO_DATA_DIR: dataDir,
        ADMIN_EMAIL: 'bench@palco.test',
        ADMIN_PASSWORD: 'bench-password-123',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1].replace('localhost', '127.0.0.1') });
    });
    child.once('exit', (code) => reject(new Error(`palco exited with ${code}: ${output}`)));
  });
}

/** Registration and sockets come from many addresses, as a real audience's do (TRUST_PROXY). */
const fakeIp = (n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function post(url, body, headers = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A socket that answers `request` with its ack or error, and counts frames of the types asked for, per second. */
function openSocket(baseUrl, token, n, watched = []) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?event=bench-polls`, { headers: { 'x-forwarded-for': fakeIp(n) }, perMessageDeflate: false });
    const pending = new Map();
    const frames = Object.fromEntries(watched.map((type) => [type, []]));
    let ref = 0;
    let welcomed = false;
    const client = {
      frames,
      last: {},
      reacted: 0,
      request(message) {
        return new Promise((answer) => {
          ref += 1;
          pending.set(ref, answer);
          socket.send(JSON.stringify({ ...message, ref }));
        });
      },
      close: () => socket.close(),
    };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    socket.on('message', (data) => {
      const text = data.toString();
      if (!welcomed) {
        if (text.includes('"type":"welcome"')) {
          welcomed = true;
          resolve(client);
        }
        return;
      }
      if (!text.includes('"type":"ack"') && !text.includes('"type":"error"') && !watched.some((type) => text.includes(`"type":"${type}"`))) return;
      const parsed = JSON.parse(text);
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        if ((message.type === 'ack' || message.type === 'error') && pending.has(message.ref)) {
          pending.get(message.ref)(message);
          pending.delete(message.ref);
        } else if (message.type in frames) {
          frames[message.type].push(performance.now());
          client.last[message.type] = message;
          if (message.type === 'reactions') client.reacted += Object.values(message.counts).reduce((sum, count) => sum + count, 0);
        }
      }
    });
    socket.on('error', (error) => !welcomed && reject(error));
    socket.on('close', (code) => !welcomed && reject(new Error(`closed ${code} before welcome`)));
  });
}

/** The most frames that arrived within any one second. */
function busiestSecond(times) {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end] - times[start] >= 1000) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

const db = database();
const dataDir = mkdtempSync(join(tmpdir(), 'palco-bench-polls-data-'));
const palco = await startPalco(db.url, dataDir);
try {
  const admin = await post(`${palco.url}/api/auth/login`, { email: 'bench@palco.test', password: 'bench-password-123' });
  await post(`${palco.url}/api/admin/events`, { slug: 'bench-polls', title: 'Bench polls', access_code: 'bench-access-code' }, { authorization: `Bearer ${admin.token}` });
  const staff = await openSocket(palco.url, admin.token, 0, ['poll_results', 'reactions']);

  const joinStarted = performance.now();
  const tokens = new Array(attendees);
  await pool([...tokens.keys()], 32, async (n) => {
    const registered = await post(`${palco.url}/api/events/bench-polls/register`, { name: `Asistente ${n}`, email: `asistente${n}@bench.test`, phone: '+34 600 000 000' }, { 'x-forwarded-for': fakeIp(n + 1) });
    tokens[n] = registered.token;
  });
  const sockets = new Array(attendees);
  await pool([...tokens.keys()], 200, async (n) => {
    sockets[n] = await openSocket(palco.url, tokens[n], n + 1, n === 0 ? ['poll_results', 'reactions'] : []);
  });
  console.log(`joined ${attendees} attendees in ${((performance.now() - joinStarted) / 1000).toFixed(1)} s`);

  const poll = (await staff.request({ type: 'poll_create', kind: 'single', question: '¿Sí o no?', options: ['Sí', 'No', 'Quizá', 'Nunca'] })).data;
  await staff.request({ type: 'poll_open', id: poll.id });
  await staff.request({ type: 'poll_reveal', id: poll.id });

  const voteStarted = performance.now();
  const latencies = [];
  const replies = await Promise.all(
    sockets.map(async (socket, n) => {
      const sent = performance.now();
      const reply = await socket.request({ type: 'poll_vote', id: poll.id, choices: [(n % 4) + 1] });
      latencies.push(performance.now() - sent);
      return reply;
    }),
  );
  const acked = replies.filter((reply) => reply.type === 'ack').length;
  const ackSeconds = (performance.now() - voteStarted) / 1000;
  while ((staff.last.poll_results?.total ?? 0) < acked) await sleep(20);
  const resultsSeconds = (performance.now() - voteStarted) / 1000;
  await sleep(1_200);
  const counted = staff.last.poll_results.options.reduce((sum, option) => sum + option.count, 0);
  const latency = summarize(latencies);
  console.log(`vote storm: ${acked}/${attendees} acked in ${ackSeconds.toFixed(2)} s (ack p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms); results showed every vote after ${resultsSeconds.toFixed(2)} s`);
  console.log(`  stored counts ${counted} = acks ${acked}: ${counted === acked ? 'exact' : 'MISMATCH'}; poll_results frames: staff ${staff.frames.poll_results.length} (busiest second ${busiestSecond(staff.frames.poll_results)}), an attendee ${sockets[0].frames.poll_results.length} (busiest second ${busiestSecond(sockets[0].frames.poll_results)})`);

  const reactStarted = performance.now();
  const reactReplies = await Promise.all(
    sockets.flatMap((socket) => Array.from({ length: reactionsEach }, () => socket.request({ type: 'react', emoji: '👏' }))),
  );
  const reactAcked = reactReplies.filter((reply) => reply.type === 'ack').length;
  const reactSeconds = (performance.now() - reactStarted) / 1000;
  await sleep(1_500);
  const observed = sockets[0];
  console.log(`reaction storm: ${reactAcked}/${reactReplies.length} reactions acked in ${reactSeconds.toFixed(2)} s (the rest refused with rate_limited past 10 per 5 s)`);
  console.log(`  an attendee received ${observed.frames.reactions.length} reactions frames (busiest second ${busiestSecond(observed.frames.reactions)}) carrying ${observed.reacted} reactions: ${observed.reacted === reactAcked ? 'every one' : 'MISMATCH'}`);
  for (const socket of [staff, ...sockets]) socket.close();
} finally {
  palco.child.kill('SIGTERM');
  await new Promise((resolve) => palco.child.once('exit', resolve));
  db.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
