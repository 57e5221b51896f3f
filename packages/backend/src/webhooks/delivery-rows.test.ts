import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RegistrationStatus, WebhookTopic } from '@palco/sdk/protocol';
import { openDatabase, type Database } from '../db/database.js';
import { EventRow, WebhookDeliveryRow, WebhookRow } from '../db/models.js';
import { createLogger } from '../log.js';
import { EventCache } from '../services/event-cache.js';
import { DeliveryRows, deliveryBody } from './delivery-rows.js';

describe('webhook delivery rows', () => {
  let db: Database;
  let webhookReads = 0;
  let inserts = 0;
  let now = 0;
  const clock = { now: () => now };
  let serial = 0;

  beforeAll(async () => {
    db = await openDatabase('sqlite::memory:');
    await Promise.all([EventRow.sync(), WebhookRow.sync(), WebhookDeliveryRow.sync()]);
    WebhookRow.addHook('beforeFind', () => {
      webhookReads += 1;
    });
    WebhookDeliveryRow.addHook('beforeBulkCreate', () => {
      inserts += 1;
    });
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(() => {
    webhookReads = 0;
    inserts = 0;
    now = 1_000_000;
  });

  /** An event with `count` webhooks subscribed to user_registered and one that is not. */
  async function eventWithWebhooks(count: number) {
    serial += 1;
    const event = await EventRow.create({ slug: `rows-${serial}`, title: 'Filas', embed_secret: 'x'.repeat(64) });
    const subscribed = Array.from({ length: count }, (_, i) => ({
      event_id: event.id,
      url: `https://crm.example.com/${i}`,
      topics: 'user_registered,event_closed',
      secret: 's'.repeat(64),
    }));
    await WebhookRow.bulkCreate([...subscribed, { event_id: event.id, url: 'https://other.example.com/', topics: 'event_closed', secret: 's'.repeat(64) }]);
    return event;
  }

  const emitted = (eventId: number, id: number) => ({
    eventId,
    topic: WebhookTopic.userRegistered,
    data: {
      id,
      name: 'Ana',
      email: `ana${id}@empresa.com`,
      phone: null,
      registered_at: new Date(0).toISOString(),
      status: RegistrationStatus.registered,
      fields: {},
      consent_at: null,
      consent_version: null,
    },
    createdAt: new Date(1_700_000_000_000),
  });
  it('writes the emits of one moment as one INSERT, a row per subscribed webhook', async () => {
    const event = await eventWithWebhooks(3);
    let signalled = 0;
    const rows = new DeliveryRows(new EventCache(clock), createLogger('silent'), () => (signalled += 1), clock);
    for (let i = 0; i < 40; i += 1) rows.add(emitted(event.id, i));
    await rows.flush();
    expect(inserts).toBe(1);
    expect(webhookReads).toBe(1);
    const webhookIds = (await WebhookRow.findAll({ attributes: ['id'], where: { event_id: event.id } })).map((webhook) => webhook.id);
    expect(await WebhookDeliveryRow.count({ where: { webhook_id: webhookIds } })).toBe(120);
    expect(signalled).toBe(40);
  });

  it("reads an event's webhooks again once five seconds old, or at once when forgotten", async () => {
    const event = await eventWithWebhooks(1);
    const rows = new DeliveryRows(new EventCache(clock), createLogger('silent'), () => {}, clock);
    const emitAndStore = async () => {
      rows.add(emitted(event.id, 1));
      await rows.flush();
    };
    await emitAndStore();
    now += 4_900;
    await emitAndStore();
    expect(webhookReads).toBe(1);
    now += 200;
    await emitAndStore();
    expect(webhookReads).toBe(2);
    rows.forget(event.id);
    await emitAndStore();
    expect(webhookReads).toBe(3);
  });

  it('stores a body that is sent with its own id first, the same bytes at every attempt', async () => {
    const event = await eventWithWebhooks(1);
    const rows = new DeliveryRows(new EventCache(clock), createLogger('silent'), () => {}, clock);
    rows.add(emitted(event.id, 7));
    await rows.flush();
    const [webhook] = await WebhookRow.findAll({ where: { event_id: event.id, topics: 'user_registered,event_closed' } });
    const [delivery] = await WebhookDeliveryRow.findAll({ where: { webhook_id: webhook!.id } });
    const body = deliveryBody(delivery!.id, delivery!.payload!);
    expect(body).toBe(deliveryBody(delivery!.id, delivery!.payload!));
    expect(body.startsWith(`{"id":${delivery!.id},"topic":"user_registered"`)).toBe(true);
    expect(JSON.parse(body)).toMatchObject({ id: delivery!.id, event: { id: event.id, slug: event.slug }, data: { id: 7 } });
  });

  it('sends a body stored whole before bodies lost their id as it was stored', () => {
    const stored = '{"id":12,"topic":"event_closed","event":{"id":1,"slug":"a"},"created_at":"2025-01-01T00:00:00.000Z","data":{}}';
    expect(deliveryBody(12, stored)).toBe(stored);
  });
});
