import { describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { eventually, sleep } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';
import { signatureVerifies, startReceiver } from '../webhooks/receiver.js';

describe.each(databaseTargets)('the attendance webhook on $name', (target) => {
  const server = useRealtimeServer(target, {}, { webhookPrivateTargets: true });

  it('sends one signed attendance delivery per attendee when the event closes, with minutes, questions and chat messages', async () => {
    const hooks = await startReceiver();
    try {
      const event = await createEvent(server, 'asistencia');
      const created = await api(server.url, `/api/admin/events/${event.id}/webhooks`, {
        token: event.admin,
        body: { url: hooks.url, topics: ['attendance'] },
      });
      expect(created.status).toBe(201);
      const ana = await attendeeOf(server, event.slug, 'Ana Activa');
      const luis = await attendeeOf(server, event.slug, 'Luis Ausente');
      const socket = (await connect(server, { event: event.slug, token: ana.token })).socket;
      await socket.ok({ type: 'chat', message: 'Hola' });
      await socket.ok({ type: 'chat', message: '¿Se oye?' });
      await socket.ok({ type: 'ask', question: '¿Habrá repetición?' });

      await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: event.admin, body: { is_active: false } });
      await eventually(() => hooks.requests.length, (count) => count >= 2);
      await sleep(200);
      expect(hooks.requests).toHaveLength(2);
      const bodies = hooks.requests.map((request) => JSON.parse(request.body)).sort((a, b) => a.data.id - b.data.id);
      expect(bodies.map((body) => body.topic)).toEqual(['attendance', 'attendance']);
      expect(bodies[0].data).toEqual({ id: ana.user.id, name: 'Ana Activa', email: ana.user.email, live_minutes: 0, on_demand_minutes: 0, questions_asked: 1, chat_messages: 2 });
      expect(bodies[1].data).toMatchObject({ id: luis.user.id, questions_asked: 0, chat_messages: 0 });
      expect(hooks.requests.every((request) => signatureVerifies(created.body.secret, request.body, request.headers['x-palco-signature'] as string))).toBe(true);
    } finally {
      await hooks.close();
    }
  });

  it('refuses an unknown topic with the list of topics, attendance among them', async () => {
    const event = await createEvent(server, 'temas');
    const refused = await api(server.url, `/api/admin/events/${event.id}/webhooks?lang=en`, {
      token: event.admin,
      body: { url: 'https://hooks.example/palco', topics: ['asistencia'] },
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.fields)).toContain('attendance');
  });
});
