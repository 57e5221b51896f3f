import type { AuthLimits, LimiterFactory } from './auth/rate-limits.js';
import type { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Logger } from './log.js';
import type { EventBus } from './realtime/bus.js';

/** What the HTTP routes and the socket hub share; built once by the server. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Database;
  tokens: TokenService;
  authLimits: AuthLimits;
  makeLimiter: LimiterFactory;
  bus: EventBus;
  /** Distinct attendees with an open socket now, per event (set by the socket hub). */
  viewersNow(eventId: number): Promise<number>;
}
