// One load process for the many-rooms run, against Palco or the Socket.IO comparison: it
// holds whole events (one sender and that event's viewers), and for each step of the rate
// ladder sends chat at the same rate in every event and counts what each viewer receives.
// Driven by many-rooms.mjs over IPC.
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { fakeIp, register, signIn } from './palco-client.mjs';
import { isLatencySample, LatencyHistogram, pool, sentAtOf, sleep, stampedText, stepTag } from './stats.mjs';

/** @type {{slug: string, phase: number, sender: object, viewers: object[], sent: number, acked: number}[]} */
const rooms = [];
const latency = new LatencyHistogram();
const errors = {};
const closes = {};
let delivered = 0;
/** Text every message of the current step starts with: what arrives late from an earlier step is not counted. */
let tag = 'none';

const countClose = (code) => {
  closes[code] = (closes[code] ?? 0) + 1;
};

/** A chat message arrived at a viewer: counted if it is of this step, and its latency taken at a sampled viewer. */
function chatArrived(text, sample) {
  if (typeof text !== 'string' || !text.startsWith(`${tag} `)) return;
  delivered += 1;
  if (sample) latency.add(Date.now() - sentAtOf(text));
}

/* ------------------------------------------------------------------ Palco */

function palcoSocket(baseUrl, slug, token, n, onFrame) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?event=${slug}`, {
      headers: { 'x-forwarded-for': fakeIp(n) },
      perMessageDeflate: false,
    });
    let welcomed = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    socket.on('message', (data) => {
      if (welcomed) return onFrame(data.toString());
      if (data.toString().includes('"type":"welcome"')) {
        welcomed = true;
        resolve(socket);
      }
    });
    socket.on('error', (error) => {
      if (!welcomed) reject(error);
    });
    socket.on('close', (code) => {
      if (welcomed) countClose(code);
      else reject(new Error(`closed ${code} before welcome`));
    });
  });
}

/**
 * A sampled viewer parses every frame (a frame may hold a burst of messages as a JSON array);
 * the others count this step's messages in the text, which keeps thousands of viewers cheap.
 */
function palcoViewerFrame(sample) {
  if (sample) {
    return (text) => {
      const parsed = JSON.parse(text);
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        if (message.type === 'chat') chatArrived(message.message, true);
      }
    };
  }
  return (text) => {
    const needle = `"message":"${tag} `;
    let index = text.indexOf(needle);
    while (index !== -1) {
      delivered += 1;
      index = text.indexOf(needle, index + needle.length);
    }
  };
}

function palcoSenderFrame(room) {
  return (text) => {
    if (!text.includes('"type":"ack"') && !text.includes('"type":"error"')) return;
    const parsed = JSON.parse(text);
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      if (message.type === 'ack') room.acked += 1;
      else if (message.type === 'error') errors[message.code] = (errors[message.code] ?? 0) + 1;
    }
  };
}

async function joinPalco({ events, viewersPerEvent, samplesPerEvent, firstPerson }) {
  const failures = [];
  const people = events.flatMap((event, e) =>
    Array.from({ length: viewersPerEvent }, (_, v) => ({ event, e, v, n: firstPerson + e * (viewersPerEvent + 1) + v + 1 })),
  );
  const tokens = new Map();
  await pool(people, 32, async (person) => {
    try {
      tokens.set(person.n, await register(person.event.baseUrl, person.event.slug, 'bench.test', person.n));
    } catch (error) {
      failures.push(String(error.message));
    }
  });
  await pool(events, 16, async (event, e) => {
    const room = { slug: event.slug, phase: event.phase, sender: null, viewers: [], sent: 0, acked: 0 };
    rooms.push(room);
    try {
      const n = firstPerson + e * (viewersPerEvent + 1);
      const token = await signIn(event.baseUrl, event.slug, event.moderator, n);
      room.sender = await palcoSocket(event.baseUrl, event.slug, token, n, palcoSenderFrame(room));
    } catch (error) {
      failures.push(String(error.message));
    }
  });
  const bySlug = new Map(rooms.map((room) => [room.slug, room]));
  await pool(people, 200, async (person) => {
    if (!tokens.has(person.n)) return;
    try {
      const onFrame = palcoViewerFrame(isLatencySample(person.v, viewersPerEvent, samplesPerEvent));
      const socket = await palcoSocket(person.event.baseUrl, person.event.slug, tokens.get(person.n), person.n, onFrame);
      bySlug.get(person.event.slug).viewers.push(socket);
    } catch (error) {
      failures.push(String(error.message));
    }
  });
  return failures;
}

let palcoRef = 0;
const cidPrefix = `b${process.pid}x${Date.now().toString(36)}`;

