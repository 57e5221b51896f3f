import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Question } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type Member, type TestSocket, useRealtimeServer } from '../realtime/support.js';

describe.each(databaseTargets)('role escalation on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let other: Awaited<ReturnType<typeof createEvent>>;
  let viewer: Member;
  let viewerSocket: TestSocket;
  let moderatorSocket: TestSocket;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'escalada');
    other = await createEvent(server, 'escalada-otra');
    viewer = await attendeeOf(server, event.slug, 'Vera Visora');
    viewerSocket = (await connect(server, { event: event.slug, token: viewer.token })).socket;
    moderatorSocket = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
  });

  it('role escalation over HTTP: an attendee calling admin, report and moderation endpoints gets 403 and changes nothing', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/admin/events'],
      ['POST', '/api/admin/events', { slug: 'tomada', title: 'Tomada' }],
      ['GET', `/api/admin/events/${event.id}`],
      ['PATCH', `/api/admin/events/${event.id}`, { is_active: false }],
      ['POST', `/api/admin/events/${event.id}/staff`, { name: 'Yo', email: 'yo@palco.test', role: 'moderador', password: 'password-123' }],
      ['PATCH', `/api/admin/events/${event.id}/staff/${event.moderator.user.id}`, { password: 'password-123' }],
      ['DELETE', `/api/admin/events/${event.id}/staff/${event.moderator.user.id}`],
      ['GET', `/api/admin/events/${event.id}/webhooks`],
      ['POST', `/api/admin/events/${event.id}/webhooks`, { url: 'https://evil.example/hook', topics: ['chat.message'] }],
      ['GET', `/api/events/${event.slug}/reports`],
      ['GET', `/api/events/${event.slug}/reports/participants.csv`],
      ['GET', `/api/events/${event.slug}/moderation-log`],
    ];
    for (const [method, path, body] of calls) {
      const response = await api(server.url, path, { method, body, token: viewer.token });
      expect([method, path, response.status, response.body?.error]).toEqual([method, path, 403, 'forbidden']);
    }
    const still = await api(server.url, `/api/admin/events/${event.id}`, { token: event.admin });
    expect(still.body.is_active).toBe(true);
    expect((await api(server.url, '/api/events/tomada')).status).toBe(404);
  });

  it('role escalation over HTTP: staff reach only what their role allows', async () => {
    for (const token of [event.moderator.token, event.speaker.token]) {
      expect((await api(server.url, '/api/admin/events', { token })).status).toBe(403);
    }
    expect((await api(server.url, `/api/events/${event.slug}/reports`, { token: event.speaker.token })).status).toBe(403);
    expect((await api(server.url, `/api/events/${other.slug}/reports`, { token: event.moderator.token })).status).toBe(403);
  });

  it('role escalation through body fields: role, event_id and flags sent at registration are ignored', async () => {
    const response = await api(server.url, `/api/events/${event.slug}/register`, {
      body: {
        name: 'Mallory',
        email: 'mallory@palco.test',
        phone: '+34 600 000 000',
        role: 'administrador',
        event_id: other.id,
        password: 'elijo-mi-clave',
        token_version: 99,
        banned: false,
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ role: 'visor', event_id: event.id });
    expect((await api(server.url, `/api/events/${other.slug}/chat`, { token: response.body.token })).status).toBe(403);
    const withChosenPassword = await api(server.url, `/api/events/${event.slug}/login`, { body: { email: 'mallory@palco.test', password: 'elijo-mi-clave' } });
    expect(withChosenPassword.status).toBe(401);
  });

  it('role escalation through body fields: an administrator cannot make staff into administrators', async () => {
    const created = await api(server.url, `/api/admin/events/${event.id}/staff`, {
      token: event.admin,
      body: { name: 'Jefe', email: 'jefe@palco.test', role: 'administrador', password: 'password-123' },
    });
    expect(created.status).toBe(422);
    const patched = await api(server.url, `/api/admin/events/${event.id}/staff/${event.moderator.user.id}`, {
      method: 'PATCH',
      token: event.admin,
      body: { role: 'administrador' },
    });
    expect(patched.status).toBe(422);
  });

  it('role escalation over the socket: an attendee sending approve, reject, read, highlight, delete_chat and moderate is refused', async () => {
    const question = (await viewerSocket.ok({ type: 'ask', question: '¿Me apruebo yo?' })).data as Question;
    const chat = (await viewerSocket.ok({ type: 'chat', message: 'mensaje propio' })).data as ChatMessage;
    const victim = await attendeeOf(server, event.slug, 'Víctima');
    const attempts = [
      { type: 'approve', id: question.id },
      { type: 'reject', id: question.id },
      { type: 'read', id: question.id },
      { type: 'highlight', id: question.id },
      { type: 'highlight', id: null },
      { type: 'delete_chat', id: chat.id },
      { type: 'moderate', user_id: victim.user.id, flag: 'banned' },
      { type: 'moderate', user_id: victim.user.id, flag: 'chat_blocked' },
      { type: 'moderate', user_id: viewer.user.id, flag: 'banned', value: false },
    ];
    for (const attempt of attempts) {
      const reply = await viewerSocket.request(attempt);
      expect([attempt, reply.type, reply.type === 'error' ? reply.code : null]).toEqual([attempt, 'error', 'forbidden']);
    }
    const pending = await api(server.url, `/api/events/${event.slug}/questions`, { token: event.moderator.token });
    expect(pending.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: question.id, status: 'pending' })]));
    const history = await api(server.url, `/api/events/${event.slug}/chat`, { token: viewer.token });
    expect(JSON.stringify(history.body)).toContain('mensaje propio');
    const victimStill = await connect(server, { event: event.slug, token: victim.token });
    expect(victimStill.welcome.user).toMatchObject({ banned: false, chat_blocked: false });
    await victimStill.socket.close();
  });

  it('role escalation over the socket: a speaker may not moderate people or delete chat', async () => {
    const speaker = (await connect(server, { event: event.slug, token: event.speaker.token })).socket;
    const chat = (await viewerSocket.ok({ type: 'chat', message: 'para borrar' })).data as ChatMessage;
    expect(await speaker.request({ type: 'delete_chat', id: chat.id })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await speaker.request({ type: 'moderate', user_id: viewer.user.id, flag: 'banned' })).toMatchObject({ type: 'error', code: 'forbidden' });
    await speaker.close();
  });

  it('role escalation through the socket URL: ?role=moderador and ?user_id= change nothing', async () => {
    const { socket, welcome } = await connect(server, {
      event: event.slug,
      token: viewer.token,
      query: { role: 'moderador', user_id: String(event.moderator.user.id), event_id_override: String(other.id) },
    });
    expect(welcome.user).toMatchObject({ id: viewer.user.id, role: 'visor' });
    const asked = (await socket.ok({ type: 'ask', question: 'pendiente oculta' })).data as Question;
    await moderatorSocket.waitFor('pending_question', (message) => message.id === asked.id);
    await socket.expectNone('pending_question', 100);
    expect(await socket.request({ type: 'approve', id: asked.id })).toMatchObject({ type: 'error', code: 'forbidden' });
    await socket.close();
  });
});
