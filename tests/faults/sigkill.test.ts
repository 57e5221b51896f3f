import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../support/redis.js';
import { createMariadbDatabase, type TestDatabase } from '../support/server.js';
import { missingForFaults, processLoss } from './support.js';

const skip = missingForFaults({ mysql: true, redis: true, build: true });
if (skip) console.warn(`sigkill.test.ts: ${skip}`);

describe.skipIf(skip)('a backend process killed with SIGKILL under load', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createMariadbDatabase(process.env.TEST_MYSQL_URL!);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('loses nothing acked: every acked message is stored once and reaches every viewer exactly once', async () => {
    const outcome = await processLoss('SIGKILL', {
      databaseUrl: database.url,
      redisUrl: process.env.TEST_REDIS_URL!,
      redisPrefix: uniquePrefix(),
    });
    const { ledger, stored } = outcome;
    const ackedStored = [...ledger.acked].filter(([text, id]) => stored.get(text) === id).length;
    console.info(
      `SIGKILL: acked ${ledger.acked.size}, found ${ackedStored} of them stored (${stored.size} rows in all); ` +
        `${ledger.unknown.size} in flight when the socket dropped; ` +
        `${outcome.viewers.filter((viewer) => viewer.closeCodes.length > 0).length} of ${outcome.viewers.length} viewers moved`,
    );

    expect(outcome.exit.signal).toBe('SIGKILL');
    expect(outcome.viewers.some((viewer) => viewer.closeCodes.length > 0)).toBe(true);
    expect([...ledger.failed]).toEqual([]);
    expect(ledger.acked.size).toBeGreaterThan(50);
    expect(ackedStored).toBe(ledger.acked.size);
    // A row beyond the acked ones can only be a message whose socket died before its ack came
    // back: the sender was told `disconnected` (outcome unknown), never that it failed.
    const unacked = [...stored.keys()].filter((text) => !ledger.acked.has(text));
    expect(unacked.filter((text) => !ledger.unknown.has(text))).toEqual([]);
    expect(outcome.gaps).toEqual([]);
  }, 120_000);
});
