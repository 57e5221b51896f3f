import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { createEvent, registerTo } from './support.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('webhook administration on $name', (target) => {
  let token: string;
  let event: { id: number; slug: string };
  const hooksPath = () => `/api/admin/events/${event.id}/webhooks`;

  // One test points a webhook at a closed port on this machine.
  const server = useServer(target, { webhookPrivateTargets: true });
  beforeAll(async () => {
    token = await adminToken(server.url);
    event = await createEvent(server, token);
  });

  it('creates a webhook with a fresh 32-byte secret and lists it', async () => {
    const created = await api(server.url, hooksPath(), {
      token,
      body: { url: 'https://crm.example.com/palco', topics: ['user_registered', 'report_ready', 'user_registered'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      event_id: event.id,
      url: 'https://crm.example.com/palco',
      topics: ['user_registered', 'report_ready'],
      active: true,
    });
    expect(created.body.secret).toMatch(/^[0-9a-f]{64}$/);
    const other = await api(server.url, hooksPath(), { token, body: { url: 'https://crm.example.com/b', topics: ['event_closed'] } });
    expect(other.body.secret).not.toBe(created.body.secret);

    const list = await api(server.url, hooksPath(), { token });
    expect(list.status).toBe(200);
    expect(list.body.map((webhook: { id: number }) => webhook.id)).toEqual([created.body.id, other.body.id]);
  });

  it.each([
    ['a plain http URL to another host', { url: 'http://crm.example.com/hook', topics: ['event_closed'] }, 'url'],
    ['something that is not a URL', { url: 'crm.example.com', topics: ['event_closed'] }, 'url'],
    ['an unknown topic', { url: 'https://crm.example.com/hook', topics: ['chat_message'] }, 'topics.0'],
    ['no topic at all', { url: 'https://crm.example.com/hook', topics: [] }, 'topics'],
  ])('refuses %s with 422 naming the field', async (_case, body, field) => {
    const response = await api(server.url, hooksPath(), { token, body });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('invalid_input');
    expect(Object.keys(response.body.fields)).toEqual([field]);
  });

  it('lets only administrators in: 401 without a session, 403 for an attendee', async () => {
    expect((await api(server.url, hooksPath())).status).toBe(401);
    const attendee = await registerTo(server, event.slug);
    const response = await api(server.url, hooksPath(), { token: attendee.body.token });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('forbidden');
  });

  it('edits topics and activity, rotates the secret on request, and deletes', async () => {
    const created = await api(server.url, hooksPath(), { token, body: { url: 'https://a.example.com/', topics: ['event_closed'] } });
    const path = `${hooksPath()}/${created.body.id}`;
    const edited = await api(server.url, path, { token, method: 'PATCH', body: { topics: ['question_approved'], active: false } });
    expect(edited.body).toMatchObject({ topics: ['question_approved'], active: false, secret: created.body.secret });
    const rotated = await api(server.url, path, { token, method: 'PATCH', body: { rotate_secret: true } });
    expect(rotated.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect((await api(server.url, path, { token, method: 'PATCH', body: { url: 'ftp://a.example.com/' } })).status).toBe(422);

    expect((await api(server.url, path, { token, method: 'DELETE' })).status).toBe(204);
    expect((await api(server.url, path, { token, method: 'DELETE' })).status).toBe(404);
    const anotherEvent = await createEvent(server, token);
    const foreign = await api(server.url, `/api/admin/events/${anotherEvent.id}/webhooks/${created.body.id}`, {
      token,
      method: 'PATCH',
      body: { active: true },
    });
    expect(foreign.status).toBe(404);
  });

  it('pages deliveries newest first', async () => {
    const own = await createEvent(server, token);
    // Nothing listens there: the deliveries wait for retries, which is all paging needs.
    const created = await api(server.url, `/api/admin/events/${own.id}/webhooks`, {
      token,
      body: { url: 'http://127.0.0.1:9/closed', topics: ['user_registered'] },
    });
    for (let i = 0; i < 3; i += 1) await registerTo(server, own.slug);
    const deliveriesPath = `/api/admin/events/${own.id}/webhooks/${created.body.id}/deliveries`;

    // Registration answers before its deliveries are stored: they are listed moments later.
    await eventually(async () => (await api(server.url, deliveriesPath, { token })).body.items.length === 3);
    const first = await api(server.url, `${deliveriesPath}?limit=2`, { token });
    expect(first.body.has_more).toBe(true);
    const [newest, second] = first.body.items;
    expect(newest.id).toBeGreaterThan(second.id);
    expect(newest).toMatchObject({ webhook_id: created.body.id, topic: 'user_registered' });
    const rest = await api(server.url, `${deliveriesPath}?limit=2&before=${second.id}`, { token });
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.has_more).toBe(false);
    expect((await api(server.url, `${deliveriesPath}?limit=0`, { token })).status).toBe(422);
  });
});
