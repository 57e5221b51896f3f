// The two sides of the socket-flood run, each in its own process so that neither's event
// loop delays the other's measurements. Driven by flood.mjs over IPC.
//
// flooder: one attendee's sockets writing tiny frames as fast as the kernel takes them and
//   never reading, over raw TCP (a WebSocket client library would read and answer).
// probe: other attendees pinging over their sockets, and GET /healthz, timing every answer.
import { randomBytes } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import WebSocket from 'ws';
import { fakeIp } from './palco-client.mjs';
import { LatencyHistogram, sleep, summarizeHistograms } from './stats.mjs';

/* ------------------------------------------------------------------ flooder */

/** What each kind of flooding socket repeats. All are tiny; `before-auth` never authenticates. */
const floodPayloads = {
  ping: ['{"type":"ping"}'],
  malformed: ['{"type":'],
  'before-auth': ['{"type":"ping"}'],
  mixed: ['{"type":"ping"}', '{nope', '{"type":"wat"}', '{"type":"chat"}', '[]'],
};
/** Bytes of frames handed to the kernel per write. */
const chunkBytes = 16 * 1024;
/** Writes in a row before the flooder lets its other sockets and IPC have a turn. */
const writesPerTurn = 8;
/** After the flood, how long the flooder reads what the server sent, looking for its close frame (ms). */
const readBackMs = 5_000;

/** A masked client text frame (RFC 6455 §5.2) of a payload under 126 bytes. */
function clientFrame(payload, mask) {
  const body = Buffer.from(payload);
  const frame = Buffer.alloc(6 + body.length);
  frame[0] = 0x81;
  frame[1] = 0x80 | body.length;
  mask.copy(frame, 2);
  for (let i = 0; i < body.length; i += 1) frame[6 + i] = body[i] ^ mask[i % 4];
  return frame;
}

function floodChunk(kind) {
  const mask = randomBytes(4);
  const frames = floodPayloads[kind].map((payload) => clientFrame(payload, mask));
  const parts = [];
  let bytes = 0;
  for (let i = 0; bytes < chunkBytes; i += 1) {
    const frame = frames[i % frames.length];
    parts.push(frame);
    bytes += frame.length;
  }
  return { chunk: Buffer.concat(parts), frames: parts.length };
}

