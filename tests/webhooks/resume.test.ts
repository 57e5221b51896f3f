import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '@palco/sdk/protocol';
import { createLogger } from '../../packages/backend/src/log.js';
import { startServer, type RunningServer } from '../../packages/backend/src/server.js';
import { EventCache } from '../../packages/backend/src/services/event-cache.js';
import { WebhookTargets } from '../../packages/backend/src/webhooks/targets.js';
import { Webhooks } from '../../packages/backend/src/webhooks/webhooks.js';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { startReceiver, type Receiver } from './receiver.js';
import { createEvent, registerTo } from './support.js';
import { eventually, sleep } from '../support/poll.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('webhook deliveries across restarts and processes on $name', (target) => {
  let restarted: RunningServer | undefined;
  let token: string;
  let receiver: Receiver;

  const server = useServer(target, {
    // The receiver listens on this machine.
    webhookPrivateTargets: true,
    webhooks: { retryDelaysMs: [1_500], timeoutMs: 3_000, concurrency: 4, pollIntervalMs: 50 },
  });
  beforeAll(async () => {
    token = await adminToken(server.url);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await restarted?.close();
  });
  afterEach(() => {
    receiver.requests.length = 0;
  });

  async function subscribe(baseUrl: string) {
    const event = await createEvent(server, token);
    const created = await api(baseUrl, `/api/admin/events/${event.id}/webhooks`, {
      token,
      body: { url: receiver.url, topics: ['user_registered'] },
    });
    return { event, webhookId: created.body.id as number };
  }

  it('two senders sharing one database deliver each delivery exactly once', async () => {
    const { event } = await subscribe(server.url);
    // A second sender on the same database, as a second backend process would run.
    const secondProcess = new Webhooks(server.config.webhooks, createLogger('silent'), new EventCache(), new WebhookTargets(true));
    secondProcess.start();
    try {
      for (let i = 0; i < 12; i += 1) await registerTo(server, event.slug);
      await eventually(() => receiver.requests.length >= 12);
      await sleep(300);
    } finally {
      await secondProcess.close();
    }
    const ids = receiver.requests.map((request) => request.headers['x-palco-delivery']);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('sends a delivery left pending by a stopped server once the server starts again', async () => {
    const { event, webhookId } = await subscribe(server.url);
    receiver.answer([500], 200);
    await registerTo(server, event.slug);
    await eventually(() => receiver.requests.length === 1);
    // The failed attempt is recorded and its retry is due later; stop before it is.
    const pending = await eventually(async () => {
      const page = await api(server.url, `/api/admin/events/${event.id}/webhooks/${webhookId}/deliveries`, { token });
      const delivery = page.body.items[0] as WebhookDelivery | undefined;
      return delivery?.attempts === 1 && delivery;
    });
    expect(pending).toMatchObject({ status: 'pending', last_error: 'HTTP 500' });
    await server.close();

    restarted = await startServer(server.config);
    const delivered = await eventually(async () => {
      const page = await api(restarted!.url, `/api/admin/events/${event.id}/webhooks/${webhookId}/deliveries`, { token });
      const delivery = page.body.items[0] as WebhookDelivery | undefined;
      return delivery?.status === 'delivered' && delivery;
    });
    expect(delivered).toMatchObject({ id: pending.id, attempts: 2, response_status: 200 });
    expect(receiver.requests).toHaveLength(2);
  });
});
