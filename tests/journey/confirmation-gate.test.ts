import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import type { Poll } from '@palco/sdk/protocol';
import { ChatMessageRow, PollVoteRow, QuestionRow, UserRow } from '../../packages/backend/src/db/models.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';

describe.each(databaseTargets)('the confirmation gate on $name', (target) => {
  const server = useRealtimeServer(target);

  it('lets an unconfirmed attendee watch but answers each write with confirmation_required, stores nothing, and lets it through once confirmed', async () => {
    const event = await createEvent(server, 'confirmar', { require_confirmation: true });
    const ana = await attendeeOf(server, event.slug);
    expect(ana.user.confirmed).toBe(false);
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const poll = (await moderator.ok({ type: 'poll_create', kind: 'single', question: '¿Te gusta?', options: ['Sí', 'No'] })).data as Poll;
    await moderator.ok({ type: 'poll_open', id: poll.id });
    // Staff are never gated.
    const staffChat = (await moderator.ok({ type: 'chat', message: 'Bienvenidos' })).data as { id: number };
    const staffQuestion = (await moderator.ok({ type: 'ask', question: '¿Se oye bien?' })).data as { id: number };
    await moderator.ok({ type: 'approve', id: staffQuestion.id });

    const attendee = await connect(server, { event: event.slug, token: ana.token });
    expect(attendee.welcome.chat.map((message) => message.id)).toContain(staffChat.id);
    const stored = async () => ({
      chat: await ChatMessageRow.count({ where: { user_id: ana.user.id } }),
      questions: await QuestionRow.count({ where: { user_id: ana.user.id } }),
      votes: await PollVoteRow.count({ where: { user_id: ana.user.id } }),
    });
    const writes = [
      { type: 'chat', message: 'Hola' },
      { type: 'ask', question: '¿Puedo preguntar?' },
      { type: 'upvote', id: staffQuestion.id },
      { type: 'poll_vote', id: poll.id, choices: [1] },
      { type: 'react', emoji: '👏' },
    ];
    for (const write of writes) {
      expect(await attendee.socket.request(write), write.type).toMatchObject({
        type: 'error',
        code: 'confirmation_required',
        message: expect.stringMatching(/\S/),
      });
    }
    expect(await stored()).toEqual({ chat: 0, questions: 0, votes: 0 });

    // Opening the emailed link confirms the registration; the open socket may write once the
    // server reads it again (a few seconds at most after its last refusal).
    await UserRow.update({ confirmed_at: new Date() }, { where: { id: ana.user.id } });
    server.deps.now = () => Date.now() + 6_000;
    try {
      await attendee.socket.ok({ type: 'chat', message: 'Ya confirmé' });
      await attendee.socket.ok({ type: 'poll_vote', id: poll.id, choices: [1] });
    } finally {
      server.deps.now = () => Date.now();
    }
    expect(await stored()).toEqual({ chat: 1, questions: 0, votes: 1 });
  });

  it('counts an attendee who came with the producer identity token as confirmed, and leaves events without the setting alone', async () => {
    const event = await createEvent(server, 'confirmar-token', { require_confirmation: true });
    const { body: admin } = await api(server.url, `/api/admin/events/${event.id}`, { token: event.admin });
    const identity = jwt.sign({ email: 'vera@productora.test', name: 'Vera' }, admin.embed_secret, { algorithm: 'HS256', audience: event.slug, expiresIn: 300 });
    const signedIn = await api(server.url, `/api/events/${event.slug}/identity`, { body: { identity } });
    expect(signedIn.body.user.confirmed).toBe(true);
    const vera = (await connect(server, { event: event.slug, token: signedIn.body.token })).socket;
    await vera.ok({ type: 'chat', message: 'Vengo de la productora' });

    const open = await createEvent(server, 'sin-confirmar');
    const luis = await attendeeOf(server, open.slug);
    await (await connect(server, { event: open.slug, token: luis.token })).socket.ok({ type: 'chat', message: 'Sin confirmar y sin problema' });
  });
});