function sendPalco(room) {
  palcoRef += 1;
  // A client id on every message, as the SDK sends it (the server checks it before storing).
  room.sender.send(JSON.stringify({ type: 'chat', ref: palcoRef, cid: `${cidPrefix}x${palcoRef}`, message: stampedText(tag) }));
}

/* ------------------------------------------------------------------ Socket.IO */

function socketIoSocket(url, slug, onChat) {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], query: { event: slug }, reconnection: false, forceNew: true });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
    socket.on('disconnect', (reason) => countClose(reason));
    if (onChat) socket.on('chat', onChat);
  });
}

async function joinSocketIo({ events, viewersPerEvent, samplesPerEvent }) {
  const failures = [];
  await pool(events, 16, async (event) => {
    const room = { slug: event.slug, phase: event.phase, baseUrl: event.baseUrl, sender: null, viewers: [], sent: 0, acked: 0 };
    rooms.push(room);
    try {
      room.sender = await socketIoSocket(event.baseUrl, event.slug, null);
    } catch (error) {
      failures.push(String(error.message));
    }
  });
  const people = rooms.flatMap((room) => Array.from({ length: viewersPerEvent }, (_, v) => ({ room, v })));
  await pool(people, 200, async ({ room, v }) => {
    const sample = isLatencySample(v, viewersPerEvent, samplesPerEvent);
    const onChat = (message) => chatArrived(message?.message, sample);
    try {
      room.viewers.push(await socketIoSocket(room.baseUrl, room.slug, onChat));
    } catch (error) {
      failures.push(String(error.message));
    }
  });
  return failures;
}

function sendSocketIo(room) {
  room.sender.emit('chat', { message: stampedText(tag) }, () => {
    room.acked += 1;
  });
}

/* ------------------------------------------------------------------ the ladder */

let kind = 'palco';

async function join(command) {
  kind = command.kind;
  const started = performance.now();
  const failures = kind === 'palco' ? await joinPalco(command) : await joinSocketIo(command);
  return {
    seconds: (performance.now() - started) / 1000,
    rooms: rooms.filter((room) => room.sender).length,
    viewers: rooms.reduce((sum, room) => sum + room.viewers.length, 0),
    failureCount: failures.length,
    failures: failures.slice(0, 3),
  };
}

const expectedDeliveries = () => rooms.reduce((sum, room) => sum + room.sent * room.viewers.length, 0);

/**
 * One step: from `startAt` (ms since the epoch, the same for every load process) each event's
 * sender sends `rate` messages/s for `seconds`, each event offset by its `phase` (a fraction of
 * the interval, spread over all events of all load processes) so the sends spread evenly; then
 * it waits up to `drainMs` for every viewer to receive them.
 */
async function step({ step: index, rate, seconds, startAt, drainMs }) {
  tag = stepTag(index);
  delivered = 0;
  latency.reset();
  for (const key of Object.keys(errors)) delete errors[key];
  const active = rooms.filter((room) => room.sender);
  for (const room of active) {
    room.sent = 0;
    room.acked = 0;
  }
  const send = kind === 'palco' ? sendPalco : sendSocketIo;
  await sleep(startAt - Date.now());
  const end = startAt + seconds * 1000;
  for (let now = Date.now(); now < end; now = Date.now()) {
    const elapsed = (now - startAt) / 1000;
    active.forEach((room) => {
      const due = Math.floor(elapsed * rate + room.phase);
      while (room.sent < due) {
        room.sent += 1;
        send(room);
      }
    });
    await sleep(5);
  }
  const sentAll = () => active.reduce((sum, room) => sum + room.sent, 0);
  const ackedAll = () => active.reduce((sum, room) => sum + room.acked, 0);
  const drainEnd = Date.now() + drainMs;
  while (Date.now() < drainEnd && (delivered < expectedDeliveries() || ackedAll() < sentAll())) await sleep(20);
  return {
    sent: sentAll(),
    acked: ackedAll(),
    errors: { ...errors },
    delivered,
    expected: expectedDeliveries(),
    latency: latency.entries(),
    closes: { ...closes },
  };
}

process.on('message', async (command) => {
  try {
    if (command.cmd === 'join') process.send({ ok: true, result: await join(command) });
    else if (command.cmd === 'step') process.send({ ok: true, result: await step(command) });
    else if (command.cmd === 'exit') {
      for (const room of rooms) {
        for (const socket of [room.sender, ...room.viewers]) {
          if (!socket) continue;
          if (kind === 'palco') socket.terminate();
          else socket.disconnect();
        }
      }
      process.exit(0);
    }
  } catch (error) {
    process.send({ ok: false, error: String(error.stack ?? error) });
  }
});
