import { Op, type Model, type ModelStatic } from 'sequelize';
import {
  WebhookDeliveryStatus,
  type WebhookBody,
  type WebhookData,
  type WebhookTopic,
} from '@palco/sdk/protocol';
import type { WebhookSettings } from '../config.js';
import { ClaimQueue, retryAt } from '../db/claim-queue.js';
import { WebhookDeliveryRow, WebhookRow } from '../db/models.js';
import type { Logger } from '../log.js';
import type { EventCache } from '../services/event-cache.js';
import { splitList } from '../services/serialize.js';
import { postDelivery, type AttemptOutcome } from './post-delivery.js';

/** How long past the receiver timeout a claim holds before another process may take the delivery over. */
const claimMarginMs = 60_000;
/** Webhooks changed outside Palco show up within this time; Palco's own changes at once (`forget`). */
const maxSubscriptionAgeMs = 5_000;

/** Sends an event's webhooks off the request path, through the shared claim queue (db/claim-queue.ts). */
export class Webhooks {
  private readonly queue: ClaimQueue;
  /** Each event's active webhooks, read once per burst of emits (a join storm emits per registration). */
  private readonly activeByEvent = new Map<number, { rows: Promise<WebhookRow[]>; readAt: number }>();

  constructor(
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    /** Where a delivery's event (id and slug) is read: a join storm emits per registration. */
    private readonly events: EventCache,
  ) {
    this.queue = new ClaimQueue({
      model: WebhookDeliveryRow as unknown as ModelStatic<Model>,
      dueColumn: 'next_attempt_at',
      concurrency: settings.concurrency,
      pollIntervalMs: settings.pollIntervalMs,
      claimMs: settings.timeoutMs + claimMarginMs,
      attempt: (id, shutdown) => this.attempt(id, shutdown),
      now: () => Date.now(),
      logger,
      label: 'webhook deliveries',
    });
  }

  /** Starts sending: what is due now, including what a stopped process left pending, then every poll interval. */
  start() {
    this.queue.start();
  }

  /** Stops polling, interrupts the requests in flight and puts their deliveries back for the next start. */
  async close() {
    await this.queue.close();
  }

  /**
   * Queues `topic` for every active webhook of the event subscribed to it. Resolves once
   * the deliveries are stored, never rejects (a webhook problem must not fail what the
   * caller was doing), and never waits for a receiver.
   */
  async emit<T extends WebhookTopic>(eventId: number, topic: T, data: WebhookData[T]): Promise<void> {
    try {
      const webhooks = await this.activeWebhooks(eventId);
      const subscribed = webhooks.filter((webhook) => splitList(webhook.topics).includes(topic));
      if (subscribed.length === 0) return;
      const event = await this.events.byId(eventId);
      if (!event) return;
      const createdAt = new Date();
      for (const webhook of subscribed) {
        // Not due until its body (which names the delivery's own id) is stored with it.
        const delivery = await WebhookDeliveryRow.create({
          webhook_id: webhook.id,
          topic,
          last_error: null,
          payload: null,
          next_attempt_at: null,
        });
        const body: WebhookBody<T> = {
          id: delivery.id,
          topic,
          event: { id: event.id, slug: event.slug },
          created_at: createdAt.toISOString(),
          data,
        };
        await delivery.update({ payload: JSON.stringify(body), next_attempt_at: createdAt });
      }
      this.queue.kick();
    } catch (error) {
      this.logger.error({ err: error, eventId, topic }, 'webhook deliveries could not be queued');
    }
  }

  /** The event's webhooks changed: the next emit reads them again. */
  forget(eventId: number) {
    this.activeByEvent.delete(eventId);
  }

  private activeWebhooks(eventId: number): Promise<WebhookRow[]> {
    const cached = this.activeByEvent.get(eventId);
    if (cached && performance.now() - cached.readAt <= maxSubscriptionAgeMs) return cached.rows;
    const entry = { rows: WebhookRow.findAll({ where: { event_id: eventId, active: true } }), readAt: performance.now() };
    this.activeByEvent.set(eventId, entry);
    entry.rows.catch(() => {
      if (this.activeByEvent.get(eventId) === entry) this.activeByEvent.delete(eventId);
    });
    return entry.rows;
  }

  /** Sends a delivery again from the first attempt; false when it is being sent right now. */
  async redeliver(deliveryId: number): Promise<boolean> {
    const [changed] = await WebhookDeliveryRow.update(
      {
        status: WebhookDeliveryStatus.pending,
        attempts: 0,
        next_attempt_at: new Date(),
        last_error: null,
        response_status: null,
        delivered_at: null,
      },
      { where: { id: deliveryId, status: { [Op.ne]: WebhookDeliveryStatus.sending } } },
    );
    if (changed > 0) this.queue.kick();
    return changed > 0;
  }

  private async attempt(id: number, shutdown: AbortSignal) {
    const delivery = await WebhookDeliveryRow.findByPk(id);
    if (!delivery) return;
    const webhook = await WebhookRow.findByPk(delivery.webhook_id);
    const outcome: AttemptOutcome =
      !webhook || !webhook.active
        ? { kind: 'failed', status: null, error: 'webhook disabled' }
        : delivery.payload == null
          ? { kind: 'failed', status: null, error: 'no stored body to send' }
          : await postDelivery(
              { id: delivery.id, topic: delivery.topic, url: webhook.url, secret: webhook.secret, body: delivery.payload },
              this.settings.timeoutMs,
              shutdown,
            );
    await this.record(delivery, outcome);
  }

  private async record(delivery: WebhookDeliveryRow, outcome: AttemptOutcome) {
    const now = new Date();
    if (outcome.kind === 'interrupted') {
      await delivery.update({ status: WebhookDeliveryStatus.pending, next_attempt_at: now });
      return;
    }
    const attempts = delivery.attempts + 1;
    if (outcome.kind === 'delivered') {
      await delivery.update({
        status: WebhookDeliveryStatus.delivered,
        attempts,
        response_status: outcome.status,
        last_error: null,
        next_attempt_at: null,
        delivered_at: now,
      });
      return;
    }
    const retry = retryAt(attempts, this.settings.retryDelaysMs, now.getTime());
    await delivery.update({
      status: retry === null ? WebhookDeliveryStatus.failed : WebhookDeliveryStatus.pending,
      attempts,
      response_status: outcome.status,
      last_error: outcome.error,
      next_attempt_at: retry,
    });
  }
}
