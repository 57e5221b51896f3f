import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '@palco/sdk/protocol';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { signatureVerifies, startReceiver, type Receiver } from './receiver.js';
import { createEvent, registerTo } from './support.js';
import { eventually } from '../support/poll.js';
import { connect } from '../realtime/support.js';
import { useServer } from '../support/fixture.js';

const receiverTimeoutMs = 3_000;
const retryDelaysMs = [100, 100, 100];

describe.each(databaseTargets)('webhook deliveries on $name', (target) => {
  let token: string;
  let receiver: Receiver;

  const server = useServer(target, {
    // The receiver listens on this machine.
    webhookPrivateTargets: true,
    webhooks: { retryDelaysMs, timeoutMs: receiverTimeoutMs, concurrency: 8, pollIntervalMs: 50 },
  });
  beforeAll(async () => {
    token = await adminToken(server.url);
  });
  afterEach(async () => {
    await receiver?.close();
  });

  async function subscribe(topics: string[]) {
    const event = await createEvent(server, token);
    receiver = await startReceiver();
    const created = await api(server.url, `/api/admin/events/${event.id}/webhooks`, {
      token,
      body: { url: receiver.url, topics },
    });
    expect(created.status).toBe(201);
    return { event, webhook: created.body as { id: number; secret: string } };
  }

  const deliveries = async (eventId: number, webhookId: number) =>
    (await api(server.url, `/api/admin/events/${eventId}/webhooks/${webhookId}/deliveries`, { token })).body
      .items as WebhookDelivery[];

  it('signs a registration with the webhook secret: the signature verifies with it and not with another', async () => {
    const { event, webhook } = await subscribe(['user_registered']);
    const registered = await registerTo(server, event.slug);
    expect(registered.status).toBe(201);

    const [request] = await eventually(() => receiver.requests.length === 1 && receiver.requests);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-palco-topic']).toBe('user_registered');
    expect(signatureVerifies(webhook.secret, request!.body, request!.headers['x-palco-signature'] as string)).toBe(true);
    expect(signatureVerifies('f'.repeat(64), request!.body, request!.headers['x-palco-signature'] as string)).toBe(false);

    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({
      topic: 'user_registered',
      event: { id: event.id, slug: event.slug },
      data: { id: registered.body.user.id, name: registered.body.user.name, email: registered.body.user.email, phone: '+34 600 000 000' },
    });
    expect(String(body.id)).toBe(request!.headers['x-palco-delivery']);
    expect(Date.parse(body.data.registered_at)).not.toBeNaN();
    const [delivery] = await eventually(async () => {
      const list = await deliveries(event.id, webhook.id);
      return list[0]?.status === 'delivered' && list;
    });
    expect(delivery).toMatchObject({ id: body.id, attempts: 1, response_status: 200, last_error: null });
  });

  it('announces a closed event with event_closed, then report_ready with where the report is', async () => {
    const { event } = await subscribe(['event_closed', 'report_ready']);
    await registerTo(server, event.slug);
    const closed = await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token, body: { is_active: false } });
    expect(closed.status).toBe(200);

    await eventually(() => receiver.requests.length === 2);
    const bodies = receiver.requests.map((request) => JSON.parse(request.body)).sort((a, b) => a.id - b.id);
    expect(bodies.map((body) => body.topic)).toEqual(['event_closed', 'report_ready']);
    expect(bodies[0].data.title).toBe(event.title);
    expect(Date.parse(bodies[0].data.closed_at)).not.toBeNaN();
    expect(bodies[1].data).toEqual({
      report_path: `/e/${event.slug}/reports`,
      report_api_path: `/api/events/${event.slug}/reports`,
    });
    // Only the subscribed topics: the registration before the close sent nothing.
    expect(receiver.requests.every((request) => request.headers['x-palco-topic'] !== 'user_registered')).toBe(true);
  });

  it('announces a moderator’s answer with question_answered, keeping an anonymous author out', async () => {
    const { event } = await subscribe(['question_answered']);
    await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token, body: { allow_anonymous_questions: true } });
    const registered = await registerTo(server, event.slug);
    const asker = (await connect(server, { event: event.slug, token: registered.body.token })).socket;
    const admin = (await connect(server, { event: event.slug, token })).socket;
    const asked = await asker.ok({ type: 'ask', question: '¿Y el precio?', anonymous: true });
    await admin.ok({ type: 'answer', id: asked.id, text: 'Lo anunciamos mañana' });

    const [request] = await eventually(() => receiver.requests.length === 1 && receiver.requests);
    expect(request!.headers['x-palco-topic']).toBe('question_answered');
    expect(JSON.parse(request!.body).data).toMatchObject({ id: asked.id, answer: 'Lo anunciamos mañana', anonymous: true, user_id: 0, user_name: '' });
    await Promise.all([asker.close(), admin.close()]);
  });

  it('retries a receiver that answers 500 twice and records the delivery as delivered after 3 attempts', async () => {
    const { event, webhook } = await subscribe(['user_registered']);
    receiver.answer([500, 500], 200);
    await registerTo(server, event.slug);

    const [delivery] = await eventually(async () => {
      const list = await deliveries(event.id, webhook.id);
      return list[0]?.status === 'delivered' && list;
    });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, response_status: 200, last_error: null });
    expect(receiver.requests).toHaveLength(3);
    // Every retry carries the same delivery id and the same signed bytes, after the backoff.
    expect(new Set(receiver.requests.map((request) => request.headers['x-palco-delivery'])).size).toBe(1);
    expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);
    expect(receiver.requests[1]!.at - receiver.requests[0]!.at).toBeGreaterThanOrEqual(retryDelaysMs[0]! - 10);
  });

  it('gives up after the last retry, shows why, and sends it again when the admin asks', async () => {
    const { event, webhook } = await subscribe(['user_registered']);
    receiver.answer([], 503);
    await registerTo(server, event.slug);

    const [failed] = await eventually(async () => {
      const list = await deliveries(event.id, webhook.id);
      return list[0]?.status === 'failed' && list;
    });
    expect(failed).toMatchObject({ attempts: retryDelaysMs.length + 1, last_error: 'HTTP 503', response_status: 503 });
    expect(receiver.requests).toHaveLength(retryDelaysMs.length + 1);

    receiver.answer([], 200);
    const again = await api(
      server.url,
      `/api/admin/events/${event.id}/webhooks/${webhook.id}/deliveries/${failed!.id}/redeliver`,
      { token, method: 'POST' },
    );
    expect(again.status).toBe(202);
    const [delivered] = await eventually(async () => {
      const list = await deliveries(event.id, webhook.id);
      return list[0]?.status === 'delivered' && list;
    });
    expect(delivered).toMatchObject({ id: failed!.id, attempts: 1, last_error: null });
  });

  it('keeps registrations and the event API fast while the receiver hangs, then counts the hang as a timeout', async () => {
    const { event, webhook } = await subscribe(['user_registered']);
    receiver.answer([], 'hang');
    const first = await registerTo(server, event.slug);
    await eventually(() => receiver.hanging() > 0);

    const started = Date.now();
    for (let i = 0; i < 10; i += 1) {
      const step = Date.now();
      expect((await registerTo(server, event.slug)).status).toBe(201);
      expect((await api(server.url, `/api/events/${event.slug}`)).status).toBe(200);
      expect((await api(server.url, `/api/events/${event.slug}/chat`, { token: first.body.token })).status).toBe(200);
      expect(Date.now() - step).toBeLessThan(receiverTimeoutMs / 3);
    }
    // Thirty requests answered while the receiver was still holding deliveries open.
    expect(Date.now() - started).toBeLessThan(receiverTimeoutMs);
    expect(receiver.hanging()).toBeGreaterThan(0);

    const timedOut = await eventually(async () => {
      const list = await deliveries(event.id, webhook.id);
      return list.find((delivery) => delivery.last_error?.startsWith('timeout'));
    }, undefined, receiverTimeoutMs * 3);
    expect(timedOut.last_error).toBe(`timeout after ${receiverTimeoutMs} ms`);
    expect(timedOut.response_status).toBeNull();
  });
});
