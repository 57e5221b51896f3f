import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../packages/backend/src/config.js';
import { adminToken } from './accounts.js';
import { startTestServer, type DatabaseTarget, type TestServer } from './server.js';

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
