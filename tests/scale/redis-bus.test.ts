import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { BusEnvelope } from '../../packages/backend/src/bus/bus.js';
import { RedisBus } from '../../packages/backend/src/bus/redis-bus.js';
import { eventually, sleep } from '../support/poll.js';
import { redisServerAvailable, testRedisUrl, ThrowawayRedis, uniquePrefix } from '../support/redis.js';

const logger = pino({ level: 'silent' });

const chat = (eventId: number, text: string): BusEnvelope => ({
  kind: 'broadcast',
  eventId,
  audience: { kind: 'everyone' },
  message: { type: 'chat', id: 1, user_id: 1, user_name: 'Ana', message: text, timestamp: '10:00', created_at: new Date().toISOString() },
});

function collect(bus: RedisBus) {
  const received: BusEnvelope[] = [];
  bus.subscribe((envelope) => received.push(envelope));
  return received;
}

const buses: RedisBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

describe.skipIf(!testRedisUrl)('the Redis event bus', () => {
  it('delivers a publish once to its own process and once to every other process', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [new RedisBus({ url: testRedisUrl!, prefix, logger }), new RedisBus({ url: testRedisUrl!, prefix, logger })];
    buses.push(a, b);
    await Promise.all([a.connect(), b.connect()]);
    const [onA, onB] = [collect(a), collect(b)];
    await a.publish(chat(7, 'hola'));
    await eventually(() => onB.length === 1);
    await sleep(100);
    expect(onA).toHaveLength(1);
    expect(onA[0]).toMatchObject({ kind: 'broadcast', eventId: 7, message: { message: 'hola' } });
    expect(onB).toHaveLength(1);
    expect(onB[0]).toMatchObject({ kind: 'broadcast', eventId: 7, message: { message: 'hola' } });
  });

  it('keeps deployments with different prefixes apart', async () => {
    const [a, b] = [
      new RedisBus({ url: testRedisUrl!, prefix: uniquePrefix(), logger }),
      new RedisBus({ url: testRedisUrl!, prefix: uniquePrefix(), logger }),
    ];
    buses.push(a, b);
    await Promise.all([a.connect(), b.connect()]);
    const onB = collect(b);
    await a.publish(chat(1, 'solo aquí'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onB).toEqual([]);
  });
});

describe.skipIf(!redisServerAvailable)('the Redis event bus when Redis goes away', () => {
  it('keeps delivering locally while Redis is down and reaches other processes again once it is back', async () => {
    const redis = new ThrowawayRedis();
    redis.start();
    try {
      const prefix = uniquePrefix();
      const [a, b] = [new RedisBus({ url: redis.url, prefix, logger }), new RedisBus({ url: redis.url, prefix, logger })];
      buses.push(a, b);
      await Promise.all([a.connect(), b.connect()]);
      const [onA, onB] = [collect(a), collect(b)];

      redis.stop();
      await eventually(() => !a.stats.connected);
      await a.publish(chat(3, 'sin redis'));
      expect(onA.map((e) => e.kind === 'broadcast' && e.message.type === 'chat' && e.message.message)).toEqual(['sin redis']);
      expect(a.stats.dropped).toBe(1);

      redis.start();
      await eventually(() => a.stats.connected);
      // The subscriber re-subscribes on reconnect; publish until the other process hears one.
      await eventually(() => {
        void a.publish(chat(3, 'de vuelta'));
        return onB.length > 0;
      });
      expect(onB[0]).toMatchObject({ eventId: 3, message: { message: 'de vuelta' } });
    } finally {
      redis.stop();
    }
  });
});
