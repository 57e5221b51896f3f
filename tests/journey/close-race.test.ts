import { describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { eventually, sleep } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, createEvent, useRealtimeServer } from '../realtime/support.js';
import { startReceiver } from '../webhooks/receiver.js';

describe.each(databaseTargets)('closing an event twice at once on $name', (target) => {
  const server = useRealtimeServer(target, {}, { webhookPrivateTargets: true });

  it('sends each attendee one attendance delivery and one event_closed when two closes of the same event race', async () => {
    const hooks = await startReceiver();
    try {
      const event = await createEvent(server, 'cierre-doble');
      await api(server.url, `/api/admin/events/${event.id}/webhooks`, { token: event.admin, body: { url: hooks.url, topics: ['attendance', 'event_closed'] } });
      await attendeeOf(server, event.slug, 'Ana');
      await attendeeOf(server, event.slug, 'Luis');
      const close = () => api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: event.admin, body: { is_active: false } });
      const replies = await Promise.all([close(), close(), close()]);
      for (const reply of replies) expect(reply.status).toBe(200);
      await eventually(() => hooks.requests.length, (count) => count >= 3);
      await sleep(500);
      const topics = hooks.requests.map((request) => (JSON.parse(request.body) as { topic: string }).topic).sort();
      expect(topics).toEqual(['attendance', 'attendance', 'event_closed']);
    } finally {
      await hooks.close();
    }
  });
});
