import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DestinationStream } from './log.js';
import type { FrameBudgetSettings } from './realtime/frame-budget.js';

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
  /** Sign-in links one address of an event may ask for in an hour, and one IP address in 10 minutes. */
  signInLinksPerEmail: number;
  signInLinksPerIp: number;
  /** Attendee chat messages per 10 s, and questions per minute. */
  chatPer10s: number;
  questionsPerMinute: number;
  /** Socket connections per IP address in a minute. */
  socketsPerIpPerMinute: number;
  /** Sockets one IP address may hold open at once, on each process. */
  openSocketsPerIp: number;
}

export interface WebhookSettings {
  /** Wait before each retry; one attempt more than there are delays. */
  retryDelaysMs: number[];
  /** A receiver that takes longer counts as a failed attempt. */
  timeoutMs: number;
  /** Deliveries in flight at once, per process. */
  concurrency: number;
  /** How often due retries (and deliveries left by a stopped process) are looked for. */
  pollIntervalMs: number;
}

export interface MailSettings {
  /**
   * PALCO_MAIL: `on` (the default) or `off`. Off, no message is queued or sent and sign-in
   * links answer 503 `mail_off`: for a Palco whose producers reach attendees from their own
   * CRM through webhooks, and for the bench's join storm without mail.
   */
  enabled: boolean;
  /** SMTP_URL (smtp://user:pass@host:587, smtps://…); null writes each message as an .eml file under <data dir>/mail/. */
  smtpUrl: string | null;
  /** MAIL_FROM: the From of every message. */
  from: string;
  /** Wait before each retry; one attempt more than there are delays. */
  retryDelaysMs: number[];
  /** An SMTP conversation that takes longer counts as a failed attempt. */
  timeoutMs: number;
  /**
   * Messages in flight at once, per process, and the most one claim takes from the outbox
   * (one UPDATE for all of them). Default 32: enough to keep every pooled connection busy
   * while the next messages are read and rendered, and few enough that a stopping process
   * leaves little to its claims' expiry.
   */
  concurrency: number;
  /**
   * SMTP connections the pool keeps open, per process. Default 8: a local server takes
   * several hundred messages/s over them (docs/journey.md "Email"); providers commonly allow
   * about 10 connections per client, and one process more would share that limit.
   */
  connections: number;
  /**
   * Messages sent over one pooled connection before it is replaced. Default 1 000, where
   * nodemailer's own is 100: each new connection costs a TCP and TLS handshake, and servers
   * that limit messages per connection answer with a 4xx that is retried.
   */
  messagesPerConnection: number;
  /**
   * Arrivals per second (HTTP requests and socket upgrades, over the last second) above which
   * this process counts as under a storm: a registration or join storm. Default 100.
   */
  busyRequestsPerSecond: number;
  /**
   * ...and the share of the last half second the event loop spent running code above which the
   * arrivals really load it (0–1). Default 0.5: a hundred cheap requests a second (`/healthz`,
   * refused ones) keep the loop mostly idle and must not slow mail; a registration storm does not.
   */
  busyEventLoopShare: number;
  /**
   * Messages in flight at once while under a storm. Default 1: building and sending a message
   * costs a few ms of CPU (docs/performance.md "Confirmation emails under a join storm"), and 32
   * of them at once took that CPU from the registrations (join storm 1.5× slower with mail than
   * without; 1.3× with 2 in flight; 1.0–1.05× with 1). One keeps mail moving, never starved, and
   * the full `concurrency` returns with the first quiet second.
   */
  busyConcurrency: number;
  /** How often due messages (retries, what a stopped process left) are looked for. */
  pollIntervalMs: number;
  /** How often the scheduler looks for reminders that became due. */
  schedulerIntervalMs: number;
}

export interface RealtimeSettings {
  /** Broadcasts of one event within this window leave as one frame (see docs/performance.md). */
  coalesceMs: number;
  /**
   * The widest the window grows to while the process is busy (realtime/coalescing.ts); at or
   * below coalesceMs the window stays fixed.
   */
  coalesceMaxMs: number;
  /** A socket with more unsent bytes than this is a slow reader: it is dropped (1013). */
  maxBufferedBytes: number;
  /** A socket that brought no credentials must send `auth` within this time (else 4001). */
  authTimeoutMs: number;
  /** Protocol pings find dead connections: one unanswered for a whole interval is dropped. */
  keepAliveMs: number;
  /** The heartbeat interval clients are told to keep. */
  heartbeatMs: number;
  /** Most watch time one heartbeat may add, so a sleeping laptop earns no hours. */
  heartbeatCapSeconds: number;
  /** How often accumulated watch time is written to the database. */
  watchTimeFlushMs: number;
  /** How often the concurrency curve (viewer_samples) gets a point. */
  viewerSampleMs: number;
  /** At most one `viewers` broadcast per this interval, and one `active_sessions` per the next. */
  viewersThrottleMs: number;
  activeSessionsThrottleMs: number;
  /** How long a room with no sockets keeps its state before it is dropped. */
  idleRoomMs: number;
  /**
   * How often each process renews its part of the presence shared through Redis; a process
   * silent for three of these is forgotten, with its viewers.
   */
  presenceHeartbeatMs: number;
  /** Reads of one event's shared presence are at least this far apart. */
  presenceReadIntervalMs: number;
  /** Frames a socket, a user and a client address may send; past any of them the socket is closed (1008). */
  frameBudget: FrameBudgetSettings;
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
  /** Where people reach this Palco (PALCO_PUBLIC_URL, no trailing slash): links in emails and calendars. */
  publicUrl: string;
  /** The bearer token GET /metrics asks for (PALCO_METRICS_TOKEN); without it, /metrics is for development only. */
  metricsToken: string | null;
  /** Absolute expiry of a session token. */
  sessionTtlSeconds: number;
  rateLimits: RateLimitSettings;
  webhooks: WebhookSettings;
  /**
   * PALCO_WEBHOOK_PRIVATE_TARGETS=1: webhooks may reach loopback and private addresses, for a
   * receiver on this machine or network during development and in tests. Refused in production.
   */
  webhookPrivateTargets: boolean;
  mail: MailSettings;
  realtime: RealtimeSettings;
  logLevel: string;
  /** Where log lines go, one JSON object each: stdout when absent (a test keeps its server's). */
  logDestination?: DestinationStream;
}

