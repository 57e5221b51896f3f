// One load process of the poll bench: signs its share of attendees in with identity tokens
// (the producer's fast path: no confirmation email, the address already vouched for),
// connects their sockets, has each vote once at a random moment of the storm's window, and
// keeps what each viewer last saw of every poll's results and when each results message
// arrived. Driven by polls.mjs over IPC.
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { fakeIp } from './palco-client.mjs';
import { pool, sleep } from './stats.mjs';

const viewers = [];

/** An identity token for attendee `n`, signed with the event's embed secret, as a producer's server signs it. */
function identity(secret, slug, n) {
  return jwt.sign({ email: `asistente${n}@bench.test`, name: `Asistente ${n}`, consent: true }, createSecretKey(Buffer.from(secret)), {
    algorithm: 'HS256',
    audience: slug,
    expiresIn: 300,
  });
}

async function signIn(baseUrl, slug, secret, n) {
  let problem = 'unavailable';
  for (let attempt = 0; attempt < 5; attempt += 1) {
    // On a crowded machine a connection is sometimes reset before the answer: signing in again is safe.
    const response = await fetch(`${baseUrl}/api/events/${slug}/identity`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp(n) },
      body: JSON.stringify({ identity: identity(secret, slug, n) }),
    }).catch((error) => {
      problem = `${error.message} (${error.cause?.code ?? error.cause?.message ?? 'no cause'})`;
      return null;
    });
    if (response?.status === 200) return (await response.json()).token;
    if (response && response.status !== 503) throw new Error(`identity ${n}: ${response.status} ${await response.text()}`);
    await sleep(200 * (attempt + 1));
  }
  throw new Error(`identity ${n}: still failing: ${problem}`);
}

function connect(socketUrl, token, n) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(socketUrl, { headers: { 'x-forwarded-for': fakeIp(n) }, perMessageDeflate: false });
    const viewer = { socket, pending: new Map(), ref: 0, results: new Map(), resultTimes: new Map(), reactions: 0, reactionFrames: [] };
    let welcomed = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    socket.on('message', (data) => {
      const text = data.toString();
      if (!welcomed) {
        if (text.includes('"type":"welcome"')) {
          welcomed = true;
          resolve(viewer);
        }
        return;
      }
      // Presence and other frames are skipped unparsed: 10 000 viewers share a few cores.
      if (!text.includes('"type":"ack"') && !text.includes('"type":"error"') && !text.includes('"type":"poll_results"') && !text.includes('"type":"reactions"')) return;
      const now = performance.now();
      const parsed = JSON.parse(text);
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        if ((message.type === 'ack' || message.type === 'error') && viewer.pending.has(message.ref)) {
          viewer.pending.get(message.ref)(message);
          viewer.pending.delete(message.ref);
        } else if (message.type === 'poll_results') {
          viewer.results.set(message.id, message);
          const times = viewer.resultTimes.get(message.id) ?? [];
          times.push(now);
          viewer.resultTimes.set(message.id, times);
        } else if (message.type === 'reactions') {
          viewer.reactionFrames.push(now);
          viewer.reactions += Object.values(message.counts).reduce((sum, count) => sum + count, 0);
        }
      }
    });
    socket.on('error', (error) => !welcomed && reject(error));
    socket.on('close', (code) => !welcomed && reject(new Error(`closed ${code} before welcome`)));
  });
}

function request(viewer, message) {
  return new Promise((resolve) => {
    const ref = ++viewer.ref;
    viewer.pending.set(ref, resolve);
    viewer.socket.send(JSON.stringify({ ...message, ref }));
  });
}

/** The most messages that arrived within any one second. */
function busiestSecond(times) {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end] - times[start] >= 1000) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

async function join({ baseUrls, slug, secret, offset, count }) {
  const started = performance.now();
  const indexes = Array.from({ length: count }, (_, i) => offset + i);
  const tokens = new Array(count);
  const failures = [];
  await pool(indexes, 32, async (n, i) => {
    try {
      tokens[i] = await signIn(baseUrls[0], slug, secret, n);
    } catch (error) {
      failures.push(String(error.message));
    }
  });
  const signedInAt = performance.now();
  await pool(indexes, 200, async (n, i) => {
    if (!tokens[i]) return;
    const baseUrl = baseUrls[n % baseUrls.length];
    for (let attempt = 1; ; attempt += 1) {
      try {
        viewers.push(await connect(`${baseUrl.replace(/^http/, 'ws')}/ws?event=${slug}`, tokens[i], n));
        return;
      } catch (error) {
        if (attempt === 3) return failures.push(String(error.message));
        await sleep(500 * attempt);
      }
    }
  });
  return {
    connected: viewers.length,
    signInSeconds: (signedInAt - started) / 1000,
    connectSeconds: (performance.now() - signedInAt) / 1000,
    failures: failures.slice(0, 5),
    failureCount: failures.length,
  };
}

