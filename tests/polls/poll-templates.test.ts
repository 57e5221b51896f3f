import { beforeAll, describe, expect, it } from 'vitest';
import type { Poll, PollTemplate } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';

describe.each(databaseTargets)('poll templates on $name', (target) => {
  const server = useRealtimeServer(target);
  let first: Awaited<ReturnType<typeof createEvent>>;
  let second: Awaited<ReturnType<typeof createEvent>>;
  beforeAll(async () => {
    first = await createEvent(server, 'plantillas-uno');
    second = await createEvent(server, 'plantillas-dos');
  });

  it('lets an administrator save a quiz and a moderator of another event make a draft from it', async () => {
    const saved = await api<PollTemplate>(server.url, '/api/admin/poll-templates', {
      token: first.admin,
      body: { kind: 'quiz', question: '¿Cuántos continentes hay?', options: ['5', '6', '7'], correct: [2], time_limit_s: 20 },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ kind: 'quiz', options: ['5', '6', '7'], correct: [2], time_limit_s: 20 });

    const listed = await api<PollTemplate[]>(server.url, `/api/events/${second.slug}/poll-templates`, { token: second.moderator.token });
    expect(listed.body.map((template) => template.id)).toContain(saved.body.id);

    const moderator = (await connect(server, { event: second.slug, token: second.moderator.token })).socket;
    const used = await api<Poll>(server.url, `/api/events/${second.slug}/poll-templates/${saved.body.id}/polls`, { method: 'POST', token: second.moderator.token, body: {} });
    expect(used.status).toBe(201);
    expect(used.body).toMatchObject({ status: 'draft', kind: 'quiz', event_id: second.id, correct: [3], time_limit_s: 20 });
    await moderator.waitFor('poll', (message) => message.poll.id === used.body.id);
    await moderator.close();
  });

  it('lets an administrator save one of the event’s polls as a template, correct answers and time limit kept', async () => {
    const moderator = (await connect(server, { event: first.slug, token: first.moderator.token })).socket;
    const quiz = (await moderator.ok({ type: 'poll_create', kind: 'quiz', question: '¿2 + 2?', options: ['3', '4', '5'], correct: [1], time_limit_s: 15 })).data as Poll;
    const saved = await api<PollTemplate>(server.url, `/api/events/${first.slug}/poll-templates`, { token: first.admin, body: { poll_id: quiz.id } });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ kind: 'quiz', question: '¿2 + 2?', options: ['3', '4', '5'], correct: [1], time_limit_s: 15 });
    const byModerator = await api(server.url, `/api/events/${first.slug}/poll-templates`, { token: first.moderator.token, body: { poll_id: quiz.id } });
    expect(byModerator.status).toBe(403);
    const foreign = await api(server.url, `/api/events/${second.slug}/poll-templates`, { token: first.admin, body: { poll_id: quiz.id } });
    expect(foreign.body).toMatchObject({ error: 'poll_not_found' });
    await moderator.close();
  });

  it('refuses templates that would make a bad poll, and keeps attendees and moderators out of saving', async () => {
    const bad = await api(server.url, '/api/admin/poll-templates', { token: first.admin, body: { kind: 'single', question: '¿?', options: ['Sí', 'sí'] } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'invalid_input', fields: { options: expect.any(String) } });
    const attendee = await attendeeOf(server, first.slug);
    const byModerator = await api(server.url, '/api/admin/poll-templates', { token: first.moderator.token, body: { kind: 'rating', question: 'Puntúa' } });
    expect(byModerator.status).toBe(403);
    const listedByAttendee = await api(server.url, `/api/events/${first.slug}/poll-templates`, { token: attendee.token });
    expect(listedByAttendee.status).toBe(403);
    const missing = await api(server.url, `/api/events/${first.slug}/poll-templates/999999/polls`, { method: 'POST', token: first.moderator.token, body: {} });
    expect(missing.status).toBe(404);
  });
});
