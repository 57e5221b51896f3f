import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../packages/backend/src/config.js';
import { startTestServer, type DatabaseTarget, type TestServer } from './server.js';

/**
 * A real server for the enclosing `describe`: started on a fresh database before its first
 * test (and before the suite's own `beforeAll`, registered after this call), stopped after its
 * last. What it returns stands for that server from then on: read it inside hooks and tests,
 * never at the top of the `describe`, where nothing has started yet.
 */
export function useServer(target: DatabaseTarget, overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): TestServer {
  let running: TestServer | null = null;
  beforeAll(async () => {
    running = await startTestServer(target, overrides, env);
  });
  afterAll(async () => {
    await running?.stop();
    running = null;
  });
  const started = (): TestServer => {
    if (!running) throw new Error('the test server starts in beforeAll: use it inside hooks and tests');
    return running;
  };
  return new Proxy({} as TestServer, {
    get: (_, key) => {
      const value: unknown = Reflect.get(started(), key);
      return typeof value === 'function' ? value.bind(started()) : value;
    },
    set: (_, key, value) => Reflect.set(started(), key, value),
  });
}
