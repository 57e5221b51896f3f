import { AuthLimits, memoryLimiters, redisLimiters } from './auth/rate-limits.js';
import { createTokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { AppDeps } from './context.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './log.js';
import { Metrics } from './metrics.js';
import { InProcessBus, type EventBus } from './bus/bus.js';
import { LocalPresence, type Presence } from './realtime/presence.js';
import { RedisBus } from './bus/redis-bus.js';
import { RedisPresence } from './realtime/redis-presence.js';
import { attendeeInserts } from './services/accounts.js';
import { EventCache } from './services/event-cache.js';
import { WebhookTargets } from './webhooks/targets.js';
import { MailOutbox } from './mail/outbox.js';
import { WorkerMailer } from './mail/mailer.js';
import { RequestRate } from './request-rate.js';
import { Webhooks } from './webhooks/webhooks.js';

/** Opens the database and builds the shared services for one process. */
export async function createDeps(config: Config): Promise<AppDeps> {
  const logger = createLogger(config.logLevel, config.logDestination);
  const db = await openDatabase(config.databaseUrl);
  let bus: EventBus = new InProcessBus();
  let makeLimiter = memoryLimiters;
  let presence: Presence = new LocalPresence();
  let redisBus: RedisBus | null = null;
  if (config.redisUrl) {
    // Several processes act as one: broadcasts over Redis pub/sub, presence and rate limits in Redis.
    redisBus = new RedisBus({ url: config.redisUrl, prefix: config.redisPrefix, logger });
    await redisBus.connect();
    bus = redisBus;
    makeLimiter = redisLimiters(redisBus.client, config.redisPrefix);
    presence = new RedisPresence({
      client: redisBus.client,
      prefix: config.redisPrefix,
      processId: redisBus.processId,
      ttlMs: config.realtime.presenceHeartbeatMs * 3,
      readIntervalMs: config.realtime.presenceReadIntervalMs,
      logger,
    });
  }
  const events = new EventCache();
  const webhooks = new Webhooks(config.webhooks, logger, events, new WebhookTargets(config.webhookPrivateTargets));
  bus.subscribe((envelope) => {
    if (envelope.kind === 'event_changed' || envelope.kind === 'close_event') {
      events.forget(envelope.eventId);
      webhooks.forget(envelope.eventId);
    }
  });
  // The outbox reads the clock through deps, so a test that moves deps.now moves the mail too.
  const arrivals = new RequestRate();
  const outbox = new MailOutbox(config, db, new WorkerMailer({ settings: config.mail, dataDir: config.dataDir }, logger), logger, () => deps.now(), arrivals);
  const deps: AppDeps = {
    config,
    logger,
    db,
    tokens: createTokenService(config.secret, config.sessionTtlSeconds),
    authLimits: new AuthLimits(config.rateLimits, makeLimiter),
    makeLimiter,
    bus,
    webhooks,
    outbox,
    metrics: new Metrics({ db, redisBus, logger }),
    events,
    attendeeInserts: attendeeInserts(),
    presence,
    viewersNow: async (eventId) => {
      await presence.refresh(eventId);
      return presence.viewers(eventId);
    },
    lifecycle: { accepting: true },
    arrivals,
    now: () => Date.now(),
  };
  return deps;
}
