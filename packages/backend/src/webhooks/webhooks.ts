import { Op, type Model, type ModelStatic } from 'sequelize';
import { WebhookDeliveryStatus, type WebhookData, type WebhookTopic } from '@palco/sdk/protocol';
import type { WebhookSettings } from '../config.js';
import { ClaimQueue, retryAt } from '../db/claim-queue.js';
import { WebhookDeliveryRow, WebhookRow } from '../db/models.js';
import type { Logger } from '../log.js';
import type { EventCache } from '../services/event-cache.js';
import { DeliveryRows, deliveryBody } from './delivery-rows.js';
import { postDelivery, type AttemptOutcome } from './post-delivery.js';
import type { WebhookTargets } from './targets.js';

/** How long past the receiver timeout a claim holds before another process may take the delivery over. */
const claimMarginMs = 60_000;

/** Sends an event's webhooks off the request path, through the shared claim queue (db/claim-queue.ts). */
export class Webhooks {
  private readonly queue: ClaimQueue;
  private readonly rows: DeliveryRows;

  constructor(
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    /** Where a delivery's event (id and slug) is read: a join storm emits per registration. */
    events: EventCache,
    /** Where deliveries may be sent (public addresses only, outside development). */
    readonly targets: WebhookTargets,
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
    this.rows = new DeliveryRows(events, logger, () => this.queue.kick());
  }

  /** Starts sending: what is due now, including what a stopped process left pending, then every poll interval. */
  start() {
    this.queue.start();
  }

  /**
   * Stores what was emitted, stops polling, interrupts the requests in flight and puts their
   * deliveries back for the next start.
   */
  async close() {
    await this.rows.flush();
    await this.queue.close();
  }

  /**
   * Queues `topic` for every active webhook of the event subscribed to it. Returns at once:
   * the delivery rows are written off the caller's path (DeliveryRows), and a webhook problem
   * never fails what the caller was doing.
   */
  emit<T extends WebhookTopic>(eventId: number, topic: T, data: WebhookData[T]) {
    this.rows.add({ eventId, topic, data, createdAt: new Date() });
  }

  /** The event's webhooks changed: the next emit reads them again. */
  forget(eventId: number) {
    this.rows.forget(eventId);
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
              { id: delivery.id, topic: delivery.topic, url: webhook.url, secret: webhook.secret, body: deliveryBody(delivery.id, delivery.payload) },
              this.targets,
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
