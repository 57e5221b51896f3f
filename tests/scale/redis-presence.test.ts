import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { RedisPresence } from '../../packages/backend/src/realtime/redis-presence.js';
import type { AttendeeSession } from '../../packages/backend/src/realtime/presence.js';
import { redisServerAvailable, testRedisUrl, ThrowawayRedis, uniquePrefix } from '../support/redis.js';
import { sleep } from '../support/poll.js';

const logger = pino({ level: 'silent' });
const eventId = 42;

const attendee = (userId: number, since = Date.parse('2026-03-01T18:00:00Z')): AttendeeSession => ({
  userId,
  name: `Asistente ${userId}`,
  role: 'visor',
  since,
  secondsWatched: 0,
});

const clients: Redis[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

/** One backend process's presence, on its own client like a real process. */
function processPresence(url: string, prefix: string, ttlMs = 30_000) {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => {});
  clients.push(client);
  const presence = new RedisPresence({ client, prefix, processId: randomUUID(), ttlMs, readIntervalMs: 10, logger });
  return { client, presence };
}

async function ready(...clientsToWait: Redis[]) {
  await Promise.all(clientsToWait.map((client) => (client.status === 'ready' ? null : new Promise((resolve) => client.once('ready', resolve)))));
}

/** Writes go out without being awaited: a round trip on each client lets them land. */
const settle = (...clientsToWait: Redis[]) => Promise.all(clientsToWait.map((client) => client.ping()));

const seconds = () => 0;

/** Two processes on one prefix, attendee 1 on A and attendee 2 on B, both counted by A. */
async function oneAttendeeOnEach(url: string, ttlMs?: number) {
  const prefix = uniquePrefix();
  const a = processPresence(url, prefix, ttlMs);
  const b = processPresence(url, prefix, ttlMs);
  await ready(a.client, b.client);
  a.presence.arrived(eventId, attendee(1));
  b.presence.arrived(eventId, attendee(2));
  await settle(a.client, b.client);
  await a.presence.refresh(eventId);
  expect(a.presence.viewers(eventId)).toBe(2);
  return { a, b };
}

describe.skipIf(!testRedisUrl)('presence shared through Redis', () => {
  it('counts distinct attendees across processes, two tabs on two processes once', async () => {
    const prefix = uniquePrefix();
    const a = processPresence(testRedisUrl!, prefix);
    const b = processPresence(testRedisUrl!, prefix);
    await ready(a.client, b.client);
    // Attendance on each process tells presence once per person: two tabs there are one `arrived`.
    a.presence.arrived(eventId, attendee(1));
    a.presence.arrived(eventId, attendee(2));
    b.presence.arrived(eventId, attendee(2));
    b.presence.arrived(eventId, attendee(3));
    await settle(a.client, b.client);
    await Promise.all([a.presence.refresh(eventId), b.presence.refresh(eventId)]);
    expect(a.presence.viewers(eventId)).toBe(3);
    expect(b.presence.viewers(eventId)).toBe(3);
    expect(a.presence.remoteSessions(eventId).map((session) => session.userId)).toEqual([3]);
    expect(b.presence.remoteSessions(eventId).map((session) => session.userId).sort()).toEqual([1]);

    // Attendee 2 leaves B but is still on A: still counted; attendee 3 is gone.
    b.presence.left(eventId, 2);
    b.presence.left(eventId, 3);
    await settle(b.client);
    await a.presence.refresh(eventId);
    expect(a.presence.viewers(eventId)).toBe(2);
    expect(b.presence.viewers(eventId)).toBe(2);
    await b.presence.refresh(eventId);
    expect(b.presence.viewers(eventId)).toBe(2);
    expect(b.presence.remoteSessions(eventId).map((session) => session.userId).sort()).toEqual([1, 2]);
  });

  it('forgets the viewers of a process that stops renewing them', async () => {
    const { a } = await oneAttendeeOnEach(testRedisUrl!, 300);
    // B goes silent (as if killed); A keeps its heartbeat.
    const deadline = Date.now() + 5_000;
    while (a.presence.viewers(eventId) !== 1 && Date.now() < deadline) {
      await a.presence.heartbeat(seconds);
      await sleep(50);
      await a.presence.refresh(eventId);
    }
    expect(a.presence.viewers(eventId)).toBe(1);
  });

  it('passes the watch time counted by the owning process on with its heartbeat', async () => {
    const prefix = uniquePrefix();
    const a = processPresence(testRedisUrl!, prefix);
    const b = processPresence(testRedisUrl!, prefix);
    await ready(a.client, b.client);
    a.presence.arrived(eventId, attendee(1));
    await a.presence.heartbeat(() => 185);
    await b.presence.refresh(eventId);
    expect(b.presence.remoteSessions(eventId)).toEqual([{ ...attendee(1), secondsWatched: 185 }]);
  });

  it('lets exactly one process claim each event and minute of the concurrency curve', async () => {
    const prefix = uniquePrefix();
    const processes = [processPresence(testRedisUrl!, prefix), processPresence(testRedisUrl!, prefix), processPresence(testRedisUrl!, prefix)];
    await ready(...processes.map((process) => process.client));
    const minute = new Date('2026-03-01T18:01:00Z');
    const claims = await Promise.all(processes.map((process) => process.presence.claimSample(eventId, minute)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await processes[0]!.presence.claimSample(eventId + 1, minute)).toBe(true);
    expect(await processes[1]!.presence.claimSample(eventId, new Date('2026-03-01T18:02:00Z'))).toBe(true);
  });
});

describe.skipIf(!redisServerAvailable)('presence when Redis goes away', () => {
  it('counts local attendees while Redis is down and every process again once it is back', async () => {
    const redis = new ThrowawayRedis();
    redis.start();
    try {
      const { a, b } = await oneAttendeeOnEach(redis.url);

      redis.stop();
      await sleep(200);
      a.presence.arrived(eventId, attendee(3));
      await a.presence.refresh(eventId);
      expect(a.presence.viewers(eventId)).toBe(2);
      expect(await a.presence.claimSample(eventId, new Date('2026-03-01T18:01:00Z'))).toBe(true);

      // A restarted Redis is empty: each process's next heartbeat writes its attendees again.
      redis.start();
      await ready(a.client, b.client);
      await Promise.all([a.presence.heartbeat(seconds), b.presence.heartbeat(seconds)]);
      await a.presence.refresh(eventId);
      expect(a.presence.viewers(eventId)).toBe(3);
    } finally {
      redis.stop();
    }
  });
});
