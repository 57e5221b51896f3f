import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface RateLimitSettings {
  /** Failed sign-ins per account before a lockout; the lockout doubles each time. */
  loginFailuresPerAccount: number;
  loginLockoutSeconds: number;
  /** Failed sign-ins per IP address in 15 minutes. */
  loginFailuresPerIp: number;
  /** Registrations per email and event in an hour. */
  registrationsPerEmail: number;
  /** Registrations per IP address in 10 minutes: generous, a whole office may share one. */
  registrationsPerIp: number;
  /** Attendee chat messages per 10 s, and questions per minute. */
  chatPer10s: number;
  questionsPerMinute: number;
  /** Socket connections per IP address in a minute. */
  socketsPerIpPerMinute: number;
}

export interface Config {
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so deployments may share a Redis. */
  redisPrefix: string;
  secret: string;
  trustProxy: boolean;
  demo: boolean;
  adminEmail: string | null;
  adminPassword: string | null;
  dataDir: string;
  /** Absolute expiry of a session token. */
  sessionTtlSeconds: number;
  rateLimits: RateLimitSettings;
  logLevel: string;
}

export const defaultRateLimits: RateLimitSettings = {
  loginFailuresPerAccount: 5,
  loginLockoutSeconds: 60,
  loginFailuresPerIp: 200,
  registrationsPerEmail: 10,
  registrationsPerIp: 1000,
  chatPer10s: 5,
  questionsPerMinute: 3,
  socketsPerIpPerMinute: 600,
};

export class ConfigError extends Error {}

const weakSecrets = new Set(['secret', 'changeme', 'palco', 'password', 'produccionesfast2050']);

/** Reads the configuration from the environment (DESIGN.md "Running it"). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.PALCO_DATA_DIR ?? './data');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  return {
    production,
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'palco.sqlite')}`,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.PALCO_REDIS_PREFIX || 'palco',
    secret: resolveSecret(env.PALCO_SECRET, production, dataDir),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    demo: env.PALCO_DEMO ? env.PALCO_DEMO === '1' : !production,
    adminEmail: env.ADMIN_EMAIL || null,
    adminPassword: env.ADMIN_PASSWORD || null,
    dataDir,
    sessionTtlSeconds: Number(env.PALCO_SESSION_TTL_SECONDS ?? 12 * 3600),
    rateLimits: defaultRateLimits,
    logLevel: env.LOG_LEVEL ?? (production ? 'info' : 'warn'),
  };
}

function resolveSecret(fromEnv: string | undefined, production: boolean, dataDir: string): string {
  if (fromEnv) {
    if (production && (fromEnv.length < 32 || weakSecrets.has(fromEnv.toLowerCase()))) {
      throw new ConfigError('PALCO_SECRET is too weak: use at least 32 random characters (openssl rand -hex 32).');
    }
    return fromEnv;
  }
  if (production) throw new ConfigError('PALCO_SECRET is required when NODE_ENV=production.');
  const file = resolve(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const generated = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, generated, { mode: 0o600 });
  return generated;
}
