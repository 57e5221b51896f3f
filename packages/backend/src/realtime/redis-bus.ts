import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { BusEnvelope, EventBus } from './bus.js';

interface WireEnvelope {
  /** The process that published it: it already delivered locally and skips its own echo. */
  origin: string;
  envelope: BusEnvelope;
}

export interface RedisBusOptions {
  url: string;
  /** Key and channel prefix, so several deployments (or test runs) share one Redis. */
  prefix?: string;
  logger: Logger;
}

/** Reconnect quickly at first, then every two seconds, for as long as it takes. */
const retryStrategy = (attempt: number) => Math.min(100 * 2 ** attempt, 2_000);

/**
 * The event bus over Redis pub/sub, one channel per event. A publish is delivered to this
 * process's own sockets at once and sent to the others through Redis; while Redis is
 * away, local delivery goes on and the bus reconnects by itself.
 */
export class RedisBus implements EventBus {
  readonly processId = randomUUID();
  private readonly local = new EventEmitter().setMaxListeners(0);
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly logger: Logger;
  private published = 0;
  private dropped = 0;

  constructor(options: RedisBusOptions) {
    this.prefix = options.prefix ?? 'palco';
    this.logger = options.logger;
    const common = { retryStrategy, lazyConnect: true, maxRetriesPerRequest: 1 };
    // No offline queue: while Redis is away a publish fails fast instead of piling up.
    this.publisher = new Redis(options.url, { ...common, enableOfflineQueue: false });
    this.subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true });
    this.subscriber.on('pmessage', (_pattern: string, _channel: string, raw: string) => this.receive(raw));
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'redis bus: connection problem'));
    }
    this.subscriber.on('ready', () => this.logger.info('redis bus: subscribed'));
  }

  /** Connects both clients; fails if Redis cannot be reached now. */
  async connect() {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.psubscribe(`${this.prefix}:bus:*`);
  }

  get stats() {
    return { published: this.published, dropped: this.dropped, connected: this.publisher.status === 'ready' };
  }

  async publish(envelope: BusEnvelope) {
    this.local.emit('envelope', envelope);
    if (this.publisher.status !== 'ready') {
      this.dropped += 1;
      return;
    }
    const channel = `${this.prefix}:bus:${envelope.eventId ?? 'global'}`;
    const wire: WireEnvelope = { origin: this.processId, envelope };
    try {
      await this.publisher.publish(channel, JSON.stringify(wire));
      this.published += 1;
    } catch (error) {
      this.dropped += 1;
      this.logger.warn({ err: (error as Error).message }, 'redis bus: publish failed, delivered locally only');
    }
  }

  subscribe(handler: (envelope: BusEnvelope) => void) {
    this.local.on('envelope', handler);
    return () => {
      this.local.off('envelope', handler);
    };
  }

  async close() {
    this.local.removeAllListeners();
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  /** The publisher client, shared with the rate limiters and presence. */
  get client(): Redis {
    return this.publisher;
  }

  private receive(raw: string) {
    let wire: WireEnvelope;
    try {
      wire = JSON.parse(raw) as WireEnvelope;
    } catch {
      this.logger.warn('redis bus: ignored a message that is not JSON');
      return;
    }
    if (wire.origin === this.processId) return;
    this.local.emit('envelope', wire.envelope);
  }
}
