import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { frameCostBytes } from '../../packages/backend/src/realtime/frame-budget.js';
import { defaultRealtimeSettings } from '../../packages/backend/src/config.js';
import { traffic } from '../../packages/backend/src/realtime/traffic.js';
import { eventually } from '../support/poll.js';
import { stalledSocket } from '../support/raw-socket.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';

const { perSocket } = defaultRealtimeSettings.frameBudget;
/** Frames that refill while a flood is in flight on a busy machine (a second's worth). */
const refillSlack = perSocket.perSecond;

/** A masked client frame (RFC 6455 §5.2) with a zero key, so the payload stays as written. */
const frame = (firstByte: number, payload = '') => {
  const bytes = Buffer.from(payload);
  const length = bytes.length < 126 ? [bytes.length | 0x80] : [126 | 0x80, bytes.length >> 8, bytes.length & 0xff];
  return Buffer.concat([Buffer.from([firstByte, ...length, 0, 0, 0, 0]), bytes]);
};
const ping = frame(0x89);
const pong = frame(0x8a);
/** A ping command cut in many fragments: a text frame without FIN, empty continuations, a final one. */
const fragmentedPing = (fragments: number) =>
  Buffer.concat([frame(0x01, '{"type":'), ...Array.from({ length: fragments - 2 }, () => frame(0x00)), frame(0x80, '"ping"}')]);

interface Flooder {
  socket: Socket;
  /** Bytes the server wrote back after the handshake. */
  read: () => number;
  /** The close code the server sent, once it did. */
  closeCode: () => number | null;
  /** Whether the server closed the connection, with or without a close frame. */
  ended: () => boolean;
}

/** The close code in the server's frames (unmasked, RFC 6455 §5.2), if a close frame came. */
function closeCodeIn(bytes: Buffer): number | null {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) [length, header] = [bytes.readUInt16BE(at + 2), 4];
    else if (length === 127) [length, header] = [Number(bytes.readBigUInt64BE(at + 2)), 10];
    if (opcode === 0x08 && at + header + 2 <= bytes.length) return bytes.readUInt16BE(at + header);
    at += header + length;
  }
  return null;
}

/** A raw socket that reads what comes back, so the server's replies are counted, not stalled. */
async function flooder(url: string, path: string): Promise<Flooder> {
  const socket = await stalledSocket(url, path);
  const chunks: Buffer[] = [];
  let ended = false;
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('close', () => (ended = true));
  socket.resume();
  const received = () => Buffer.concat(chunks);
  return { socket, read: () => received().length, closeCode: () => closeCodeIn(received()), ended: () => ended };
}

describe('frames the socket library answers or joins by itself', () => {
  const server = useRealtimeServer(databaseTargets[0]!);

  it('cuts a socket that floods ping control frames, after answering no more pongs than its budget', async () => {
    const event = await createEvent(server, 'inundacion-control');
    const flood = await flooder(server.url, `/ws?event=${event.slug}&token=${encodeURIComponent((await attendeeOf(server, event.slug)).token)}`);
    // Batches small enough that ws's own cap on unanswered pongs (60) never trips: the pongs go out.
    const batch = Buffer.concat(Array.from({ length: 40 }, () => ping));
    for (let sent = 0; sent < 100_000 && flood.closeCode() === null && !flood.ended(); sent += 40) {
      await new Promise((resolve) => flood.socket.write(batch, resolve));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await eventually(() => Promise.resolve(flood.ended()), (ended) => ended, 15_000, 'the server closed the flooder');
    // On a busy machine ws's own cap may cut it first, without a close frame; either way it is cut.
    expect([CloseCode.policyViolation, null]).toContain(flood.closeCode());
    // Each pong is two bytes; the welcome and the close frame are the rest.
    expect(flood.read()).toBeLessThan(2 * (perSocket.burst + refillSlack) + 16 * 1024);
    flood.socket.destroy();
  }, 120_000);

  it('closes with 1008 a socket that floods unsolicited pong control frames', async () => {
    const event = await createEvent(server, 'inundacion-pong');
    const flood = await flooder(server.url, `/ws?event=${event.slug}&token=${encodeURIComponent((await attendeeOf(server, event.slug)).token)}`);
    flood.socket.write(Buffer.concat(Array.from({ length: 200_000 }, () => pong)));
    await eventually(() => Promise.resolve(flood.closeCode()), (code) => code !== null, 15_000, 'the server closed the flooder');
    expect(flood.closeCode()).toBe(CloseCode.policyViolation);
    flood.socket.destroy();
  });

  it('refuses a command cut into many fragments, so empty continuation frames cannot bypass the budget', async () => {
    const event = await createEvent(server, 'inundacion-fragmentos');
    const { socket: other } = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    const flood = await flooder(server.url, `/ws?event=${event.slug}&token=${encodeURIComponent((await attendeeOf(server, event.slug)).token)}`);
    const started = performance.now();
    // 100 commands of 16 000 frames each: 1.6 million frames that cost the budget 100 frames.
    const message = fragmentedPing(16_000);
    for (let n = 0; n < 100; n += 1) flood.socket.write(message);
    await eventually(() => Promise.resolve(flood.closeCode()), (code) => code !== null, 30_000, 'the server closed the flooder');
    const seconds = (performance.now() - started) / 1000;
    expect(flood.closeCode()).toBe(CloseCode.policyViolation);
    expect(seconds).toBeLessThan(5);
    expect(other.isOpen).toBe(true);
    flood.socket.destroy();
    await other.close();
  }, 60_000);

  it('charges a frame just under the 16 KiB cap for its size, so large frames spend the budget sooner', async () => {
    const event = await createEvent(server, 'inundacion-grandes');
    const flood = await flooder(server.url, `/ws?event=${event.slug}&token=${encodeURIComponent((await attendeeOf(server, event.slug)).token)}`);
    const large = frame(0x81, JSON.stringify({ type: 'ping', pad: 'x'.repeat(16 * 1024 - 64) }));
    const before = traffic.framesIn;
    flood.socket.write(Buffer.concat(Array.from({ length: perSocket.burst }, () => large)));
    await eventually(() => Promise.resolve(flood.closeCode()), (code) => code !== null, 30_000, 'the server closed the flooder');
    expect(flood.closeCode()).toBe(CloseCode.policyViolation);
    const perFrame = Math.ceil(large.length / frameCostBytes);
    expect(perFrame).toBeGreaterThanOrEqual(8);
    expect(traffic.framesIn - before).toBeLessThanOrEqual((perSocket.burst + refillSlack) / perFrame + 1);
    flood.socket.destroy();
  }, 60_000);
});
