import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../packages/backend/src/config.js';
import { openDatabase, type Database } from '../../packages/backend/src/db/database.js';
import { migrate } from '../../packages/backend/src/db/migrate.js';
import { adminToken } from './accounts.js';
import { startTestServer, type DatabaseTarget, type TestDatabase, type TestServer } from './server.js';

/** What a suite gets: a test server of its own and its administrator's token. */
export interface ServerSuite {
  server: TestServer;
  admin: string;
}

/**
 * Starts a test server before the suite and stops it after. `overrides` is read when the
 * server starts, so it may name things other hooks started first. The returned object is
 * filled in by `beforeAll`: read its fields inside tests.
 */
export function serverSuite(target: DatabaseTarget, overrides: () => Partial<Config> = () => ({})): ServerSuite {
  const suite = {} as ServerSuite;
  beforeAll(async () => {
    suite.server = await startTestServer(target, overrides());
    suite.admin = await adminToken(suite.server.url);
  });
  afterAll(async () => {
    await suite.server?.stop();
  });
  return suite;
}

/**
 * Opens a migrated database of its own before the suite, and closes and drops it after: for
 * tests of the data layer that need no server. Read `db` inside tests.
 */
export function databaseSuite(target: DatabaseTarget): { db: Database } {
  const suite = {} as { db: Database; database: TestDatabase };
  beforeAll(async () => {
    suite.database = await target.create();
    suite.db = await openDatabase(suite.database.url);
    await migrate(suite.db);
  });
  afterAll(async () => {
    await suite.db?.close();
    await suite.database?.drop();
  });
  return suite;
}
