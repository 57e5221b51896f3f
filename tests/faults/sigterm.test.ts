import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../support/redis.js';
import { createMariadbDatabase, type TestDatabase } from '../support/server.js';
import { missingForFaults, processLoss } from './support.js';

const skip = missingForFaults({ mysql: true, redis: true, build: true });
if (skip) console.warn(`sigterm.test.ts: ${skip}`);

describe.skipIf(skip)('a backend process stopped with SIGTERM under load', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createMariadbDatabase(process.env.TEST_MYSQL_URL!);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('closes its sockets with 1012 and exits 0; its viewers reconnect to the other process and miss nothing acked', async () => {
    const outcome = await processLoss('SIGTERM', {
      databaseUrl: database.url,
      redisUrl: process.env.TEST_REDIS_URL!,
      redisPrefix: uniquePrefix(),
    });
    const { ledger, stored } = outcome;
    console.info(
      `SIGTERM: exit ${outcome.exit.code} after ${outcome.exitMs} ms; acked ${ledger.acked.size}, stored ${stored.size}, ` +
        `unknown ${ledger.unknown.size}, failed ${ledger.failed.size}; ` +
        `${outcome.viewers.filter((viewer) => viewer.closeCodes.length > 0).length} of ${outcome.viewers.length} viewers moved`,
    );

    expect(outcome.exit).toEqual({ code: 0, signal: null });
    expect(outcome.exitMs).toBeLessThan(30_000);
    const moved = outcome.viewers.filter((viewer) => viewer.closeCodes.length > 0);
    expect(moved.length).toBeGreaterThan(0);
    expect(new Set(moved.flatMap((viewer) => viewer.closeCodes))).toEqual(new Set([1012]));

    // A graceful stop leaves no request in doubt: each one was acked, before or after the move.
    expect([...ledger.failed]).toEqual([]);
    expect([...ledger.unknown]).toEqual([]);
    expect(ledger.acked.size).toBeGreaterThan(50);
    expect(stored.size).toBe(ledger.acked.size);
    expect(stored).toEqual(ledger.acked);
    expect(outcome.gaps).toEqual([]);
  }, 120_000);
});