export const defaultRateLimits: RateLimitSettings = {
  loginFailuresPerAccount: 5,
  loginLockoutSeconds: 60,
  loginFailuresPerIp: 200,
  registrationsPerEmail: 10,
  registrationsPerIp: 1000,
  signInLinksPerEmail: 5,
  signInLinksPerIp: 300,
  chatPer10s: 5,
  questionsPerMinute: 3,
  socketsPerIpPerMinute: 600,
  openSocketsPerIp: 2000,
};

export const defaultWebhookSettings: WebhookSettings = {
  retryDelaysMs: [10_000, 30_000, 120_000, 600_000, 3_600_000],
  timeoutMs: 5_000,
  concurrency: 8,
  pollIntervalMs: 5_000,
};

export const defaultMailSettings: Omit<MailSettings, 'smtpUrl' | 'from' | 'enabled'> = {
  retryDelaysMs: [30_000, 120_000, 600_000, 3_600_000, 6 * 3_600_000],
  timeoutMs: 30_000,
  concurrency: 32,
  connections: 8,
  messagesPerConnection: 1_000,
  busyRequestsPerSecond: 100,
  busyEventLoopShare: 0.5,
  busyConcurrency: 1,
  pollIntervalMs: 5_000,
  schedulerIntervalMs: 60_000,
};

export const defaultRealtimeSettings: RealtimeSettings = {
  coalesceMs: 50,
  // Within the latency goal (p99 ≤ 250 ms from the send to the viewer): a message waits at most this.
  coalesceMaxMs: 150,
  maxBufferedBytes: 4 * 1024 * 1024,
  authTimeoutMs: 5_000,
  keepAliveMs: 30_000,
  heartbeatMs: 60_000,
  heartbeatCapSeconds: 90,
  watchTimeFlushMs: 5_000,
  viewerSampleMs: 60_000,
  viewersThrottleMs: 1_000,
  activeSessionsThrottleMs: 2_000,
  idleRoomMs: 60_000,
  presenceHeartbeatMs: 15_000,
  presenceReadIntervalMs: 500,
  // The SDK sends a ping a minute and an attendee 5 chat messages in 10 s; staff and bots send
  // bursts of commands (an outbox flushed on reconnect). A flood of tiny frames runs at
  // hundreds of thousands a second: these close it within a few thousand frames.
  frameBudget: {
    perSocket: { burst: 1_000, perSecond: 200 },
    perUser: { burst: 2_000, perSecond: 400 },
    // 2 000 attendees may share an address, each sending a ping a minute and some chat.
    perAddress: { burst: 20_000, perSecond: 5_000 },
    // An attendee pings once a minute and may chat 5 times in 10 s; staff act in short runs.
    quiet: { burst: 10, perSecond: 1 },
  },
};

export class ConfigError extends Error {}

const weakSecrets = new Set(['secret', 'changeme', 'palco', 'password', 'produccionesfast2050']);

/** Reads the configuration from the environment (docs/architecture.md "Configuration"). */
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
    publicUrl: (env.PALCO_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    metricsToken: env.PALCO_METRICS_TOKEN || null,
    sessionTtlSeconds: positiveInteger(env, 'PALCO_SESSION_TTL_SECONDS', 12 * 3600),
    rateLimits: {
      ...defaultRateLimits,
      socketsPerIpPerMinute: positiveInteger(env, 'PALCO_SOCKETS_PER_IP_PER_MINUTE', defaultRateLimits.socketsPerIpPerMinute),
      openSocketsPerIp: positiveInteger(env, 'PALCO_OPEN_SOCKETS_PER_IP', defaultRateLimits.openSocketsPerIp),
    },
    webhooks: defaultWebhookSettings,
    webhookPrivateTargets: resolveWebhookPrivateTargets(env.PALCO_WEBHOOK_PRIVATE_TARGETS, production),
    mail: {
      ...defaultMailSettings,
      enabled: mailSwitch(env.PALCO_MAIL),
      smtpUrl: smtpUrl(env.SMTP_URL),
      from: env.MAIL_FROM || 'Palco <no-reply@localhost>',
    },
    realtime: {
      ...defaultRealtimeSettings,
      presenceHeartbeatMs: positiveInteger(env, 'PALCO_PRESENCE_HEARTBEAT_MS', defaultRealtimeSettings.presenceHeartbeatMs),
    },
    logLevel: env.LOG_LEVEL ?? (production ? 'info' : 'warn'),
  };
}

function mailSwitch(raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`PALCO_MAIL must be on or off, got "${raw}"`);
}

function smtpUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^smtps?:\/\/[^/]/.test(raw)) throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  return raw;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

function resolveWebhookPrivateTargets(fromEnv: string | undefined, production: boolean): boolean {
  const allowed = fromEnv === '1' || fromEnv === 'true';
  if (allowed && production) {
    throw new ConfigError('PALCO_WEBHOOK_PRIVATE_TARGETS is for development: webhooks must not reach private addresses in production.');
  }
  return allowed;
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
