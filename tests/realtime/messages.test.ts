import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Question } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from './support.js';
import { eventually } from '../support/poll.js';

describe.each(databaseTargets)('chat, questions and moderation over the socket on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;
  let speaker: TestSocket;
  let admin: TestSocket;

  const server = useRealtimeServer(target, { idleRoomMs: 50 });
  beforeAll(async () => {
    event = await createEvent(server, 'mensajes');
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    speaker = (await connect(server, { event: event.slug, token: event.speaker.token })).socket;
    admin = (await connect(server, { event: event.slug, token: event.admin })).socket;
  });

  const attendee = async (name?: string) => {
    const member = await attendeeOf(server, event.slug, name);
    const { socket, welcome } = await connect(server, { event: event.slug, token: member.token });
    return { ...member, socket, welcome };
  };

  /** An attendee's question, approved by the moderator and delivered (so newcomers' welcomes hold it). */
  const approvedQuestion = async (author: TestSocket, text = '¿Habrá grabación?') => {
    const asked = (await author.ok({ type: 'ask', question: text })).data as Question;
    await moderator.ok({ type: 'approve', id: asked.id });
    await author.waitFor('approved_question', (m) => m.id === asked.id);
    return asked;
  };

  describe('chat', () => {
    it('stores a message, acknowledges it with its id and delivers it to everyone in the event', async () => {
      const ana = await attendee('Ana');
      const luis = await attendee('Luis');
      const ack = await ana.socket.ok({ type: 'chat', message: '  ¡Hola a todos!  ' });
      const sent = ack.data as ChatMessage;
      expect(sent).toMatchObject({ id: ack.id, user_id: ana.user.id, user_name: 'Ana', message: '¡Hola a todos!' });
      expect(sent.timestamp).toMatch(/^\d{2}:\d{2}$/);
      for (const socket of [ana.socket, luis.socket, moderator, speaker, admin]) {
        expect(await socket.waitFor('chat', (chat) => chat.id === sent.id)).toMatchObject(sent);
      }
      const history = await api(server.url, `/api/events/${event.slug}/chat?after=${sent.id - 1}`, { token: luis.token });
      expect(history.body.items[0]).toEqual(sent);
    });

    it('lets every member of staff chat', async () => {
      for (const socket of [moderator, speaker, admin]) {
        expect((await socket.ok({ type: 'chat', message: 'Bienvenidos' })).id).toBeGreaterThan(0);
      }
    });

    it('lets a moderator delete a message: everyone is told and it leaves history and the welcome', async () => {
      const ana = await attendee();
      const luis = await attendee();
      const sent = (await ana.socket.ok({ type: 'chat', message: 'spam spam' })).data as ChatMessage;
      expect(await moderator.ok({ type: 'delete_chat', id: sent.id })).toMatchObject({ id: sent.id, data: { id: sent.id } });
      for (const socket of [ana.socket, luis.socket, speaker, admin]) await socket.waitFor('chat_deleted', (m) => m.id === sent.id);
      const history = await api(server.url, `/api/events/${event.slug}/chat?after=${sent.id - 1}`, { token: luis.token });
      expect(history.body.items.map((item: ChatMessage) => item.id)).not.toContain(sent.id);
      const newcomer = await attendee();
      expect(newcomer.welcome.chat.map((chat) => chat.id)).not.toContain(sent.id);
    });

    it('refuses delete_chat from attendees and speakers, and for messages it does not know in this event', async () => {
      const ana = await attendee();
      const sent = (await ana.socket.ok({ type: 'chat', message: 'me quedo' })).data as ChatMessage;
      expect(await ana.socket.request({ type: 'delete_chat', id: sent.id })).toMatchObject({ type: 'error', code: 'forbidden' });
      expect(await speaker.request({ type: 'delete_chat', id: sent.id })).toMatchObject({ type: 'error', code: 'forbidden' });
      expect(await moderator.request({ type: 'delete_chat', id: 9_999_999 })).toMatchObject({ type: 'error', code: 'not_found' });
    });
  });

  describe('questions', () => {
    it('shows a new question to moderators only, then to everyone once approved', async () => {
      const ana = await attendee('Ana');
      const luis = await attendee('Luis');
      const ack = await ana.socket.ok({ type: 'ask', question: '¿Cuándo empieza?' });
      const asked = ack.data as Question;
      expect(asked).toMatchObject({ id: ack.id, status: 'pending', user_id: ana.user.id, question: '¿Cuándo empieza?', upvotes: 0 });
      for (const socket of [moderator, admin]) {
        expect(await socket.waitFor('pending_question', (m) => m.id === asked.id)).toMatchObject({
          question: '¿Cuándo empieza?',
          user_id: ana.user.id,
          user_name: 'Ana',
        });
      }
      await Promise.all([luis.socket, speaker].map((socket) => socket.expectNone('pending_question', 100, (m) => 'id' in m && m.id === asked.id)));

      const approved = await moderator.ok({ type: 'approve', id: asked.id });
      expect(approved.data).toMatchObject({ status: 'approved', moderated_by: event.moderator.user.id });
      expect((approved.data as Question).approved_at).not.toBeNull();
      for (const socket of [ana.socket, luis.socket, speaker, moderator, admin]) {
        expect(await socket.waitFor('approved_question', (m) => m.id === asked.id)).toMatchObject({ question: '¿Cuándo empieza?', upvotes: 0 });
      }
    });

    it('tells staff and the author, and no other attendee, that a question was rejected', async () => {
      const ana = await attendee();
      const luis = await attendee();
      const asked = (await ana.socket.ok({ type: 'ask', question: 'Pregunta fuera de tema' })).data as Question;
      expect((await moderator.ok({ type: 'reject', id: asked.id })).data).toMatchObject({ status: 'rejected' });
      for (const socket of [ana.socket, speaker, moderator, admin]) {
        expect(await socket.waitFor('question_updated', (m) => m.id === asked.id)).toEqual({ type: 'question_updated', id: asked.id, status: 'rejected' });
      }
      await luis.socket.expectNone('question_updated', 100, (m) => 'id' in m && m.id === asked.id);
      await luis.socket.expectNone('approved_question', 0, (m) => 'id' in m && m.id === asked.id);
    });

    it('lets the speaker mark an approved question read, telling staff and the author', async () => {
      const ana = await attendee();
      const asked = await approvedQuestion(ana.socket);
      const read = await speaker.ok({ type: 'read', id: asked.id });
      expect(read.data).toMatchObject({ status: 'read' });
      expect((read.data as Question).read_at).not.toBeNull();
      await ana.socket.waitFor('question_updated', (m) => m.id === asked.id && m.status === 'read');
      await moderator.waitFor('question_updated', (m) => m.id === asked.id && m.status === 'read');
    });

    it('moves questions only along pending → approved → read (or rejected): invalid_state otherwise', async () => {
      const ana = await attendee();
      const pending = (await ana.socket.ok({ type: 'ask', question: 'Primera' })).data as Question;
      expect(await speaker.request({ type: 'read', id: pending.id })).toMatchObject({ code: 'invalid_state' });
      await moderator.ok({ type: 'approve', id: pending.id });
      expect(await moderator.request({ type: 'approve', id: pending.id })).toMatchObject({ code: 'invalid_state' });
      expect(await moderator.request({ type: 'reject', id: pending.id })).toMatchObject({ code: 'invalid_state' });
      await moderator.ok({ type: 'read', id: pending.id });
      expect(await moderator.request({ type: 'read', id: pending.id })).toMatchObject({ code: 'invalid_state' });
      expect(await moderator.request({ type: 'approve', id: 9_999_999 })).toMatchObject({ code: 'question_not_found' });
    });

    it('counts one upvote per attendee on an approved question and shows the count to everyone', async () => {
      const ana = await attendee();
      const luis = await attendee();
      const asked = await approvedQuestion(ana.socket);
      expect(await luis.socket.ok({ type: 'upvote', id: asked.id })).toMatchObject({ data: { id: asked.id, upvotes: 1 } });
      for (const socket of [ana.socket, speaker]) await socket.waitFor('question_votes', (m) => m.id === asked.id && m.upvotes === 1);
      expect(await luis.socket.request({ type: 'upvote', id: asked.id })).toMatchObject({ code: 'already_voted' });
      expect((await ana.socket.ok({ type: 'upvote', id: asked.id })).data).toEqual({ id: asked.id, upvotes: 2 });
      await ana.socket.waitFor('question_votes', (m) => m.id === asked.id && m.upvotes === 2);
      const again = await connect(server, { event: event.slug, token: luis.token });
      expect(again.welcome.voted).toContain(asked.id);
      expect(again.welcome.questions.find((question) => question.id === asked.id)?.upvotes).toBe(2);
    });

    it('welcomes attendees who connect together each with their own votes', async () => {
      const [ana, luis, eva] = [await attendee(), await attendee(), await attendee()];
      const first = await approvedQuestion(ana.socket, '¿Primera?');
      const second = await approvedQuestion(ana.socket, '¿Segunda?');
      await ana.socket.ok({ type: 'upvote', id: first.id });
      await luis.socket.ok({ type: 'upvote', id: second.id });
      const again = (member: typeof ana) => connect(server, { event: event.slug, token: member.token });
      const [anaAgain, luisAgain, evaAgain] = await Promise.all([again(ana), again(luis), again(eva)]);
      expect(anaAgain.welcome.voted).toContain(first.id);
      expect(anaAgain.welcome.voted).not.toContain(second.id);
      expect(luisAgain.welcome.voted).toContain(second.id);
      expect(luisAgain.welcome.voted).not.toContain(first.id);
      expect(evaAgain.welcome.voted).toEqual([]);
    });

    it('counts every vote of a crowd voting for one question at the same moment', async () => {
      const author = await attendee();
      const asked = await approvedQuestion(author.socket, '¿Votamos todos?');
      const crowd = await Promise.all(Array.from({ length: 30 }, () => attendee()));
      const answers = await Promise.all(crowd.map((member) => member.socket.ok({ type: 'upvote', id: asked.id })));
      expect(Math.max(...answers.map((answer) => (answer.data as { upvotes: number }).upvotes))).toBe(30);
      // The counts go out in order, so the last one everyone gets (and the room keeps) is 30.
      await author.socket.waitFor('question_votes', (m) => m.id === asked.id && m.upvotes === 30);
      expect(author.socket.received.filter((m) => m.type === 'question_votes' && m.id === asked.id).at(-1)).toMatchObject({ upvotes: 30 });
      const newcomer = await attendee();
      expect(newcomer.welcome.questions.find((question) => question.id === asked.id)?.upvotes).toBe(30);
    });

    it('refuses upvotes on a pending question and from staff', async () => {
      const ana = await attendee();
      const pending = (await ana.socket.ok({ type: 'ask', question: 'Sin aprobar' })).data as Question;
      expect(await ana.socket.request({ type: 'upvote', id: pending.id })).toMatchObject({ code: 'invalid_state' });
      const approved = await approvedQuestion(ana.socket);
      expect(await moderator.request({ type: 'upvote', id: approved.id })).toMatchObject({ code: 'forbidden' });
    });

    it('puts one question on the big screen for everyone, restores it for newcomers, and clears it with null', async () => {
      const ana = await attendee();
      const first = await approvedQuestion(ana.socket, 'Primera destacada');
      const second = await approvedQuestion(ana.socket, 'Segunda destacada');
      expect(await speaker.ok({ type: 'highlight', id: first.id })).toMatchObject({ id: first.id });
      await ana.socket.waitFor('question_highlighted', (m) => m.id === first.id);
      await moderator.ok({ type: 'highlight', id: second.id });
      await ana.socket.waitFor('question_highlighted', (m) => m.id === second.id);
      expect((await attendee()).welcome.highlighted).toBe(second.id);
      const pending = (await ana.socket.ok({ type: 'ask', question: 'Pendiente' })).data as Question;
      expect(await speaker.request({ type: 'highlight', id: pending.id })).toMatchObject({ code: 'invalid_state' });
      expect(await ana.socket.request({ type: 'highlight', id: first.id })).toMatchObject({ code: 'forbidden' });
      await speaker.ok({ type: 'highlight', id: null });
      await ana.socket.waitFor('question_highlighted', (m) => m.id === null);
      expect((await attendee()).welcome.highlighted).toBeNull();
    });

    it('welcomes attendees with approved and read questions plus their own, and moderators with all', async () => {
      const ana = await attendee();
      const mine = (await ana.socket.ok({ type: 'ask', question: 'Mía y pendiente' })).data as Question;
      const approved = await approvedQuestion(ana.socket, 'Aprobada para todos');
      const luis = await attendee();
      const seenByLuis = luis.welcome.questions.map((question) => question.id);
      expect(seenByLuis).toContain(approved.id);
      expect(seenByLuis).not.toContain(mine.id);
      expect(luis.welcome.questions.every((question) => ['approved', 'read'].includes(question.status))).toBe(true);
      const anaAgain = await connect(server, { event: event.slug, token: ana.token });
      expect(anaAgain.welcome.questions.map((question) => question.id)).toContain(mine.id);
      const moderatorAgain = await connect(server, { event: event.slug, token: event.moderator.token });
      expect(moderatorAgain.welcome.questions.find((question) => question.id === mine.id)?.status).toBe('pending');
      const speakerAgain = await connect(server, { event: event.slug, token: event.speaker.token });
      expect(speakerAgain.welcome.questions.map((question) => question.id)).not.toContain(mine.id);
      await Promise.all([anaAgain, moderatorAgain, speakerAgain].map(({ socket }) => socket.close()));
    });
  });

  describe('who may do what', () => {
    it.each([
      { type: 'approve', id: 1 },
      { type: 'reject', id: 1 },
      { type: 'read', id: 1 },
      { type: 'highlight', id: 1 },
      { type: 'delete_chat', id: 1 },
      { type: 'moderate', user_id: 1, flag: 'banned' },
    ])('refuses $type from an attendee with forbidden', async (message) => {
      const ana = await attendee();
      expect(await ana.socket.request(message)).toMatchObject({ type: 'error', code: 'forbidden' });
      expect(ana.socket.isOpen).toBe(true);
    });

    it.each([
      { type: 'approve', id: 1 },
      { type: 'reject', id: 1 },
      { type: 'delete_chat', id: 1 },
      { type: 'moderate', user_id: 1, flag: 'chat_blocked' },
    ])('refuses $type from a speaker with forbidden', async (message) => {
      expect(await speaker.request(message)).toMatchObject({ type: 'error', code: 'forbidden' });
    });
  });

  describe('moderating attendees', () => {
    it('blocks and unblocks chat: the attendee and staff get user_updated, and the block holds', async () => {
      const ana = await attendee();
      const blocked = await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'chat_blocked' });
      expect(blocked.data).toMatchObject({
        user_id: ana.user.id,
        chat_blocked: true,
        qa_blocked: false,
        banned: false,
        chat_blocked_until: null,
        qa_blocked_until: null,
      });
      await ana.socket.waitFor('user_updated', (m) => m.user_id === ana.user.id && m.chat_blocked);
      await speaker.waitFor('user_updated', (m) => m.user_id === ana.user.id && m.chat_blocked);
      expect(await ana.socket.request({ type: 'chat', message: 'hola' })).toMatchObject({ code: 'chat_blocked' });
      expect((await ana.socket.ok({ type: 'ask', question: 'Aún puedo preguntar' })).id).toBeGreaterThan(0);
      await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'chat_blocked', value: false });
      await ana.socket.waitFor('user_updated', (m) => m.user_id === ana.user.id && !m.chat_blocked);
      await ana.socket.ok({ type: 'chat', message: 'de vuelta' });
    });

    it('blocks questions with qa_blocked, also after reconnecting', async () => {
      const ana = await attendee();
      await admin.ok({ type: 'moderate', user_id: ana.user.id, flag: 'qa_blocked' });
      await ana.socket.waitFor('user_updated', (m) => m.qa_blocked);
      expect(await ana.socket.request({ type: 'ask', question: '¿?' })).toMatchObject({ code: 'qa_blocked' });
      const again = await connect(server, { event: event.slug, token: ana.token });
      expect(again.welcome.user.qa_blocked).toBe(true);
      expect(await again.socket.request({ type: 'ask', question: '¿?' })).toMatchObject({ code: 'qa_blocked' });
    });

    it('moderates only attendees of this event', async () => {
      const elsewhere = await createEvent(server, 'mensajes-otro');
      const stranger = await attendeeOf(server, elsewhere.slug);
      expect(await moderator.request({ type: 'moderate', user_id: stranger.user.id, flag: 'banned' })).toMatchObject({ code: 'not_found' });
      expect(await moderator.request({ type: 'moderate', user_id: event.speaker.user.id, flag: 'banned' })).toMatchObject({ code: 'forbidden' });
      expect(await moderator.request({ type: 'moderate', user_id: 1, flag: 'banned' })).toMatchObject({ type: 'error' });
    });

    it('logs every moderation with who did it, newest first', async () => {
      const ana = await attendee();
      const sent = (await ana.socket.ok({ type: 'chat', message: 'para borrar' })).data as ChatMessage;
      await moderator.ok({ type: 'delete_chat', id: sent.id });
      await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'qa_blocked' });
      const log = await api(server.url, `/api/events/${event.slug}/moderation-log?limit=2`, { token: event.moderator.token });
      expect(log.status).toBe(200);
      expect(log.body.items).toMatchObject([
        {
          action: 'block_questions',
          actor_id: event.moderator.user.id,
          actor_name: 'Mora Moderadora',
          target_user_id: ana.user.id,
          target_user_name: ana.user.name,
        },
        { action: 'delete_chat', target_id: sent.id, target_user_id: ana.user.id, target_user_name: ana.user.name },
      ]);
      expect(log.body.has_more).toBe(true);
      const older = await api(server.url, `/api/events/${event.slug}/moderation-log?after=${log.body.items[1].id}`, { token: event.moderator.token });
      expect(older.body.items[0].id).toBeLessThan(log.body.items[1].id);
      const forAttendee = await api(server.url, `/api/events/${event.slug}/moderation-log`, { token: ana.token });
      expect(forAttendee.status).toBe(403);
    });
  });

  it('restores the highlighted question after the room was dropped from memory', async () => {
    const restored = await createEvent(server, 'destacada');
    const ana = await attendeeOf(server, restored.slug);
    const anaSocket = (await connect(server, { event: restored.slug, token: ana.token })).socket;
    const mod = (await connect(server, { event: restored.slug, token: restored.moderator.token })).socket;
    const asked = (await anaSocket.ok({ type: 'ask', question: 'Para la pantalla' })).data as Question;
    await mod.ok({ type: 'approve', id: asked.id });
    await mod.ok({ type: 'highlight', id: asked.id });
    const roomsBefore = server.hub.roomCount;
    await Promise.all([anaSocket.close(), mod.close()]);
    await eventually(() => server.hub.roomCount, (count) => count < roomsBefore);
    const back = await connect(server, { event: restored.slug, token: ana.token });
    expect(back.welcome.highlighted).toBe(asked.id);
    await back.socket.close();
  });
});

