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
  /** Set while Redis is unreachable: when it went away and how many publishes stayed local since. */
  private closing = false;
  private outage: { since: number; droppedBefore: number } | null = null;

  constructor(options: RedisBusOptions) {
    this.prefix = options.prefix ?? 'palco';
    this.logger = options.logger;
    const common = { retryStrategy, lazyConnect: true, maxRetriesPerRequest: 1 };
    // No offline queue: while Redis is away a publish fails fast instead of piling up.
    this.publisher = new Redis(options.url, { ...common, enableOfflineQueue: false });
    this.subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true });
    this.subscriber.on('pmessage', (_pattern: string, _channel: string, raw: string) => this.receive(raw));
    // ioredis reports every failed reconnection attempt: the outage is logged once when it
    // begins and once when it ends, with what it cost, not once a retry or once a message.
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.wentAway(error.message));
      client.on('close', () => this.wentAway('connection closed'));
      client.on('ready', () => this.cameBack());
    }
  }

  get connected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  private wentAway(reason: string) {
    if (this.outage || this.closing) return;
    this.outage = { since: Date.now(), droppedBefore: this.dropped };
    this.logger.warn({ reason }, 'redis bus: Redis unreachable; delivering to this process only until it is back');
  }

  private cameBack() {
    if (!this.outage || !this.connected) return;
    const { since, droppedBefore } = this.outage;
    this.outage = null;
    this.logger.warn(
      { seconds: Math.round((Date.now() - since) / 1000), localOnly: this.dropped - droppedBefore },
      'redis bus: Redis is back; broadcasts reach every process again',
    );
    // ioredis subscribes again after 'ready'; once this one is answered the subscription is
    // live, and whatever was published before it is for the database to replay.
    this.subscriber.psubscribe(this.pattern).then(
      () => this.local.emit('reconnected', since),
      (error: Error) => this.wentAway(error.message),
    );
  }

  /** Connects both clients; fails if Redis cannot be reached now. */
  async connect() {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.psubscribe(this.pattern);
  }

  private get pattern() {
    return `${this.prefix}:bus:*`;
  }

  get stats() {
    return { published: this.published, dropped: this.dropped, connected: this.connected };
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
      this.wentAway((error as Error).message);
    }
  }

  onReconnected(handler: (lostSince: number) => void) {
    this.local.on('reconnected', handler);
    return () => {
      this.local.off('reconnected', handler);
    };
  }

  subscribe(handler: (envelope: BusEnvelope) => void) {
    this.local.on('envelope', handler);
    return () => {
      this.local.off('envelope', handler);
    };
  }

  async close() {
    this.closing = true;
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