/** The server's frames in `data` (unmasked): replies counted by type or error code, and the close frame if any. */
function readServerFrames(data) {
  const replies = {};
  let close = null;
  let offset = 0;
  while (offset + 2 <= data.length) {
    const opcode = data[offset] & 0x0f;
    let length = data[offset + 1] & 0x7f;
    let header = 2;
    if (length === 126) {
      if (offset + 4 > data.length) break;
      length = data.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (offset + 10 > data.length) break;
      length = Number(data.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (offset + header + length > data.length) break;
    const payload = data.subarray(offset + header, offset + header + length);
    offset += header + length;
    if (opcode === 0x8) {
      close = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString(), repliesBefore: { ...replies } };
      break;
    }
    if (opcode !== 0x1) continue;
    const text = payload.toString();
    const type = /"type":"(\w+)"/.exec(text)?.[1] ?? 'other';
    const key = type === 'error' ? `error ${/"code":"(\w+)"/.exec(text)?.[1]}` : type;
    replies[key] = (replies[key] ?? 0) + 1;
  }
  return { replies, close };
}

/**
 * Opens one raw WebSocket: the upgrade request from the attendee's address, then (unless it
 * floods before auth) waits for the welcome. Answers the TCP socket, paused, and what it read.
 */
function openRaw({ host, port, path, ip, waitForWelcome }) {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host, port });
    const received = [];
    let handshakeDone = false;
    let handshakeBytes = 0;
    const onData = (chunk) => {
      received.push(chunk);
      const data = Buffer.concat(received);
      if (!handshakeDone) {
        const end = data.indexOf('\r\n\r\n');
        if (end === -1) return;
        if (!data.subarray(0, 12).toString().includes(' 101')) {
          reject(new Error(`upgrade refused: ${data.subarray(0, end).toString().split('\r\n')[0]}`));
          socket.destroy();
          return;
        }
        handshakeDone = true;
        received.splice(0, received.length, data.subarray(end + 4));
      }
      if (waitForWelcome && !Buffer.concat(received).includes('"type":"welcome"')) return;
      socket.off('data', onData);
      socket.pause();
      resolve({ socket, received: Buffer.concat(received), handshakeBytes });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('connect', () => {
      const request = [
        `GET ${path} HTTP/1.1`,
        `Host: ${host}:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `X-Forwarded-For: ${ip}`,
        '',
        '',
      ].join('\r\n');
      handshakeBytes = Buffer.byteLength(request);
      socket.write(request);
    });
  });
}

let stopRequested = false;

/** The upgrade path of a flooding socket: with the session token, except the one that floods before auth. */
const floodPath = (slug, token, kind) => (kind === 'before-auth' ? `/ws?event=${slug}` : `/ws?event=${slug}&token=${encodeURIComponent(token)}`);

/** Floods from one open socket until `deadline` or a write fails; then reads what the server sent meanwhile. */
async function floodOne({ socket, received, handshakeBytes }, kind, deadline, started) {
  const { chunk, frames } = floodChunk(kind);
  let writeError = null;
  let stoppedAt = null;
  await new Promise((resolve) => {
    const finish = () => {
      stoppedAt ??= performance.now() - started;
      resolve();
    };
    // A reset while a write waits for room: the flood from this socket ends then, not at the deadline.
    socket.on('error', (error) => {
      writeError ??= error.code ?? error.message;
      finish();
    });
    const pump = () => {
      for (let i = 0; i < writesPerTurn; i += 1) {
        if (writeError || stopRequested || Date.now() >= deadline || socket.destroyed) return finish();
        if (!socket.write(chunk)) {
          // The kernel's buffer is full: the server is not reading as fast as we write.
          const retry = setTimeout(() => {
            socket.off('drain', onDrain);
            pump();
          }, Math.max(0, deadline - Date.now()));
          const onDrain = () => {
            clearTimeout(retry);
            pump();
          };
          socket.once('drain', onDrain);
          return undefined;
        }
      }
      setImmediate(pump);
      return undefined;
    };
    pump();
  });
  // Frames written: bytes past the upgrade request (the last batch may still wait in Node), in frames of this kind.
  const framesWritten = Math.floor(((socket.bytesWritten - handshakeBytes) / chunk.length) * frames);
  const parts = [received];
  let ended = false;
  socket.on('data', (data) => parts.push(data));
  socket.once('close', () => (ended = true));
  socket.resume();
  const readUntil = Date.now() + readBackMs;
  while (Date.now() < readUntil && !ended && !readServerFrames(Buffer.concat(parts)).close) await sleep(50);
  socket.destroy();
  const { replies, close } = readServerFrames(Buffer.concat(parts));
  return { kind, framesWritten, stoppedAtMs: stoppedAt, writeError, close, replies };
}

/** Opens every socket first (the authenticated ones up to their welcome), then floods from all of them at once. */
async function flood({ host, port, slug, token, ip, kinds, seconds }) {
  stopRequested = false;
  const sockets = await Promise.all(kinds.map((kind) => openRaw({ host, port, path: floodPath(slug, token, kind), ip, waitForWelcome: kind !== 'before-auth' })));
  const started = performance.now();
  const deadline = Date.now() + seconds * 1000;
  return Promise.all(kinds.map((kind, i) => floodOne(sockets[i], kind, deadline, started)));
}

/* ------------------------------------------------------------------ probe */

/** Probes stop waiting for an answer after this long and count it as that late (ms). */
const probeTimeoutMs = 5_000;
const phases = new Map();
let phase = null;
let probing = false;
const probeSockets = [];

function phaseStats(name) {
  if (!phases.has(name)) phases.set(name, { ping: new LatencyHistogram(), health: new LatencyHistogram(), healthFailures: 0 });
  return phases.get(name);
}

function probeSocket(baseUrl, slug, token, ip) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?event=${slug}`, { headers: { 'x-forwarded-for': ip }, perMessageDeflate: false });
    const probe = { socket, pending: new Map(), ref: 0, closedWith: null };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"type":"welcome"')) return resolve(probe);
      if (!text.includes('"type":"pong"')) return;
      const { ref } = JSON.parse(text);
      const sent = probe.pending.get(ref);
      if (sent === undefined) return;
      probe.pending.delete(ref);
      sent.stats.ping.add(performance.now() - sent.at);
    });
    socket.on('error', reject);
    socket.on('close', (code) => {
      probe.closedWith = code;
      reject(new Error(`probe closed ${code}`));
    });
  });
}

