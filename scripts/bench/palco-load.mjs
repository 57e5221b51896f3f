// One load process for Palco: registers attendees over HTTP, connects their sockets,
// counts every chat message each viewer receives, and (for its share of senders)
// sends chat within the attendee rate limit. Driven by run.mjs over IPC.
import WebSocket from 'ws';
import { fakeIp, register } from './palco-client.mjs';
import { isLatencySample, pool, sentAtOf, sleep, stampedText, summarize } from './stats.mjs';

const viewers = [];
let sentAcked = 0;
let sendErrors = 0;

/** Wall-clock time of the last chat delivered to any viewer of this process: where the fan-out really ended. */
let lastDeliveryAt = 0;

function connect(socketUrl, token, n, sample) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = new WebSocket(socketUrl, { headers: { 'x-forwarded-for': fakeIp(n) }, perMessageDeflate: false });
    const viewer = { socket, delivered: 0, latencies: sample ? [] : null, pending: new Map(), ref: 0 };
    let welcomed = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    socket.on('message', (data) => {
      const text = data.toString();
      if (!welcomed) {
        if (text.includes('"type":"welcome"')) {
          welcomed = true;
          resolve({ viewer, connectMs: performance.now() - started });
        }
        return;
      }
      if (viewer.latencies || viewer.pending.size) {
        const parsed = JSON.parse(text);
        const messages = Array.isArray(parsed) ? parsed : [parsed];
        const now = Date.now();
        for (const message of messages) {
          if (message.type === 'chat') {
            viewer.delivered += 1;
            lastDeliveryAt = now;
            if (viewer.latencies) {
              const sentAt = sentAtOf(message.message);
              if (sentAt) viewer.latencies.push(now - sentAt);
            }
          } else if ((message.type === 'ack' || message.type === 'error') && viewer.pending.has(message.ref)) {
            viewer.pending.get(message.ref)(message);
            viewer.pending.delete(message.ref);
          }
        }
        return;
      }
      // Counting without parsing keeps the load generator cheap for 10 000 viewers.
      let index = text.indexOf('"type":"chat"');
      if (index !== -1) lastDeliveryAt = Date.now();
      while (index !== -1) {
        viewer.delivered += 1;
        index = text.indexOf('"type":"chat"', index + 13);
      }
    });
    socket.on('error', (error) => {
      if (!welcomed) reject(error);
    });
    socket.on('close', (code) => {
      viewer.closedWith = code;
      if (!welcomed) reject(new Error(`closed ${code} before welcome`));
    });
  });
}

function sendChat(viewer, text) {
  return new Promise((resolve) => {
    const ref = ++viewer.ref;
    viewer.pending.set(ref, resolve);
    // A client id on every message, as the SDK sends it (the server checks it before storing).
    viewer.socket.send(JSON.stringify({ type: 'chat', ref, cid: `bench-${process.pid}-${ref}-${Date.now()}`, message: text }));
  });
}

async function join({ baseUrls, slug, domain, offset, count, samples }) {
  const started = performance.now();
  const indexes = Array.from({ length: count }, (_, i) => offset + i);
  const tokens = new Array(count);
  const failures = [];
  await pool(indexes, 32, async (n, i) => {
    try {
      tokens[i] = await register(baseUrls[0], slug, domain, n);
    } catch (error) {
      failures.push(String(error.message));
    }
  });
  const registeredAt = performance.now();
  const connectTimes = [];
  await pool(indexes, 200, async (n, i) => {
    if (!tokens[i]) return;
    const baseUrl = baseUrls[n % baseUrls.length];
    const socketUrl = `${baseUrl.replace(/^http/, 'ws')}/ws?event=${slug}`;
    try {
      const { viewer, connectMs } = await connect(socketUrl, tokens[i], n, isLatencySample(i, count, samples));
      viewers.push(viewer);
      connectTimes.push(connectMs);
    } catch (error) {
      failures.push(String(error.message));
    }
  });
  return {
    registered: tokens.filter(Boolean).length,
    registerSeconds: (registeredAt - started) / 1000,
    connected: viewers.length,
    connectSeconds: (performance.now() - registeredAt) / 1000,
    connectMs: connectTimes,
    failures: failures.slice(0, 5),
    failureCount: failures.length,
  };
}

async function send({ senders, intervalMs, seconds }) {
  const chosen = viewers.slice(0, senders);
  for (const viewer of chosen) viewer.latencies ??= [];
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    chosen.map(async (viewer, i) => {
      await sleep((intervalMs * i) / chosen.length);
      while (Date.now() < deadline) {
        const tick = Date.now();
        sendChat(viewer, stampedText('mensaje')).then((answer) => {
          if (answer.type === 'ack') sentAcked += 1;
          else sendErrors += 1;
        });
        await sleep(Math.max(0, intervalMs - (Date.now() - tick)));
      }
    }),
  );
  await sleep(1000);
  return { acked: sentAcked, errors: sendErrors };
}

function report() {
  const latencies = viewers.flatMap((viewer) => viewer.latencies ?? []);
  return {
    delivered: viewers.reduce((sum, viewer) => sum + viewer.delivered, 0),
    lastDeliveryAt,
    viewers: viewers.length,
    acked: sentAcked,
    closed: viewers.filter((viewer) => viewer.closedWith !== undefined).length,
    latency: summarize(latencies),
  };
}

process.on('message', async (command) => {
  try {
    if (command.cmd === 'join') process.send({ ok: true, result: await join(command) });
    else if (command.cmd === 'send') process.send({ ok: true, result: await send(command) });
    else if (command.cmd === 'reset') {
      lastDeliveryAt = 0;
      for (const viewer of viewers) {
        viewer.delivered = 0;
        if (viewer.latencies) viewer.latencies = [];
      }
      process.send({ ok: true });
    } else if (command.cmd === 'report') process.send({ ok: true, result: report() });
    else if (command.cmd === 'exit') {
      for (const viewer of viewers) viewer.socket.terminate();
      process.exit(0);
    }
  } catch (error) {
    process.send({ ok: false, error: String(error.stack ?? error) });
  }
});
