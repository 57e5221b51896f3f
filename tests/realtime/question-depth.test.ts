import { beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('anonymous questions, answers, archiving, edits and labels on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;
  let secondModerator: TestSocket;
  let speaker: TestSocket;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'preguntas', { allow_anonymous_questions: true });
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    // The administrator moderates too: a second moderator racing the first.
    secondModerator = (await connect(server, { event: event.slug, token: event.admin })).socket;
    speaker = (await connect(server, { event: event.slug, token: event.speaker.token })).socket;
  });

  const attendee = async (name?: string) => {
    const member = await attendeeOf(server, event.slug, name);
    const { socket, welcome } = await connect(server, { event: event.slug, token: member.token });
    return { ...member, socket, welcome };
  };

  const ask = async (author: TestSocket, text: string, extra: Record<string, unknown> = {}) =>
    (await author.ok({ type: 'ask', question: text, ...extra })).data as Question;

  describe('anonymous questions', () => {
    it('hides the author from attendees, the speaker board, the reports and the exports, but not from the moderators', async () => {
      const ana = await attendee('Ana Anónima');
      const luis = await attendee('Luis');
      const asked = await ask(ana.socket, '¿Habrá despidos?', { anonymous: true });
      expect(asked).toMatchObject({ anonymous: true, user_name: 'Ana Anónima' });
      const pending = await moderator.waitFor('pending_question', (m) => m.id === asked.id);
      expect(pending).toMatchObject({ user_name: 'Ana Anónima', user_id: ana.user.id, anonymous: true });

      await moderator.ok({ type: 'approve', id: asked.id });
      for (const socket of [luis.socket, speaker]) {
        const approved = await socket.waitFor('approved_question', (m) => m.id === asked.id);
        expect(approved).toMatchObject({ user_name: '', user_id: 0, anonymous: true });
      }
      const newcomer = await attendee();
      expect(newcomer.welcome.questions.find((q) => q.id === asked.id)).toMatchObject({ user_name: '', user_id: 0 });
      const history = await api(server.url, `/api/events/${event.slug}/questions`, { token: luis.token });
      expect(history.body.items.find((q: Question) => q.id === asked.id)).toMatchObject({ user_name: '', user_id: 0 });
      const own = await api(server.url, `/api/events/${event.slug}/questions`, { token: ana.token });
      expect(own.body.items.find((q: Question) => q.id === asked.id)).toMatchObject({ user_name: 'Ana Anónima' });

      const report = await api(server.url, `/api/events/${event.slug}/reports/questions?q=despidos`, { token: event.moderator.token });
      expect(report.body.items[0]).toMatchObject({ id: asked.id, user_name: '', anonymous: true });
      const csv = await fetch(`${server.url}/api/events/${event.slug}/reports/questions.csv`, { headers: { authorization: `Bearer ${event.moderator.token}` } });
      const line = (await csv.text()).split('\r\n').find((row) => row.includes('despidos'))!;
      expect(line).not.toContain('Ana Anónima');
      expect(line.split(',').slice(0, 3)).toEqual([String(asked.id), '', '']);
    });

    it('refuses an anonymous question where the event does not allow them', async () => {
      const closed = await createEvent(server, 'preguntas-con-nombre');
      const member = await attendeeOf(server, closed.slug);
      const { socket } = await connect(server, { event: closed.slug, token: member.token });
      expect(await socket.request({ type: 'ask', question: '¿Puedo?', anonymous: true })).toMatchObject({ code: 'anonymous_not_allowed' });
      expect((await socket.ok({ type: 'ask', question: '¿Puedo con nombre?' })).id).toBeGreaterThan(0);
    });
  });

  describe('answers', () => {
    it('shows a moderator’s typed answer under the question to everyone who sees it, and logs it', async () => {
      const ana = await attendee();
      const luis = await attendee();
      const asked = await ask(ana.socket, '¿Dónde están las diapositivas?');
      await moderator.ok({ type: 'approve', id: asked.id });
      const ack = await moderator.ok({ type: 'answer', id: asked.id, text: 'En la web del evento, mañana.' });
      expect(ack.data).toMatchObject({ id: asked.id, answer: 'En la web del evento, mañana.' });
      for (const socket of [ana.socket, luis.socket, speaker]) {
        expect(await socket.waitFor('question_answered', (m) => m.id === asked.id)).toMatchObject({ answer: 'En la web del evento, mañana.' });
      }
      const newcomer = await attendee();
      expect(newcomer.welcome.questions.find((q) => q.id === asked.id)?.answer).toBe('En la web del evento, mañana.');
      const log = await api(server.url, `/api/events/${event.slug}/moderation-log?limit=1`, { token: event.moderator.token });
      expect(log.body.items[0]).toMatchObject({ action: 'answer', target_id: asked.id, detail: 'En la web del evento, mañana.' });
      const auth = { headers: { authorization: `Bearer ${event.moderator.token}` } };
      const questionsCsv = await (await fetch(`${server.url}/api/events/${event.slug}/reports/questions.csv?lang=en`, auth)).text();
      expect(questionsCsv.split('\r\n')[0]).toContain('anonymous,label,answer,answered_at,archived_at');
      expect(questionsCsv.split('\r\n').find((row) => row.startsWith(`${asked.id},`))).toContain('"En la web del evento, mañana."');
      const logCsv = await (await fetch(`${server.url}/api/events/${event.slug}/reports/moderation.csv?lang=en`, auth)).text();
      expect(logCsv.split('\r\n')[0]).toBe('id,created_at,actor_id,actor,action,target_user_id,target_user,target_id,reason,detail');
      expect(logCsv).toContain(`,Mora Moderadora,answer,${ana.user.id},${ana.user.name},${asked.id},,"En la web del evento, mañana."`);
    });

    it('answers a pending question to its author and the moderators only', async () => {
      const ana = await attendee();
      const luis = await attendee();
      const asked = await ask(ana.socket, '¿Me respondéis en privado?');
      await moderator.ok({ type: 'answer', id: asked.id, text: 'Sí.' });
      expect(await ana.socket.waitFor('question_answered', (m) => m.id === asked.id)).toMatchObject({ answer: 'Sí.' });
      await luis.socket.expectNone('question_answered', 150, (m) => m.type === 'question_answered' && m.id === asked.id);
    });

    it('refuses to answer an archived question with question_archived', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, 'Pregunta vieja');
      await moderator.ok({ type: 'archive', id: asked.id });
      expect(await moderator.request({ type: 'answer', id: asked.id, text: 'tarde' })).toMatchObject({ type: 'error', code: 'question_archived' });
    });

    it('refuses answers from attendees and speakers', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, '¿Quién responde?');
      expect(await ana.socket.request({ type: 'answer', id: asked.id, text: 'yo' })).toMatchObject({ code: 'forbidden' });
      expect(await speaker.request({ type: 'answer', id: asked.id, text: 'yo' })).toMatchObject({ code: 'forbidden' });
    });
  });

  describe('archive and restore', () => {
    it('takes an approved question off everyone’s board and brings it back as it was', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, '¿Se puede archivar?');
      await moderator.ok({ type: 'approve', id: asked.id });
      await moderator.ok({ type: 'archive', id: asked.id });
      const archived = await speaker.waitFor('question_changed', (m) => m.question.id === asked.id && m.question.archived_at !== null);
      expect(archived.question.status).toBe('approved');
      expect((await attendee()).welcome.questions.map((q) => q.id)).not.toContain(asked.id);
      expect(await moderator.request({ type: 'archive', id: asked.id })).toMatchObject({ code: 'invalid_state' });
      await moderator.ok({ type: 'restore', id: asked.id });
      await speaker.waitFor('question_changed', (m) => m.question.id === asked.id && m.question.archived_at === null);
      expect((await attendee()).welcome.questions.map((q) => q.id)).toContain(asked.id);
    });

    it('restores a rejected question to the queue as pending', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, '¿Me rechazaron por error?');
      await moderator.ok({ type: 'reject', id: asked.id, reason: 'Fuera de tema' });
      expect(await ana.socket.waitFor('question_updated', (m) => m.id === asked.id)).toMatchObject({ status: 'rejected', reason: 'Fuera de tema' });
      const restored = await moderator.ok({ type: 'restore', id: asked.id });
      expect(restored.data).toMatchObject({ status: 'pending' });
      await secondModerator.waitFor('pending_question', (m) => m.id === asked.id && m.question === '¿Me rechazaron por error?');
      expect((await moderator.ok({ type: 'approve', id: asked.id })).data).toMatchObject({ status: 'approved' });
      expect(await moderator.request({ type: 'restore', id: asked.id })).toMatchObject({ code: 'invalid_state' });
    });
  });

  describe('editing before approval', () => {
    it('lets a moderator fix a pending question: the author sees the edited text and the log keeps the old one', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, 'q tal el sonido??');
      const held = await moderator.ok({ type: 'begin_edit', id: asked.id });
      expect(held.data).toMatchObject({ version: 0 });
      const edited = await moderator.ok({ type: 'edit_question', id: asked.id, question: '¿Qué tal el sonido?', version: 0 });
      expect(edited.data).toMatchObject({ question: '¿Qué tal el sonido?', version: 1 });
      expect((await ana.socket.waitFor('question_changed', (m) => m.question.id === asked.id)).question.question).toBe('¿Qué tal el sonido?');
      const log = await api(server.url, `/api/events/${event.slug}/moderation-log?limit=1`, { token: event.moderator.token });
      expect(log.body.items[0]).toMatchObject({ action: 'edit_question', target_id: asked.id, detail: 'q tal el sonido??' });
    });

    it('refuses an edit of a version another moderator already changed with stale', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, 'versión uno');
      await moderator.ok({ type: 'edit_question', id: asked.id, question: 'Versión dos', version: 0 });
      expect(await secondModerator.request({ type: 'edit_question', id: asked.id, question: 'Versión tres', version: 0 })).toMatchObject({
        type: 'error',
        code: 'stale',
      });
    });

    it('refuses to approve a question another moderator is editing, then approves it once edited', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, 'en edicion');
      await moderator.ok({ type: 'begin_edit', id: asked.id });
      expect(await secondModerator.request({ type: 'approve', id: asked.id })).toMatchObject({ code: 'question_being_edited' });
      expect(await secondModerator.request({ type: 'begin_edit', id: asked.id })).toMatchObject({ code: 'question_being_edited' });
      await moderator.ok({ type: 'edit_question', id: asked.id, question: 'En edición', version: 0 });
      expect((await secondModerator.ok({ type: 'approve', id: asked.id })).data).toMatchObject({ status: 'approved', question: 'En edición' });
    });
  });

  describe('approving', () => {
    it('gives one approval when two moderators approve the same question at once; the other gets invalid_state', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, '¿Quién aprueba primero?');
      const answers = await Promise.all([
        moderator.request({ type: 'approve', id: asked.id }),
        secondModerator.request({ type: 'approve', id: asked.id }),
      ]);
      expect(answers.map((answer) => answer.type).sort()).toEqual(['ack', 'error']);
      expect(answers.find((answer) => answer.type === 'error')).toMatchObject({ code: 'invalid_state' });
      const log = await api(server.url, `/api/events/${event.slug}/moderation-log?limit=20`, { token: event.moderator.token });
      expect(log.body.items.filter((entry: { action: string; target_id: number }) => entry.action === 'approve' && entry.target_id === asked.id)).toHaveLength(1);
    });

    it('approves every question shown at once and says which it could not', async () => {
      const ana = await attendee();
      const first = await ask(ana.socket, 'Primera');
      const second = await ask(ana.socket, 'Segunda');
      await moderator.ok({ type: 'reject', id: second.id });
      const ack = await moderator.ok({ type: 'approve_all', ids: [first.id, second.id] });
      expect(ack.data).toEqual({ approved: [first.id], refused: [{ id: second.id, code: 'invalid_state' }] });
      await ana.socket.waitFor('approved_question', (m) => m.id === first.id);
    });
  });

  describe('labels', () => {
    it('files a question under a topic that everyone who sees it receives, and clears it', async () => {
      const ana = await attendee();
      const asked = await ask(ana.socket, '¿Cuándo sale el producto?');
      await moderator.ok({ type: 'approve', id: asked.id });
      await moderator.ok({ type: 'label', id: asked.id, label: 'Producto' });
      expect((await speaker.waitFor('question_changed', (m) => m.question.id === asked.id && m.question.label === 'Producto')).question.label).toBe('Producto');
      expect((await attendee()).welcome.questions.find((q) => q.id === asked.id)?.label).toBe('Producto');
      await moderator.ok({ type: 'label', id: asked.id, label: null });
      await speaker.waitFor('question_changed', (m) => m.question.id === asked.id && m.question.label === null);
    });
  });
});
