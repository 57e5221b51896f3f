import { randomBytes } from 'node:crypto';
import type { Webhook, WebhookDelivery, WebhookTopic } from '@palco/sdk/protocol';
import type { WebhookDeliveryRow, WebhookRow } from '../db/models.js';
import { iso, isoOrNull, splitList } from '../services/serialize.js';

/** 32 random bytes, hex: what receivers verify signatures with. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    event_id: row.event_id,
    url: row.url,
    topics: splitList(row.topics) as WebhookTopic[],
    active: Boolean(row.active),
    secret: row.secret,
  };
}

export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    topic: row.topic,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    response_status: row.response_status ?? null,
    created_at: iso(row.created_at),
    next_attempt_at: isoOrNull(row.next_attempt_at),
    delivered_at: isoOrNull(row.delivered_at ?? null),
  };
}
