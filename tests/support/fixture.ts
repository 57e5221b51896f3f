import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Config } from '../../packages/backend/src/config.js';
import { startBackend, type BackendProcess } from './processes.js';
import { startTestServer, type DatabaseTarget, type TestDatabase, type TestServer } from './server.js';

/** A setting known when the call is written, or only once earlier hooks have run (a receiver's port, a clock). */
export type WhenStarting<T> = T | (() => T);

const resolve = <T>(value: WhenStarting<T>): T => (typeof value === 'function' ? (value as () => T)() : value);

/**
 * A real server for the enclosing `describe`, the one way an end-to-end suite starts one:
 *
 *     const server = useServer(target, { trustProxy: true }, { PALCO_PUBLIC_URL: '…' });
 *     beforeAll(async () => { token = await adminToken(server.url); });
 *
 * - `target`: the database (`databaseTargets[n]`); each call gets a fresh, empty database of
 *   its own, with the demo events and the administrator `testAdmin`, dropped afterwards.
 * - `overrides`: fields of `Config` laid over the test defaults (see `startTestServer`).
 * - `env`: variables `loadConfig` reads, for settings that only come from the environment.
 * - Either may be a function, called when the server starts, so it can use what a `beforeAll`
 *   registered before this call started (a webhook receiver's URL, an SMTP port, a clock).
 *
 * Lifetime: started in a `beforeAll` registered at the call, so after hooks registered above
 * it and before those below; stopped in an `afterAll` that, hooks running as a stack, comes
 * after the suite's own clean-up (sockets and browsers close while the server still answers).
 *
 * What it returns stands for the running `TestServer` (url, port, config, deps, stop, …): read
 * it inside hooks and tests, never at the top of the `describe`, where nothing has started
 * yet; doing so throws. Setting a field (`server.deps.now = clock.now`) reaches the server.
 */
export function useServer(
  target: DatabaseTarget,
  overrides: WhenStarting<Partial<Config>> = {},
  env: WhenStarting<NodeJS.ProcessEnv> = {},
): TestServer {
  let running: TestServer | null = null;
  beforeAll(async () => {
    running = await startTestServer(target, resolve(overrides), resolve(env));
  });
  // A failing test shows what its server logged at error level (a 500's cause, say).
  afterEach((context) => {
    const logged = running?.loggedErrors();
    if (context.task.result?.state === 'fail' && logged) console.error(`the server logged:\n${logged}`);
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

/** How long one process may take to start (startBackend's own limit); the hook allows one more. */
const startWithinMs = 30_000;

/** `N` backend processes as a tuple, so `const [a, b] = useServers(…, 2)` names two that exist. */
type Processes<N extends number, Built extends BackendProcess[] = []> = Built['length'] extends N ? Built : Processes<N, [...Built, BackendProcess]>;

/**
 * `count` real backend processes (`palco serve` from the built CLI, see `startBackend`) for the
 * enclosing `describe`, sharing one fresh database of `target`:
 *
 *     const [a, b] = useServers(mariadb, 2, { REDIS_URL: testRedisUrl, TRUST_PROXY: '1' });
 *
 * - `env`: variables on top of `startBackend`'s defaults (test admin, demo events, port 0);
 *   may be a function, read when the processes start. With `REDIS_URL` and no
 *   `PALCO_REDIS_PREFIX`, the processes share a fresh key prefix of their own.
 * - `movableClock`: each process's clock moves forward on `moveClockForward()` (see
 *   clock-shift.mjs), so a test lets time pass on processes that share no clock with it.
 * - The processes start one after the other (the first migrates the database, the rest find it
 *   ready) in a `beforeAll`, and stop together with SIGTERM in an `afterAll`, before the database
 *   is dropped. A test may stop or kill one itself; stopping it again is harmless.
 *
 * Each element stands for its running `BackendProcess` (url, port, output, stop, kill): read it
 * inside hooks and tests only. Needs `npm run build` first (the CLI runs from `dist/`).
 */
export function useServers<N extends number>(
  target: DatabaseTarget,
  count: N,
  env: WhenStarting<Record<string, string>> = {},
  { movableClock = false } = {},
): Processes<N> {
  let database: TestDatabase | null = null;
  const running: BackendProcess[] = [];
  beforeAll(async () => {
    database = await target.create();
    const own = resolve(env);
    const shared = { ...(own.REDIS_URL && !own.PALCO_REDIS_PREFIX ? { PALCO_REDIS_PREFIX: `palco-test-${randomBytes(4).toString('hex')}` } : {}), DATABASE_URL: database.url, ...own };
    for (let index = 0; index < count; index += 1) running.push(await startBackend(shared, { movableClock }));
  }, startWithinMs * (count + 1));
  afterAll(async () => {
    await Promise.all(running.map((backend) => backend.stop()));
    running.length = 0;
    await database?.drop();
    database = null;
  });
  return Array.from({ length: count }, (_unused, index) => {
    const started = (): BackendProcess => {
      const backend = running[index];
      if (!backend) throw new Error('the backend processes start in beforeAll: use them inside hooks and tests');
      return backend;
    };
    return new Proxy({} as BackendProcess, {
      get: (_, key) => {
        const value: unknown = Reflect.get(started(), key);
        return typeof value === 'function' ? value.bind(started()) : value;
      },
    });
  }) as Processes<N>;
}
