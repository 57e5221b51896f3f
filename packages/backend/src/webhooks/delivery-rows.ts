import { LRUCache } from 'lru-cache';
import type { WebhookBody, WebhookData, WebhookTopic } from '@palco/sdk/protocol';
import { Batcher } from '../db/batcher.js';
import { WebhookDeliveryRow, WebhookRow } from '../db/models.js';
import type { Logger } from '../log.js';
import type { CacheClock, EventCache } from '../services/event-cache.js';
import { splitList } from '../services/serialize.js';

/** Webhooks changed outside Palco show up within this time; Palco's own changes at once (`forget`). */
const maxSubscriptionAgeMs = 5_000;
/** Rows per INSERT, well under both databases' limits on placeholders. */
const maxRowsPerInsert = 500;
/** Emits gathered into one write; a join storm's registrations share their INSERTs. */
const maxEmitsPerWrite = 200;

/** Something that happened in an event, waiting to become one delivery row per subscribed webhook. */
export interface Emitted<T extends WebhookTopic = WebhookTopic> {
  eventId: number;
  topic: T;
  data: WebhookData[T];
  createdAt: Date;
}

/** The stored body: the JSON sent, without its leading `id` (the row's own, known once inserted). */
type StoredBody = Omit<WebhookBody, 'id'>;

/**
 * The exact bytes of a delivery: its id first, then the stored body, so every retry signs and
 * sends the same bytes. Rows written before bodies were stored without their id hold the whole
 * body already.
 */
export function deliveryBody(id: number, payload: string): string {
  return payload.startsWith('{"id":') ? payload : `{"id":${id},${payload.slice(1)}`;
}

/**
 * Turns emits into delivery rows off the caller's path. Emits made together are written
 * together, as multi-row INSERTs: with many webhooks, one registration used to wait for two
 * statements per webhook. An emit lives in memory only until its batch is written (the next
 * turn of the event loop, or the end of the write ahead of it); `flush` waits for that.
 */
export class DeliveryRows {
  private readonly writes: Batcher<Emitted, void>;
  private readonly unwritten = new Set<Promise<void>>();
  /** Each event's active webhooks, read once per burst of emits (a join storm emits per registration). */
  private readonly activeByEvent: LRUCache<number, WebhookRow[]>;

  constructor(
    private readonly events: EventCache,
    private readonly logger: Logger,
    /** Called once rows are stored, so they are sent. */
    private readonly written: () => void,
    clock?: CacheClock,
  ) {
    this.writes = new Batcher((batch) => this.write(batch), maxEmitsPerWrite);
    this.activeByEvent = new LRUCache<number, WebhookRow[]>({
      max: 10_000,
      ttl: maxSubscriptionAgeMs,
      ttlResolution: 0,
      fetchMethod: (eventId) => WebhookRow.findAll({ where: { event_id: eventId, active: true } }),
      // A read that was under way when its event was forgotten still answers its callers, but is not kept.
      ignoreFetchAbort: true,
      ...(clock ? { perf: clock } : {}),
    });
  }

  add(emitted: Emitted) {
    const writing = this.writes.add(emitted).then(
      () => this.written(),
      (error: unknown) => this.logger.error({ err: error, eventId: emitted.eventId, topic: emitted.topic }, 'webhook deliveries could not be stored'),
    );
    this.unwritten.add(writing);
    void writing.finally(() => this.unwritten.delete(writing));
  }

  /** Resolves once every emit made so far is stored (or its failure logged). */
  async flush() {
    await Promise.allSettled([...this.unwritten]);
  }

  /** The event's webhooks changed: the next emit reads them again. */
  forget(eventId: number) {
    this.activeByEvent.delete(eventId);
  }

  private async write(batch: Emitted[]): Promise<PromiseSettledResult<void>[]> {
    const rows: Array<Pick<WebhookDeliveryRow, 'webhook_id' | 'topic' | 'payload' | 'last_error' | 'next_attempt_at'>> = [];
    for (const emitted of batch) {
      const webhooks = (await this.activeByEvent.fetch(emitted.eventId)) ?? [];
      const subscribed = webhooks.filter((webhook) => splitList(webhook.topics).includes(emitted.topic));
      if (subscribed.length === 0) continue;
      const event = await this.events.byId(emitted.eventId);
      if (!event) continue;
      const body: StoredBody = {
        topic: emitted.topic,
        event: { id: event.id, slug: event.slug },
        created_at: emitted.createdAt.toISOString(),
        data: emitted.data,
      };
      const payload = JSON.stringify(body);
      for (const webhook of subscribed) {
        rows.push({ webhook_id: webhook.id, topic: emitted.topic, payload, last_error: null, next_attempt_at: emitted.createdAt });
      }
    }
    for (let start = 0; start < rows.length; start += maxRowsPerInsert) {
      await WebhookDeliveryRow.bulkCreate(rows.slice(start, start + maxRowsPerInsert));
    }
    return batch.map(() => ({ status: 'fulfilled', value: undefined }));
  }
}
