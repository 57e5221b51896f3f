import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The shared Redis of the test run (TEST_REDIS_URL), or null when there is none. */
export const testRedisUrl = process.env.TEST_REDIS_URL || null;

if (!testRedisUrl) console.warn('TEST_REDIS_URL is not set: Redis suites are skipped.');

/** A key prefix of its own for each test, so runs sharing one Redis never meet. */
export function uniquePrefix(): string {
  return `palco-test-${randomBytes(4).toString('hex')}`;
}

export const redisServerAvailable = spawnSync('redis-server', ['--version']).status === 0;

/**
 * A throwaway redis-server on its own port, for fault tests that stop and restart
 * Redis: the shared service is never touched.
 */
export class ThrowawayRedis {
  constructor(readonly port = 16_000 + Math.floor(Math.random() * 2_000)) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  start() {
    execFileSync('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes',
    ]);
    for (let attempt = 0; attempt < 50; attempt += 1) {
      if (spawnSync('redis-cli', ['-p', String(this.port), 'ping']).stdout?.toString().includes('PONG')) return;
      spawnSync('sleep', ['0.1']);
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  stop() {
    spawnSync('redis-cli', ['-p', String(this.port), 'shutdown', 'nosave']);
  }
}