describe.each(databaseTargets)('rate limits on the socket on $name', (target) => {
  const server = useRealtimeServer(target);

  it('allows an attendee 5 chat messages in 10 s, then answers rate_limited with how long to wait', async () => {
    const event = await createEvent(server, 'limites');
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    for (let n = 1; n <= 5; n += 1) await socket.ok({ type: 'chat', message: `mensaje ${n}` });
    const refused = await socket.request({ type: 'chat', message: 'uno más' });
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(refused.type === 'error' && refused.retry_after).toBeGreaterThanOrEqual(1);
    expect(refused.type === 'error' && refused.retry_after).toBeLessThanOrEqual(10);
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    for (let n = 1; n <= 12; n += 1) await moderator.ok({ type: 'chat', message: `staff ${n}` });
  });

  it('allows an attendee 3 questions a minute', async () => {
    const event = await createEvent(server, 'limites-preguntas');
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    for (let n = 1; n <= 3; n += 1) await socket.ok({ type: 'ask', question: `Pregunta ${n}` });
    expect(await socket.request({ type: 'ask', question: 'Cuarta' })).toMatchObject({ code: 'rate_limited' });
  });

  it("applies the event's slow mode to attendees only", async () => {
    const event = await createEvent(server, 'modo-lento', { slow_mode_seconds: 30 });
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    await socket.ok({ type: 'chat', message: 'primero' });
    const refused = await socket.request({ type: 'chat', message: 'segundo' });
    expect(refused).toMatchObject({ code: 'rate_limited' });
    expect(refused.type === 'error' && refused.retry_after).toBeGreaterThan(20);
    const speaker = (await connect(server, { event: event.slug, token: event.speaker.token })).socket;
    await speaker.ok({ type: 'chat', message: 'uno' });
    await speaker.ok({ type: 'chat', message: 'dos' });
  });

  it('applies slow mode switched on by an administrator to sockets already open, at once', async () => {
    const event = await createEvent(server, 'modo-lento-despues');
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    await socket.ok({ type: 'chat', message: 'antes' });
    const patched = await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: event.admin, body: { slow_mode_seconds: 30 } });
    expect(patched.status).toBe(200);
    await socket.ok({ type: 'chat', message: 'primero' });
    expect(await socket.request({ type: 'chat', message: 'segundo' })).toMatchObject({ code: 'rate_limited' });
  });
});
