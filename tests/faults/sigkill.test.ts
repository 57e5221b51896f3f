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

  it('stores every message exactly once and acks it: a message whose socket died is sent again, and every viewer gets it once', async () => {
    const outcome = await processLoss('SIGKILL', {
      databaseUrl: database.url,
      redisUrl: process.env.TEST_REDIS_URL!,
      redisPrefix: uniquePrefix(),
    });
    const { ledger, stored, storedRows } = outcome;
    const ackedStored = [...ledger.acked].filter(([text, id]) => stored.get(text) === id).length;
    const resent = outcome.viewers.reduce((sum, viewer) => sum + [...viewer.chatSends.values()].filter((times) => times > 1).length, 0);
    console.info(
      `SIGKILL: acked ${ledger.acked.size}, found ${ackedStored} of them stored (${storedRows} rows, ${stored.size} texts); ` +
        `${resent} sent again after the socket died, ${ledger.unknown.size} disconnected, ${ledger.failed.size} failed; ` +
        `${outcome.viewers.filter((viewer) => viewer.closeCodes.length > 0).length} of ${outcome.viewers.length} viewers moved`,
    );

    expect(outcome.exit.signal).toBe('SIGKILL');
    expect(outcome.viewers.some((viewer) => viewer.closeCodes.length > 0)).toBe(true);
    expect([...ledger.failed]).toEqual([]);
    // The SDK sent every chat message left unanswered by the dead process again, under its cid.
    expect([...ledger.unknown]).toEqual([]);
    expect(ledger.acked.size).toBeGreaterThan(50);
    expect(stored).toEqual(ledger.acked);
    expect(storedRows).toBe(stored.size);
    expect(outcome.gaps).toEqual([]);
  }, 120_000);
});