/** Counts each ping still unanswered after the timeout as that late, so a silent server raises the p99. */
function expirePings(now) {
  for (const probe of probeSockets) {
    for (const [ref, sent] of probe.pending) {
      if (now - sent.at < probeTimeoutMs) continue;
      sent.stats.ping.add(probeTimeoutMs);
      probe.pending.delete(ref);
    }
  }
}

async function pingLoop(probe, intervalMs, offsetMs) {
  await sleep(offsetMs);
  while (probing) {
    if (probe.closedWith === null && phase) {
      probe.ref += 1;
      probe.pending.set(probe.ref, { at: performance.now(), stats: phaseStats(phase) });
      probe.socket.send(JSON.stringify({ type: 'ping', ref: probe.ref }));
    }
    expirePings(performance.now());
    await sleep(intervalMs);
  }
}

async function healthLoop(baseUrl, intervalMs) {
  while (probing) {
    if (phase) {
      const stats = phaseStats(phase);
      const at = performance.now();
      try {
        const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(probeTimeoutMs) });
        await response.arrayBuffer();
        if (response.status !== 200) stats.healthFailures += 1;
        stats.health.add(performance.now() - at);
      } catch {
        stats.healthFailures += 1;
        stats.health.add(probeTimeoutMs);
      }
    }
    await sleep(intervalMs);
  }
}

const loops = [];

async function probeStart({ baseUrl, slug, tokens, firstPerson, pingIntervalMs, healthIntervalMs }) {
  for (const [i, token] of tokens.entries()) probeSockets.push(await probeSocket(baseUrl, slug, token, fakeIp(firstPerson + i)));
  for (const probe of probeSockets) probe.socket.removeAllListeners('error').on('error', () => {});
  probing = true;
  // The sockets take turns, so together they ping every pingIntervalMs / sockets.
  probeSockets.forEach((probe, i) => loops.push(pingLoop(probe, pingIntervalMs, (pingIntervalMs * i) / probeSockets.length)));
  loops.push(healthLoop(baseUrl, healthIntervalMs));
}

async function probeStop() {
  phase = null;
  const waitUntil = performance.now() + probeTimeoutMs;
  while (performance.now() < waitUntil && probeSockets.some((probe) => probe.pending.size)) await sleep(20);
  probing = false;
  await Promise.all(loops);
  expirePings(Number.POSITIVE_INFINITY);
  const result = {};
  for (const [name, stats] of phases) {
    result[name] = {
      ping: summarizeHistograms([stats.ping.entries()]),
      health: summarizeHistograms([stats.health.entries()]),
      healthFailures: stats.healthFailures,
    };
  }
  return { phases: result, probesClosed: probeSockets.filter((probe) => probe.closedWith !== null).map((probe) => probe.closedWith) };
}

process.on('message', async (command) => {
  try {
    if (command.cmd === 'flood') process.send({ ok: true, result: await flood(command) });
    else if (command.cmd === 'stop') stopRequested = true;
    else if (command.cmd === 'probe-start') process.send({ ok: true, result: await probeStart(command) });
    else if (command.cmd === 'phase') {
      phase = command.name;
      process.send({ ok: true });
    } else if (command.cmd === 'probe-stop') process.send({ ok: true, result: await probeStop() });
    else if (command.cmd === 'exit') process.exit(0);
  } catch (error) {
    process.send({ ok: false, error: String(error.stack ?? error) });
  }
});