/**
 * Every viewer votes once, at a random moment of `windowMs` from `startAt` (Date.now()
 * time, shared by the load processes): `choice(n)` spreads the answers over the options.
 */
async function vote({ pollId, startAt, windowMs, options }) {
  const latencies = [];
  const codes = {};
  let acked = 0;
  let retried = 0;
  const ackedPerOption = {};
  await Promise.all(
    viewers.map(async (viewer, i) => {
      await sleep(Math.max(0, startAt - Date.now() + Math.random() * windowMs));
      const choice = (i % options) + 1;
      const sent = performance.now();
      let reply = await request(viewer, { type: 'poll_vote', id: pollId, choices: [choice] });
      // As the SDK does: a vote refused because the database was out of reach is sent again
      // after retry_after (it was not stored); the latency counts from the first send.
      for (let retry = 0; retry < 5 && reply.type === 'error' && reply.code === 'service_unavailable'; retry += 1) {
        retried += 1;
        await sleep((reply.retry_after ?? 1) * 1000);
        reply = await request(viewer, { type: 'poll_vote', id: pollId, choices: [choice] });
      }
      latencies.push(performance.now() - sent);
      if (reply.type === 'ack') {
        acked += 1;
        ackedPerOption[choice] = (ackedPerOption[choice] ?? 0) + 1;
      } else codes[reply.code] = (codes[reply.code] ?? 0) + 1;
    }),
  );
  return { acked, ackedPerOption, codes, latencies, retried };
}

/** How many viewers last saw exactly `expected` ({total, options}) for the poll, and the most results messages one received in a second. */
function results({ pollId, expected }) {
  let exact = 0;
  let missing = 0;
  let busiest = 0;
  let mostMessages = 0;
  let shortestGap = Infinity;
  const wanted = JSON.stringify(expected.options);
  for (const viewer of viewers) {
    const last = viewer.results.get(pollId);
    if (!last) missing += 1;
    else if (last.total === expected.total && JSON.stringify(last.options) === wanted) exact += 1;
    const times = viewer.resultTimes.get(pollId) ?? [];
    busiest = Math.max(busiest, busiestSecond(times));
    mostMessages = Math.max(mostMessages, times.length);
    for (let i = 1; i < times.length; i += 1) shortestGap = Math.min(shortestGap, times[i] - times[i - 1]);
  }
  return { viewers: viewers.length, exact, missing, busiest, mostMessages, shortestGap };
}

/**
 * The reaction storm: the first `tappers` attendees of this process tap 👏 every `everyMs` ms
 * for `seconds` s (each starting at a random moment of the first interval), while every viewer
 * counts the `reactions` frames it gets. Returns the taps sent, acked and refused (by code),
 * how many claps each viewer saw (total → viewers), the most frames one viewer got within a
 * second and the shortest gap between two frames at any viewer.
 */
async function react({ tappers, seconds, everyMs }) {
  for (const viewer of viewers) {
    viewer.reactions = 0;
    viewer.reactionFrames = [];
  }
  const codes = {};
  let acked = 0;
  const replies = [];
  const started = performance.now();
  const taps = Math.floor((seconds * 1000) / everyMs);
  await Promise.all(
    viewers.slice(0, tappers).map(async (viewer) => {
      const offset = Math.random() * everyMs;
      for (let tap = 0; tap < taps; tap += 1) {
        await sleep(Math.max(0, started + offset + tap * everyMs - performance.now()));
        replies.push(
          request(viewer, { type: 'react', emoji: '👏' }).then((reply) => {
            if (reply.type === 'ack') acked += 1;
            else codes[reply.code] = (codes[reply.code] ?? 0) + 1;
          }),
        );
      }
    }),
  );
  await Promise.all(replies);
  await sleep(2_000);
  const seen = {};
  let busiest = 0;
  let shortestGap = Infinity;
  for (const viewer of viewers) {
    seen[viewer.reactions] = (seen[viewer.reactions] ?? 0) + 1;
    busiest = Math.max(busiest, busiestSecond(viewer.reactionFrames));
    const times = viewer.reactionFrames;
    for (let i = 1; i < times.length; i += 1) shortestGap = Math.min(shortestGap, times[i] - times[i - 1]);
  }
  return { sent: replies.length, acked, codes, seen, busiest, shortestGap };
}

process.on('message', async (command) => {
  try {
    if (command.cmd === 'join') process.send({ ok: true, result: await join(command) });
    else if (command.cmd === 'vote') process.send({ ok: true, result: await vote(command) });
    else if (command.cmd === 'results') process.send({ ok: true, result: results(command) });
    else if (command.cmd === 'react') process.send({ ok: true, result: await react(command) });
    else if (command.cmd === 'exit') {
      for (const viewer of viewers) viewer.socket.terminate();
      process.exit(0);
    }
  } catch (error) {
    process.send({ ok: false, error: String(error.stack ?? error) });
  }
});
