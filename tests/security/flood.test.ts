import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, openSocket, type TestSocket, useRealtimeServer } from '../realtime/support.js';
import { eventually, sleep } from '../support/poll.js';

describe.each(databaseTargets)('chat and question floods on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'inundacion');
  });

  /** Sends `count` commands at once and returns the reply of each, in order. */
  const burst = (socket: TestSocket, count: number, command: (index: number) => Record<string, unknown> & { type: string }) =>
    Promise.all(Array.from({ length: count }, (_, index) => socket.request(command(index))));

  it('chat flood: an attendee past 5 messages in 10 s gets rate_limited errors and nothing more is stored', async () => {
    const flooder = await attendeeOf(server, event.slug, 'Flooder');
    const { socket } = await connect(server, { event: event.slug, token: flooder.token });
    const replies = await burst(socket, 30, (index) => ({ type: 'chat', message: `spam ${index}` }));
    expect(replies.filter((reply) => reply.type === 'ack')).toHaveLength(5);
    const refused = replies.filter((reply) => reply.type === 'error');
    expect(refused).toHaveLength(25);
    for (const reply of refused) expect(reply).toMatchObject({ code: 'rate_limited', retry_after: expect.any(Number) });
    const history = await api(server.url, `/api/events/${event.slug}/chat?limit=200`, { token: event.moderator.token });
    expect(history.body.items.filter((message: { user_id: number }) => message.user_id === flooder.user.id)).toHaveLength(5);
    await socket.close();
  });

  it('question flood: an attendee past 3 questions a minute gets rate_limited errors and nothing more is stored', async () => {
    const flooder = await attendeeOf(server, event.slug, 'Preguntón');
    const { socket } = await connect(server, { event: event.slug, token: flooder.token });
    const replies = await burst(socket, 20, (index) => ({ type: 'ask', question: `¿Pregunta ${index}?` }));
    expect(replies.filter((reply) => reply.type === 'ack')).toHaveLength(3);
    expect(replies.filter((reply) => reply.type === 'error' && reply.code === 'rate_limited')).toHaveLength(17);
    const pending = await api(server.url, `/api/events/${event.slug}/questions?limit=200`, { token: event.moderator.token });
    expect(pending.body.items.filter((question: { user_name: string }) => question.user_name === 'Preguntón')).toHaveLength(3);
    await socket.close();
  });
});

describe('1 000 sockets from one address', () => {
  const openLimit = 100;

  const server = useRealtimeServer(databaseTargets[0]!, {}, {
    trustProxy: true,
    rateLimits: { ...defaultRateLimits, openSocketsPerIp: openLimit, socketsPerIpPerMinute: 100_000 },
  });

  const openMany = (count: number, headers: Record<string, string> = {}) =>
    Promise.all(Array.from({ length: count }, () => openSocket(server, { headers })));

  it('1 000 sockets from one IP: the open-connection limit closes the excess with 1013 and rate_limited, and frees slots as sockets leave', async () => {
    const address = { 'x-forwarded-for': '198.51.100.7' };
    const sockets = await openMany(1_000, address);
    const refused = await eventually(
      () => sockets.filter((socket) => socket.closeInfo?.code === CloseCode.slowReader),
      (list) => list.length >= 1_000 - openLimit,
      10_000,
    );
    expect(refused).toHaveLength(1_000 - openLimit);
    expect(refused[0]!.received[0]).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(sockets.filter((socket) => socket.isOpen)).toHaveLength(openLimit);

    // Another address is not held back by this one.
    const elsewhere = await openSocket(server, { headers: { 'x-forwarded-for': '198.51.100.8' } });
    await sleep(50);
    expect(elsewhere.isOpen).toBe(true);
    await elsewhere.close();

    await Promise.all(sockets.filter((socket) => socket.isOpen).map((socket) => socket.close()));
    const again = await openSocket(server, { headers: address });
    await sleep(50);
    expect(again.isOpen).toBe(true);
    await again.close();
  });

  it('1 000 sockets from one IP behind forged X-Forwarded-For entries: only the address the proxy appended counts', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 200 }, (_, index) => openSocket(server, { headers: { 'x-forwarded-for': `10.1.${index}.1, 198.51.100.9` } })),
    );
    await eventually(() => sockets.filter((socket) => socket.closeInfo?.code === CloseCode.slowReader).length, (count) => count === 200 - openLimit, 10_000);
    await Promise.all(sockets.filter((socket) => socket.isOpen).map((socket) => socket.close()));
  });
});

describe('socket connection rate from one address', () => {
  const server = useRealtimeServer(databaseTargets[0]!, {}, { rateLimits: { ...defaultRateLimits, socketsPerIpPerMinute: 40 } });

  it('socket reconnect storm: past the per-minute rate new sockets are closed with 1013 and told when to retry', async () => {
    const sockets: TestSocket[] = [];
    for (let index = 0; index < 50; index += 1) sockets.push(await openSocket(server));
    const refused = await eventually(
      () => sockets.filter((socket) => socket.closeInfo?.code === CloseCode.slowReader),
      (list) => list.length >= 10,
    );
    expect(refused).toHaveLength(10);
    expect(refused[0]!.received[0]).toMatchObject({ type: 'error', code: 'rate_limited', retry_after: expect.any(Number) });
    await Promise.all(sockets.filter((socket) => socket.isOpen).map((socket) => socket.close()));
  });
});
