import { AuthLimits, memoryLimiters } from './auth/rate-limits.js';
import { createTokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { AppDeps } from './context.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './log.js';
import { InProcessBus } from './realtime/bus.js';

/** Opens the database and builds the shared services for one process. */
export async function createDeps(config: Config): Promise<AppDeps> {
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config.databaseUrl);
  const makeLimiter = memoryLimiters;
  return {
    config,
    logger,
    db,
    tokens: createTokenService(config.secret, config.sessionTtlSeconds),
    authLimits: new AuthLimits(config.rateLimits, makeLimiter),
    makeLimiter,
    bus: new InProcessBus(),
    viewersNow: async () => 0,
  };
}
