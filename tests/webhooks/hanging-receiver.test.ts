import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';
import { eventually } from '../support/poll.js';
import { signatureVerifies, startReceiver, type Receiver } from './receiver.js';

const concurrency = 3;
const receiverTimeoutMs = 1_500;
const chatMessages = 40;
const registrations = 10;
const approvals = 4;

describe.each(databaseTargets)('a webhook receiver that hangs, on $name', (target) => {
  let receiver: Receiver;

  const server = useRealtimeServer(target, {}, {
    // The receiver listens on this machine.
    webhookPrivateTargets: true,
    webhooks: { retryDelaysMs: Array(10).fill(100), timeoutMs: receiverTimeoutMs, concurrency, pollIntervalMs: 50 },
  });
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  /**
   * An event's moderator sends chat messages and approves questions while attendees register;
   * returns how many messages were acknowledged and how many another viewer received.
   */
  async function talk(event: Awaited<ReturnType<typeof createEvent>>, hooks: { beforeChat?: () => Promise<unknown>; whileBusy?: () => void } = {}) {
    const viewer = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    await hooks.beforeChat?.();
    let acked = 0;
    for (let i = 0; i < chatMessages; i += 1) {
      if (i % 4 === 0) expect((await attendeeOf(server, event.slug)).user.id).toBeGreaterThan(0);
      if (i % 10 === 0) {
        const asked = await moderator.ok({ type: 'ask', question: `¿Pregunta ${i}?` });
        await moderator.ok({ type: 'approve', id: asked.id! });
      }
      const reply = await moderator.request({ type: 'chat', message: `Mensaje ${i} ñ` });
      if (reply.type === 'ack') acked += 1;
      hooks.whileBusy?.();
    }
    const delivered = await eventually(
      () => viewer.all('chat').filter((message) => message.message.startsWith('Mensaje ')).length,
      (count) => count >= acked,
      10_000,
    );
    await Promise.all([viewer.close(), moderator.close()]);
    return { acked, delivered };
  }

  it('keeps acking and delivering chat while deliveries hang, holds at most `concurrency` open, and delivers them signed once it answers', async () => {
    // Without webhooks: the numbers to compare with.
    const baseline = await talk(await createEvent(server, 'sin-webhooks'));
    expect(baseline).toEqual({ acked: chatMessages, delivered: chatMessages });

    const event = await createEvent(server, 'con-webhooks');
    const admin = event.admin;
    const created = await api(server.url, `/api/admin/events/${event.id}/webhooks`, {
      token: admin,
      body: { url: receiver.url, topics: ['user_registered', 'question_approved'] },
    });
    expect(created.status).toBe(201);
    const webhook = created.body as { id: number; secret: string };
    receiver.answer([], 'hang');

    let mostHanging = 0;
    const result = await talk(event, {
      // The viewer's registration is being delivered, and held, before the first message.
      beforeChat: () => eventually(() => receiver.hanging(), (count) => count > 0, 10_000),
      whileBusy: () => {
        mostHanging = Math.max(mostHanging, receiver.hanging());
      },
    });
    expect(result).toEqual(baseline);
    // The receiver really held requests open during the chat, and never more than the limit.
    expect(mostHanging).toBeGreaterThan(0);
    expect(mostHanging).toBeLessThanOrEqual(concurrency);
    expect(receiver.hanging()).toBeLessThanOrEqual(concurrency);

    // The receiver recovers: every delivery goes through, with a signature that verifies.
    receiver.answer([], 200);
    const expected = registrations + 1 + approvals;
    const deliveries = await eventually(
      async () =>
        (await api(server.url, `/api/admin/events/${event.id}/webhooks/${webhook.id}/deliveries?limit=200`, { token: admin })).body
          .items as WebhookDelivery[],
      (items) => items.length === expected && items.every((delivery) => delivery.status === 'delivered'),
      30_000,
    );
    const timedOut = deliveries.filter((delivery) => delivery.attempts > 1);
    expect(timedOut.length).toBeGreaterThan(0);
    for (const delivery of deliveries) {
      const answered = receiver.requests.filter((request) => request.headers['x-palco-delivery'] === String(delivery.id)).at(-1)!;
      expect(signatureVerifies(webhook.secret, answered.body, answered.headers['x-palco-signature'] as string)).toBe(true);
      expect(JSON.parse(answered.body)).toMatchObject({ id: delivery.id, topic: delivery.topic, event: { id: event.id } });
    }
    expect(new Set(deliveries.map((delivery) => delivery.topic))).toEqual(new Set(['user_registered', 'question_approved']));
  }, 90_000);
});
