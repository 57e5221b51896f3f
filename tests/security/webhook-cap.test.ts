import { beforeAll, describe, expect, it } from 'vitest';
import { Limits } from '@palco/sdk/protocol';
import { WebhookRow } from '../../packages/backend/src/db/models.js';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { createEvent } from '../webhooks/support.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('the cap on webhooks of an event on $name', (target) => {
  let token: string;
  const server = useServer(target, { webhookPrivateTargets: false });
  beforeAll(async () => {
    token = await adminToken(server.url);
  });

  it(`holds at ${Limits.webhooksPerEvent} when 60 webhooks are added at the same moment`, async () => {
    const event = await createEvent(server, token);
    const path = `/api/admin/events/${event.id}/webhooks`;
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, n) => api(server.url, path, { token, body: { url: `https://crm.example.com/${n}`, topics: ['event_closed'] } })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(Limits.webhooksPerEvent);
    expect(statuses.filter((status) => status === 409)).toHaveLength(60 - Limits.webhooksPerEvent);
    expect(await WebhookRow.count({ where: { event_id: event.id } })).toBe(Limits.webhooksPerEvent);
    expect((await api(server.url, path, { token })).body).toHaveLength(Limits.webhooksPerEvent);
  });
});
