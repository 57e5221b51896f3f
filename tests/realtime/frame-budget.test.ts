import { describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { defaultRealtimeSettings } from '../../packages/backend/src/config.js';
import { traffic } from '../../packages/backend/src/realtime/traffic.js';
import { eventually } from '../support/poll.js';
import { clientFrames, stalledSocket } from '../support/raw-socket.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, openSocket, type TestSocket, useRealtimeServer } from './support.js';

const { perSocket, perUser } = defaultRealtimeSettings.frameBudget;
/**
 * Frames that refill while a burst is in flight: the bucket earns `perSecond` a second, so a
 * burst read over `sinceMs` (ms, from a performance.now() taken before it) earns that much,
 * and a second more for the reads in flight. On a busy machine the server reads the burst
 * over several seconds, and every frame of that refill is rightly answered.
 */
const refillSlack = (perSecond: number, sinceMs: number) => Math.ceil(perSecond * ((performance.now() - sinceMs) / 1000 + 1));

const sendMany = (socket: TestSocket, count: number, message: string) => {
  for (let n = 0; n < count; n += 1) socket.sendRaw(message);
};

describe('the frame budget of a socket', () => {
  const server = useRealtimeServer(databaseTargets[0]!);

  it('closes with 1008 a socket that sends pings past its budget, and answers no more than the budget', async () => {
    const event = await createEvent(server, 'presupuesto');
    const { socket } = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    const sent = performance.now();
    sendMany(socket, perSocket.burst * 3, '{"type":"ping"}');
    expect((await socket.closed).code).toBe(CloseCode.policyViolation);
    expect(socket.all('pong').length).toBeLessThanOrEqual(perSocket.burst + refillSlack(perSocket.perSecond, sent));
  });

  it('counts malformed frames and frames sent before authenticating against the budget', async () => {
    const malformed = await openSocket(server);
    const sent = performance.now();
    sendMany(malformed, perSocket.burst * 3, 'no es JSON');
    expect((await malformed.closed).code).toBe(CloseCode.policyViolation);
    expect(malformed.all('error').length).toBeLessThanOrEqual(perSocket.burst + refillSlack(perSocket.perSecond, sent));
  });

  it("shares one budget between an attendee's sockets, so four sockets do not get four budgets", async () => {
    const event = await createEvent(server, 'presupuesto-usuario');
    const ana = await attendeeOf(server, event.slug);
    const sockets = await Promise.all([0, 1, 2, 3].map(async () => (await connect(server, { event: event.slug, token: ana.token })).socket));
    // Each socket stays inside its own budget; together they spend the attendee's.
    const each = Math.floor(perSocket.burst * 0.9);
    expect(each * sockets.length).toBeGreaterThan(perUser.burst + perUser.perSecond);
    const sent = performance.now();
    for (const socket of sockets) sendMany(socket, each, '{"type":"ping"}');
    const closed = await eventually(() => sockets.filter((socket) => socket.closeInfo), (list) => list.length > 0, 10_000);
    expect(closed.every((socket) => socket.closeInfo!.code === CloseCode.policyViolation)).toBe(true);
    await eventually(() => Promise.resolve(sockets.map((socket) => socket.all('pong').length)), () => sockets.every((socket) => socket.closeInfo || socket.all('pong').length === each), 10_000);
    const answered = sockets.reduce((sum, socket) => sum + socket.all('pong').length, 0);
    expect(answered).toBeLessThanOrEqual(perUser.burst + refillSlack(perUser.perSecond, sent));
    await Promise.all(sockets.filter((socket) => socket.isOpen).map((socket) => socket.close()));
  });
});

describe('a socket that does not read its replies', () => {
  const cap = 64 * 1024;
  // A budget too large to stop it first: the unread replies alone must get it dropped.
  const unbounded = { burst: 10_000_000, perSecond: 10_000_000 };
  const server = useRealtimeServer(databaseTargets[0]!, { maxBufferedBytes: cap, frameBudget: { perSocket: unbounded, perUser: unbounded, perAddress: unbounded, quiet: unbounded } });

  it('is dropped with 1013 once its unread replies pass the cap, which they never pass by much', async () => {
    const event = await createEvent(server, 'sin-leer');
    const ana = await attendeeOf(server, event.slug);
    const flooder = await stalledSocket(server.url, `/ws?event=${event.slug}&token=${encodeURIComponent(ana.token)}`);
    await eventually(() => server.hub.viewersNow(event.id), (viewers) => viewers === 1);
    const dropped = traffic.slowReadersDropped;
    let largest = 0;
    const sampler = setInterval(() => {
      largest = Math.max(largest, server.hub.bufferedBytes.largest);
    }, 2);
    try {
      // Far more pongs than the kernel's buffers and the cap together hold.
      flooder.write(clientFrames(['{"type":"ping"}'], 600_000));
      await eventually(() => traffic.slowReadersDropped, (count) => count === dropped + 1, 20_000);
    } finally {
      clearInterval(sampler);
    }
    await eventually(() => server.hub.openSockets, (open) => open === 0, 10_000);
    expect(server.hub.viewersNow(event.id)).toBe(0);
    expect(largest).toBeGreaterThan(cap);
    expect(largest).toBeLessThan(cap + 16 * 1024);
    flooder.destroy();
  }, 60_000);
});
