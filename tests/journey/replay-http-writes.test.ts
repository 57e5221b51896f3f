import { describe, expect, it } from 'vitest';
import { PollRow } from '../../packages/backend/src/db/models.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { createEvent, useRealtimeServer } from '../realtime/support.js';

const replay = { replay_url: 'https://video.example/replay.m3u8', on_demand_until: '2099-01-01T00:00:00Z' };

/*
 * The replay is read-only for staff too, but for takedowns (docs/journey.md "Who may write"):
 * an HTTP route that writes the same thing as a refused socket command is refused alike.
 */
describe.each(databaseTargets)('HTTP writes during the replay on $name', (target) => {
  const server = useRealtimeServer(target);

  it('refuses a poll made from a template during the replay with event_on_demand and stores none', async () => {
    const event = await createEvent(server, 'plantilla-repeticion');
    const template = await api(server.url, '/api/admin/poll-templates', {
      token: event.admin,
      body: { kind: 'single', question: '¿Volverías?', options: ['Sí', 'No'] },
    });
    expect(template.status).toBe(201);
    const use = () => api(server.url, `/api/events/${event.slug}/poll-templates/${template.body.id}/polls`, { method: 'POST', token: event.moderator.token, body: {} });
    expect((await use()).status).toBe(201);
    const polls = await PollRow.count({ where: { event_id: event.id } });

    await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: event.admin, body: { is_active: false, ...replay } });
    for (const token of [event.moderator.token, event.admin]) {
      const refused = await api(server.url, `/api/events/${event.slug}/poll-templates/${template.body.id}/polls`, { method: 'POST', token, body: {} });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: 'event_on_demand', message: expect.stringMatching(/\S/) });
    }
    expect(await PollRow.count({ where: { event_id: event.id } })).toBe(polls);
  });
});
