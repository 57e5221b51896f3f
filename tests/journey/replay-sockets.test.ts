import { describe, expect, it } from 'vitest';
import { CloseCode, type Poll } from '@palco/sdk/protocol';
import { ChatMessageRow, PollVoteRow, QuestionRow, ReactionCountRow } from '../../packages/backend/src/db/models.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';

const replay = { replay_url: 'https://video.example/replay.m3u8', on_demand_until: '2099-01-01T00:00:00Z' };

describe.each(databaseTargets)('event state on open sockets on $name', (target) => {
  const server = useRealtimeServer(target);
  const patch = (admin: string, id: number, body: unknown) => api(server.url, `/api/admin/events/${id}`, { method: 'PATCH', token: admin, body });

  it('tells every socket of a scheduled event that it went live, and the welcome carries the state', async () => {
    const event = await createEvent(server, 'en-vivo', { starts_at: '2099-03-01T18:00:00Z' });
    const ana = await attendeeOf(server, event.slug);
    const attendee = await connect(server, { event: event.slug, token: ana.token });
    const moderator = await connect(server, { event: event.slug, token: event.moderator.token });
    expect(attendee.welcome.event.state).toBe('scheduled');

    expect((await patch(event.admin, event.id, { live: true })).body.state).toBe('live');
    for (const { socket } of [attendee, moderator]) {
      expect(await socket.waitFor('event_state')).toEqual({ type: 'event_state', state: 'live' });
    }
    // Saving the event again without a change of state says nothing more.
    await patch(event.admin, event.id, { title: 'En vivo, retitulado' });
    await attendee.socket.expectNone('event_state', 200);
    expect(attendee.socket.all('event_state')).toHaveLength(1);
  });

  it('keeps the sockets open read-only when the event closes with a replay: reads work, every write answers event_on_demand and stores nothing', async () => {
    const event = await createEvent(server, 'repeticion');
    const ana = await attendeeOf(server, event.slug);
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const attendee = (await connect(server, { event: event.slug, token: ana.token })).socket;
    const poll = (await moderator.ok({ type: 'poll_create', kind: 'single', question: '¿Volverías?', options: ['Sí', 'No'] })).data as Poll;
    await moderator.ok({ type: 'poll_open', id: poll.id });
    const question = (await attendee.ok({ type: 'ask', question: '¿Habrá grabación?' })).data as { id: number };
    await moderator.ok({ type: 'approve', id: question.id });
    const said = (await attendee.ok({ type: 'chat', message: 'Hola desde el directo' })).data as { id: number };

    expect((await patch(event.admin, event.id, { is_active: false, ...replay })).body.state).toBe('on_demand');
    expect(await attendee.waitFor('event_state')).toEqual({ type: 'event_state', state: 'on_demand' });
    await moderator.waitFor('event_state');
    await attendee.expectNone('event_closed', 200);
    expect(attendee.isOpen).toBe(true);

    const before = { chat: await ChatMessageRow.count(), questions: await QuestionRow.count(), votes: await PollVoteRow.count(), reactions: await ReactionCountRow.count() };
    const writes = [
      { type: 'chat', message: 'Hola desde la repetición' },
      { type: 'ask', question: '¿Se puede preguntar ahora?' },
      { type: 'upvote', id: question.id },
      { type: 'poll_vote', id: poll.id, choices: [1] },
      { type: 'react', emoji: '👏' },
    ];
    for (const write of writes) {
      const reply = await attendee.request(write);
      expect(reply, write.type).toMatchObject({ type: 'error', code: 'event_on_demand', message: expect.stringMatching(/\S/) });
    }
    // Staff may take content down for the replay's viewers, but add nothing.
    expect(await moderator.request({ type: 'chat', message: 'Gracias a todos' })).toMatchObject({ code: 'event_on_demand' });
    await moderator.ok({ type: 'delete_chat', id: said.id });
    const after = { chat: await ChatMessageRow.count(), questions: await QuestionRow.count(), votes: await PollVoteRow.count(), reactions: await ReactionCountRow.count() };
    expect(after).toEqual(before);

    // Reading goes on: a new socket is welcomed with the replay's state, the history answers.
    const again = await connect(server, { event: event.slug, token: ana.token, query: { lang: 'en' } });
    expect(again.welcome.event.state).toBe('on_demand');
    expect(again.welcome.questions.map((item) => item.id)).toContain(question.id);
    expect(again.welcome.polls.map((item) => item.id)).toContain(poll.id);
    expect(await again.socket.request({ type: 'chat', message: 'Hi' })).toMatchObject({ code: 'event_on_demand', message: expect.stringMatching(/replay/i) });
    expect((await api(server.url, `/api/events/${event.slug}/questions`, { token: ana.token })).status).toBe(200);
  });

  it('closes the sockets as before when the event ends without a replay', async () => {
    const event = await createEvent(server, 'sin-repeticion');
    const ana = await attendeeOf(server, event.slug);
    const attendee = (await connect(server, { event: event.slug, token: ana.token })).socket;
    await patch(event.admin, event.id, { is_active: false });
    expect(await attendee.closed).toEqual({ code: CloseCode.eventClosed, reason: 'Transmisión finalizada.' });
    expect(attendee.all('event_state')).toEqual([]);
  });

  it('refuses attendees once the replay window has passed, their writes on an open socket too, and still admits staff', async () => {
    const later = await createEvent(server, 'repeticion-vencida');
    const luis = await attendeeOf(server, later.slug);
    await patch(later.admin, later.id, { is_active: false, ...replay });
    const watching = (await connect(server, { event: later.slug, token: luis.token })).socket;
    server.deps.now = () => Date.parse('2099-01-01T00:00:01Z');
    try {
      expect(await watching.request({ type: 'chat', message: 'Hola' })).toMatchObject({ code: 'event_closed' });
      const staff = (await connect(server, { event: later.slug, token: later.moderator.token })).socket;
      // Each process closes the attendees' sockets left reading once the window has passed.
      expect(await server.hub.replayExpiry.sweep()).toBeGreaterThanOrEqual(1);
      expect(await watching.closed).toEqual({ code: CloseCode.eventClosed, reason: 'Transmisión finalizada.' });
      expect(watching.all('event_closed')).toHaveLength(1);
      expect(staff.isOpen).toBe(true);
      const refused = await connect(server, { event: later.slug, token: luis.token }).catch((error: Error) => error);
      expect(String(refused)).toMatch(/4010/);
      // Staff still enter an ended event.
      expect((await connect(server, { event: later.slug, token: later.moderator.token })).welcome.event.state).toBe('ended');
    } finally {
      server.deps.now = () => Date.now();
    }
  });
});
