import { Op, type WhereOptions } from 'sequelize';
import { WebhookDeliveryStatus, type WebhookData, type WebhookTopic } from '@palco/sdk/protocol';
import type { WebhookSettings } from '../config.js';
import { WebhookDeliveryRow, WebhookRow } from '../db/models.js';
import type { Logger } from '../log.js';
import type { EventCache } from '../services/event-cache.js';
import { DeliveryRows, deliveryBody } from './delivery-rows.js';
import { postDelivery, type AttemptOutcome } from './post-delivery.js';
import type { WebhookTargets } from './targets.js';

/** How long past the receiver timeout a claim holds before another process may take the delivery over. */
const claimMarginMs = 60_000;

/**
 * Sends an event's webhooks off the request path. Every delivery is a row first,
 * so retries and a restart pick up where things stood; the rows are claimed with an
 * atomic UPDATE, so several processes sharing the database never send one twice.
 */
export class Webhooks {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private pollTimer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private readonly rows: DeliveryRows;

  constructor(
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    /** Where a delivery's event (id and slug) is read: a join storm emits per registration. */
    events: EventCache,
    /** Where deliveries may be sent (public addresses only, outside development). */
    readonly targets: WebhookTargets,
  ) {
    this.rows = new DeliveryRows(events, logger, () => this.kick());
  }

  /** Starts sending: what is due now, including what a stopped process left pending, then every poll interval. */
  start() {
    if (this.pollTimer || this.shutdown.signal.aborted) return;
    this.pollTimer = setInterval(() => this.kick(), this.settings.pollIntervalMs);
    this.pollTimer.unref();
    this.kick();
  }

  /**
   * Stores what was emitted, stops polling, interrupts the requests in flight and puts their
   * deliveries back for the next start.
   */
  async close() {
    await this.rows.flush();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.shutdown.abort();
    await this.draining;
    await Promise.allSettled([...this.inFlight]);
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
    if (changed > 0) this.kick();
    return changed > 0;
  }

  private kick() {
    if (this.shutdown.signal.aborted) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error) => this.logger.error({ err: error }, 'webhook deliveries could not be read'))
      .finally(() => {
        this.draining = null;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kick();
        }
      });
  }

  /** Claims due deliveries until the concurrency limit is reached or none is left. */
  private async drain() {
    while (!this.shutdown.signal.aborted && this.inFlight.size < this.settings.concurrency) {
      const due = await WebhookDeliveryRow.findAll({
        attributes: ['id'],
        where: claimable(new Date()),
        order: [['next_attempt_at', 'ASC'], ['id', 'ASC']],
        limit: this.settings.concurrency - this.inFlight.size,
      });
      let claimed = 0;
      for (const { id } of due) {
        if (this.shutdown.signal.aborted || !(await this.claim(id))) continue;
        claimed += 1;
        const attempt = this.attempt(id).finally(() => {
          this.inFlight.delete(attempt);
          this.kick();
        });
        this.inFlight.add(attempt);
      }
      // Nothing due, or another process took all of it: the next poll looks again.
      if (claimed === 0) return;
    }
  }

  private async claim(id: number): Promise<boolean> {
    const now = new Date();
    const [changed] = await WebhookDeliveryRow.update(
      {
        status: WebhookDeliveryStatus.sending,
        next_attempt_at: new Date(now.getTime() + this.settings.timeoutMs + claimMarginMs),
      },
      { where: { id, ...claimable(now) } },
    );
    return changed === 1;
  }

  private async attempt(id: number) {
    try {
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
                this.shutdown.signal,
              );
      await this.record(delivery, outcome);
    } catch (error) {
      // The claim expires on its own, and the delivery is tried again then.
      this.logger.error({ err: error, deliveryId: id }, 'webhook delivery attempt could not be recorded');
    }
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
    const retryDelay = this.settings.retryDelaysMs[attempts - 1];
    await delivery.update({
      status: retryDelay === undefined ? WebhookDeliveryStatus.failed : WebhookDeliveryStatus.pending,
      attempts,
      response_status: outcome.status,
      last_error: outcome.error,
      next_attempt_at: retryDelay === undefined ? null : new Date(now.getTime() + retryDelay),
    });
  }
}

/** Pending and due, or claimed by a process that has not finished within its claim (it may have died). */
function claimable(now: Date): WhereOptions<WebhookDeliveryRow> {
  return {
    [Op.or]: [
      { status: WebhookDeliveryStatus.pending, next_attempt_at: { [Op.lte]: now } },
      { status: WebhookDeliveryStatus.sending, next_attempt_at: { [Op.lt]: now } },
    ],
  };
}
