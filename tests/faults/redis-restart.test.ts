import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { useServers } from '../support/fixture.js';
import type { BackendProcess } from '../support/processes.js';
import { ThrowawayRedis } from '../support/redis.js';
import { createMariadbDatabase, type TestDatabase } from '../support/server.js';
import { attendee, ChatLedger, deliveryGaps, missingForFaults, storedChat, type Viewer } from './support.js';
import { eventually } from '../support/poll.js';

const skip = missingForFaults({ mysql: true, binaries: ['redis-server', 'redis-cli'], build: true });
if (skip) console.warn(`redis-restart.test.ts: ${skip}`);

describe.skipIf(skip)('Redis going away between two backend processes and coming back', () => {
  let database: TestDatabase;
  const redis = new ThrowawayRedis();
  const viewers: Viewer[] = [];

  beforeAll(async () => {
    database = await createMariadbDatabase(process.env.TEST_MYSQL_URL!);
    redis.start();
  });
  // Registered before the processes' hooks, so Redis and the database go once both have stopped.
  afterAll(async () => {
    redis.stop();
    await database?.drop();
  });
  // The test reads the stored chat from this database afterwards, so it keeps it (and drops it above).
  const processes = useServers({ name: 'mariadb', create: async () => ({ url: database.url, drop: async () => {} }) }, 2, () => ({ REDIS_URL: redis.url }));
  afterAll(() => {
    for (const viewer of viewers) viewer.client.disconnect();
  });

  const redisCheck = async (backend: BackendProcess) => (await api(backend.url, '/readyz')).body.checks?.redis;
  const hasAll = (viewer: Viewer, ids: number[]) => ids.every((id) => viewer.received.has(id));

  it('keeps local delivery while Redis is away, then replays the rest and delivers across processes again by itself', async () => {
    const [first, second] = processes;
    const onFirst = [await attendee(first.url, 'ana'), await attendee(first.url, 'bruno')];
    const onSecond = [await attendee(second.url, 'carla'), await attendee(second.url, 'diego')];
    viewers.push(...onFirst, ...onSecond);
    const ledger = new ChatLedger();
    const sendRound = async () => {
      const before = new Set(ledger.acked.values());
      await Promise.all(viewers.map((viewer) => ledger.send(viewer)));
      const sentBy = (group: Viewer[]) => group.map((viewer) => [...ledger.acked].find(([text, id]) => !before.has(id) && text.includes(` ${viewer.name} `))![1]);
      return { fromFirst: sentBy(onFirst), fromSecond: sentBy(onSecond) };
    };

    const together = await sendRound();
    const all = [...together.fromFirst, ...together.fromSecond];
    await eventually(() => viewers.every((viewer) => hasAll(viewer, all)), Boolean, 15_000, 'delivery across processes');

    redis.stop();
    await eventually(async () => (await redisCheck(first)) === 'unavailable' && (await redisCheck(second)) === 'unavailable', Boolean, 15_000, 'both processes notice');
    const apart = await sendRound();
    // Each process still delivers what is written on it to its own viewers.
    await eventually(() => onFirst.every((viewer) => hasAll(viewer, apart.fromFirst)), Boolean, 15_000, 'local delivery on the first process');
    await eventually(() => onSecond.every((viewer) => hasAll(viewer, apart.fromSecond)), Boolean, 15_000, 'local delivery on the second process');

    redis.start();
    await eventually(async () => (await api(first.url, '/readyz')).status === 200 && (await api(second.url, '/readyz')).status === 200, Boolean, 15_000, 'both ready again');
    // What crossed no process during the outage is replayed from the database once Redis is back.
    const outage = [...apart.fromFirst, ...apart.fromSecond];
    await eventually(() => viewers.every((viewer) => hasAll(viewer, outage)), Boolean, 15_000, 'outage messages replayed to the other process');

    const again = await sendRound();
    const after = [...again.fromFirst, ...again.fromSecond];
    await eventually(() => viewers.every((viewer) => hasAll(viewer, after)), Boolean, 15_000, 'delivery across processes again');

    const stored = await storedChat(database.url, ledger);
    console.info(`Redis outage with two processes: acked ${ledger.acked.size}, found ${stored.size}`);
    expect([...ledger.failed]).toEqual([]);
    expect(ledger.acked.size).toBe(viewers.length * 3);
    expect(stored).toEqual(ledger.acked);
    for (const viewer of viewers) expect(deliveryGaps(viewer, ledger.ackedIds)).toEqual({ missing: [], repeated: [] });
    for (const viewer of viewers) expect(viewer.closeCodes).toEqual([]);
    // The outage is logged once when it begins and once when it ends, not per retry or message.
    for (const backend of processes) {
      const lines = backend.output().split('\n');
      expect(lines.filter((line) => line.includes('Redis unreachable'))).toHaveLength(1);
      expect(lines.filter((line) => line.includes('Redis is back'))).toHaveLength(1);
      expect(lines.filter((line) => line.includes('replayed chat missed during a bus outage'))).toHaveLength(1);
    }
  }, 120_000);
});
