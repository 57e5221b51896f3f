import type { AuthLimits, LimiterFactory } from './auth/rate-limits.js';
import type { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Batcher } from './db/batcher.js';
import type { UserRow } from './db/models.js';
import type { Logger } from './log.js';
import type { MailOutbox } from './mail/outbox.js';
import type { Metrics } from './metrics.js';
import type { EventBus } from './bus/bus.js';
import type { Presence } from './realtime/presence.js';
import type { RequestRate } from './request-rate.js';
import type { NewAttendeeRow } from './services/accounts.js';
import type { EventCache } from './services/event-cache.js';
import type { Webhooks } from './webhooks/webhooks.js';

/** What the HTTP routes and the socket hub share; built once by the server. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Database;
  tokens: TokenService;
  authLimits: AuthLimits;
  makeLimiter: LimiterFactory;
  bus: EventBus;
  webhooks: Webhooks;
  /** The email outbox and its reminder scheduler. */
  outbox: MailOutbox;
  /** What GET /metrics reports; the socket hub adds its gauges. */
  metrics: Metrics;
  /** Event rows for registration, sign-in and socket admission, forgotten on every change. */
  events: EventCache;
  /** Registrations, inserted in batches when they arrive together. */
  attendeeInserts: Batcher<NewAttendeeRow, UserRow>;
  /** Who holds an open socket of which event; kept by the socket hub. */
  presence: Presence;
  /** Distinct attendees with an open socket now, per event. */
  viewersNow(eventId: number): Promise<number>;
  /** False once a graceful shutdown began: GET /readyz turns load balancers away. */
  lifecycle: { accepting: boolean };
  /** HTTP requests and socket upgrades arriving, per second; the server counts them. */
  arrivals: RequestRate;
  /** Milliseconds since the epoch; tests replace it to drive heartbeats and samples. */
  now(): number;
}
