import { beforeAll, describe, expect, it } from 'vitest';
import type { Poll, PollResults, PollVote, ServerMessageOf } from '@palco/sdk/protocol';
import { setEventActive } from '../support/accounts.js';
import { api } from '../support/http.js';
import { sleep } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from '../realtime/support.js';

describe.each(databaseTargets)('polls, quizzes and reactions on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;
  let speaker: TestSocket;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'encuestas');
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    speaker = (await connect(server, { event: event.slug, token: event.speaker.token })).socket;
  });

  const attendee = async (name?: string) => {
    const member = await attendeeOf(server, event.slug, name);
    const { socket, welcome } = await connect(server, { event: event.slug, token: member.token });
    return { ...member, socket, welcome };
  };

  const create = async (poll: Record<string, unknown>) => (await moderator.ok({ type: 'poll_create', ...poll })).data as Poll;
  const opened = async (poll: Record<string, unknown>) => {
    const created = await create(poll);
    return (await moderator.ok({ type: 'poll_open', id: created.id })).data as Poll;
  };
  const vote = async (socket: TestSocket, answer: Record<string, unknown>) => (await socket.ok({ type: 'poll_vote', ...answer })).data as PollVote;
  const refusal = async (socket: TestSocket, message: Record<string, unknown> & { type: string }) => {
    const reply = await socket.request(message);
    if (reply.type !== 'error') throw new Error(`${message.type} was accepted: ${JSON.stringify(reply)}`);
    return reply;
  };
  const resultsOf = (socket: TestSocket, id: number, match: (results: ServerMessageOf<'poll_results'>) => boolean) =>
    socket.waitFor('poll_results', (results) => results.id === id && match(results));

  describe('lifecycle', () => {
    it('keeps a draft among staff, then opens, closes and reveals it for everyone in that order only', async () => {
      const ana = await attendee();
      const draft = await create({ kind: 'single', question: '¿Café o té?', options: ['Café', 'Té'] });
      expect(draft).toMatchObject({ status: 'draft', results_visible: false, options: [{ id: 1, text: 'Café' }, { id: 2, text: 'Té' }] });
      await speaker.waitFor('poll', (message) => message.poll.id === draft.id);
      await ana.socket.expectNone('poll', 100, (message) => message.type === 'poll' && message.poll.id === draft.id);

      const updated = (await moderator.ok({ type: 'poll_update', id: draft.id, question: '¿Café, té o mate?', options: ['Café', 'Té', 'Mate'] })).data as Poll;
      expect(updated.options.map((option) => option.text)).toEqual(['Café', 'Té', 'Mate']);
      expect((await refusal(moderator, { type: 'poll_close', id: draft.id })).code).toBe('invalid_state');

      await moderator.ok({ type: 'poll_open', id: draft.id });
      const seen = await ana.socket.waitFor('poll', (message) => message.poll.id === draft.id);
      expect(seen.poll).toMatchObject({ status: 'open', question: '¿Café, té o mate?' });
      expect((await refusal(moderator, { type: 'poll_update', id: draft.id, question: 'Otra' })).code).toBe('invalid_state');
      expect((await refusal(moderator, { type: 'poll_open', id: draft.id })).code).toBe('invalid_state');

      await vote(ana.socket, { id: draft.id, choices: [3] });
      await ana.socket.expectNone('poll_results', 700, (message) => message.type === 'poll_results' && message.id === draft.id);
      await resultsOf(moderator, draft.id, (results) => results.total === 1);

      await moderator.ok({ type: 'poll_close', id: draft.id });
      await ana.socket.waitFor('poll', (message) => message.poll.id === draft.id && message.poll.status === 'closed');
      expect((await refusal(moderator, { type: 'poll_open', id: draft.id })).code).toBe('invalid_state');
      await moderator.ok({ type: 'poll_reveal', id: draft.id });
      const revealed = await resultsOf(ana.socket, draft.id, () => true);
      expect(revealed.options).toEqual([{ id: 1, count: 0 }, { id: 2, count: 0 }, { id: 3, count: 1 }]);

      await moderator.ok({ type: 'poll_delete', id: draft.id });
      await ana.socket.waitFor('poll_deleted', (message) => message.id === draft.id);
      const after = await attendee();
      expect(after.welcome.polls.map((poll) => poll.id)).not.toContain(draft.id);
    });

    it('lets several polls be open at once', async () => {
      const first = await opened({ kind: 'rating', question: '¿Qué tal el sonido?' });
      const second = await opened({ kind: 'rating', question: '¿Y la imagen?' });
      const eva = await attendee();
      const open = eva.welcome.polls.filter((poll) => poll.status === 'open').map((poll) => poll.id);
      expect(open).toEqual(expect.arrayContaining([first.id, second.id]));
      await vote(eva.socket, { id: first.id, rating: 4 });
      await vote(eva.socket, { id: second.id, rating: 2 });
    });

    it('refuses poll commands from the speaker and from attendees', async () => {
      const ana = await attendee();
      for (const socket of [speaker, ana.socket]) {
        expect((await refusal(socket, { type: 'poll_create', kind: 'rating', question: '¿Sí?' })).code).toBe('forbidden');
      }
    });
  });

  describe('each kind', () => {
    it('counts single and multiple choice votes per option, and acks each with the voter’s own vote', async () => {
      const poll = await opened({ kind: 'multiple', question: '¿Qué temas?', options: ['IA', 'Datos', 'Nube'], max_choices: 2 });
      const [ana, luis] = await Promise.all([attendee(), attendee()]);
      expect(await vote(ana.socket, { id: poll.id, choices: [1, 3] })).toMatchObject({ poll_id: poll.id, choices: [1, 3] });
      await vote(luis.socket, { id: poll.id, choices: [3] });
      const results = await resultsOf(moderator, poll.id, (message) => message.total === 2);
      expect(results.options).toEqual([{ id: 1, count: 1 }, { id: 2, count: 0 }, { id: 3, count: 2 }]);
      expect((await refusal(ana.socket, { type: 'poll_vote', id: poll.id, choices: [2] })).code).toBe('already_voted');
      expect((await refusal(luis.socket, { type: 'poll_vote', id: poll.id, choices: [1, 2] })).code).toBe('already_voted');
    });

    it('averages ratings from 1 to 5', async () => {
      const poll = await opened({ kind: 'rating', question: 'Puntúa la charla' });
      for (const rating of [5, 4, 4]) await vote((await attendee()).socket, { id: poll.id, rating });
      const results = await resultsOf(moderator, poll.id, (message) => message.total === 3);
      expect(results.average).toBe(4.33);
      expect(results.options).toEqual([{ id: 1, count: 0 }, { id: 2, count: 0 }, { id: 3, count: 0 }, { id: 4, count: 2 }, { id: 5, count: 1 }]);
    });

    it('counts word-cloud answers normalised, once per person, in the spelling most used, with blocked words kept out of the cloud', async () => {
      const poll = await opened({ kind: 'word_cloud', question: 'Una palabra para hoy' });
      const ana = await attendee();
      const own = await vote(ana.socket, { id: poll.id, words: ['  Análisis ', 'análisis', 'mierda'] });
      expect(own.words).toEqual(['análisis']);
      await vote((await attendee()).socket, { id: poll.id, words: ['ANALISIS', 'Datos'] });
      await vote((await attendee()).socket, { id: poll.id, words: ['ANÁLISIS'] });
      const results = await resultsOf(moderator, poll.id, (message) => message.total === 3);
      expect(results.words).toEqual([{ word: 'análisis', count: 3 }, { word: 'datos', count: 1 }]);
    });

    it('shows open-text answers to attendees only once staff approve them and the results are revealed', async () => {
      const poll = await opened({ kind: 'open_text', question: '¿Qué mejorarías?' });
      const [ana, luis] = await Promise.all([attendee(), attendee()]);
      const good = await vote(ana.socket, { id: poll.id, text: 'Más tiempo para preguntas' });
      expect(good.answer_status).toBe('pending');
      await vote(luis.socket, { id: poll.id, text: 'Nada que decir' });
      const staffView = await resultsOf(moderator, poll.id, (message) => message.total === 2);
      expect(staffView.answers!.map((answer) => answer.status)).toEqual(['pending', 'pending']);
      const [first] = staffView.answers!;
      await moderator.ok({ type: 'poll_answer_review', id: first!.id, status: 'approved' });
      await moderator.ok({ type: 'poll_reveal', id: poll.id });
      const attendeeView = await resultsOf(luis.socket, poll.id, () => true);
      expect(attendeeView.answers).toEqual([{ id: first!.id, text: 'Más tiempo para preguntas' }]);
    });

    it('scores a quiz on correctness and speed and ranks the leaderboard once it closes', async () => {
      const poll = await opened({ kind: 'quiz', question: '¿Capital de Perú?', options: ['Lima', 'Cusco', 'Arequipa'], correct: [0], time_limit_s: 30 });
      expect(poll.correct).toEqual([1]);
      const [ana, luis, eva] = await Promise.all([attendee('Ana'), attendee('Luis'), attendee('Eva')]);
      const wrongSeen = eva.welcome.polls.find((seen) => seen.id === poll.id)!;
      expect(wrongSeen.correct).toBeUndefined();
      const anaVote = await vote(ana.socket, { id: poll.id, choices: [1] });
      expect(anaVote).toMatchObject({ correct: true });
      expect(anaVote.score).toBeGreaterThanOrEqual(500);
      await sleep(200);
      const luisVote = await vote(luis.socket, { id: poll.id, choices: [1] });
      expect(luisVote.score).toBeLessThanOrEqual(anaVote.score!);
      expect(await vote(eva.socket, { id: poll.id, choices: [2] })).toMatchObject({ correct: false, score: 0 });
      await moderator.ok({ type: 'poll_close', id: poll.id });
      const final = await resultsOf(moderator, poll.id, (message) => message.leaderboard !== undefined);
      expect(final.leaderboard!.map((entry) => entry.name)).toEqual(['Ana', 'Luis']);
      const closed = await eva.socket.waitFor('poll', (message) => message.poll.id === poll.id && message.poll.status === 'closed');
      expect(closed.poll.correct).toEqual([1]);
    });
  });

  describe('bad input', () => {
    it('refuses bad votes with a code naming the problem', async () => {
      const choice = await opened({ kind: 'single', question: '¿A o B?', options: ['A', 'B'] });
      const rating = await opened({ kind: 'rating', question: 'Puntúa' });
      const cloud = await opened({ kind: 'word_cloud', question: 'Palabras' });
      const draft = await create({ kind: 'single', question: 'Borrador', options: ['A', 'B'] });
      const ana = await attendee();
      const cases: Array<[Record<string, unknown>, string, string?]> = [
        [{ id: choice.id, choices: [9] }, 'invalid_input', 'choices'],
        [{ id: choice.id, choices: [1, 2] }, 'invalid_input', 'choices'],
        [{ id: choice.id, rating: 3 }, 'invalid_input', 'rating'],
        [{ id: rating.id, rating: 0 }, 'invalid_input', 'rating'],
        [{ id: rating.id, rating: 6 }, 'invalid_input', 'rating'],
        [{ id: cloud.id, words: ['a', 'b', 'c', 'd'] }, 'invalid_input', 'words'],
        [{ id: cloud.id, words: ['   '] }, 'invalid_input', 'words.0'],
        [{ id: draft.id, choices: [1] }, 'invalid_state'],
        [{ id: 999_999, choices: [1] }, 'poll_not_found'],
      ];
      for (const [answer, code, field] of cases) {
        const reply = await refusal(ana.socket, { type: 'poll_vote', ...answer });
        expect(reply.code, JSON.stringify(answer)).toBe(code);
        if (field) expect(Object.keys(reply.fields ?? {}), JSON.stringify(answer)).toContain(field);
      }
      expect((await refusal(moderator, { type: 'poll_vote', id: choice.id, choices: [1] })).code).toBe('forbidden');
    });

    it('refuses a vote on another event’s poll', async () => {
      const other = await createEvent(server, 'encuestas-otro');
      const otherModerator = (await connect(server, { event: other.slug, token: other.moderator.token })).socket;
      const foreign = (await otherModerator.ok({ type: 'poll_create', kind: 'rating', question: 'Ajena' })).data as Poll;
      await otherModerator.ok({ type: 'poll_open', id: foreign.id });
      const ana = await attendee();
      expect((await refusal(ana.socket, { type: 'poll_vote', id: foreign.id, rating: 3 })).code).toBe('poll_not_found');
      await otherModerator.close();
    });

    it('refuses polls with one option, 51 options or repeated options', async () => {
      const many = Array.from({ length: 51 }, (_, index) => `Opción ${index + 1}`);
      const cases: Array<[string[], string]> = [
        [['Sola'], 'options'],
        [many, 'options'],
        [['Sí', ' sí '], 'options'],
      ];
      for (const [options, field] of cases) {
        const reply = await refusal(moderator, { type: 'poll_create', kind: 'single', question: '¿?', options });
        expect(reply.code).toBe('invalid_input');
        expect(Object.keys(reply.fields ?? {})).toContain(field);
      }
      expect((await refusal(moderator, { type: 'poll_create', kind: 'quiz', question: '¿?', options: ['A', 'B'], correct: [5] })).fields).toHaveProperty('correct');
    });

    it('refuses a quiz answer after its time limit', async () => {
      const quiz = await opened({ kind: 'quiz', question: 'Rápido', options: ['A', 'B'], correct: [1], time_limit_s: 5 });
      const ana = await attendee();
      server.deps.now = () => Date.now() + 6_000;
      try {
        expect((await refusal(ana.socket, { type: 'poll_vote', id: quiz.id, choices: [2] })).code).toBe('time_up');
      } finally {
        server.deps.now = () => Date.now();
      }
    });
  });

  describe('results and continuity', () => {
    it('counts a burst of simultaneous votes exactly and sends at most two results frames a second', async () => {
      const poll = await opened({ kind: 'single', question: '¿Sí o no?', options: ['Sí', 'No'] });
      const voters = await Promise.all(Array.from({ length: 30 }, () => attendee()));
      const from = moderator.received.length;
      const started = Date.now();
      const acks = await Promise.all(voters.map((voter, index) => voter.socket.request({ type: 'poll_vote', id: poll.id, choices: [(index % 2) + 1] })));
      expect(acks.every((reply) => reply.type === 'ack')).toBe(true);
      const final = await resultsOf(moderator, poll.id, (message) => message.total === 30);
      expect(final.options).toEqual([{ id: 1, count: 15 }, { id: 2, count: 15 }]);
      const frames = moderator.received.slice(from).filter((message) => message.type === 'poll_results' && message.id === poll.id);
      const seconds = (Date.now() - started) / 1000;
      expect(frames.length).toBeLessThanOrEqual(Math.ceil(seconds * 2) + 1);
      await Promise.all(voters.map((voter) => voter.socket.close()));
    });

    it('gives a reconnecting attendee the polls, revealed results and their own votes, in the welcome and over HTTP', async () => {
      const poll = await opened({ kind: 'single', question: '¿Volverás?', options: ['Sí', 'No'] });
      const ana = await attendee();
      const acked = await vote(ana.socket, { id: poll.id, choices: [1] });
      await moderator.ok({ type: 'poll_reveal', id: poll.id });
      await resultsOf(ana.socket, poll.id, (message) => message.total === 1);
      await ana.socket.close();
      const again = await connect(server, { event: event.slug, token: ana.token });
      expect(again.welcome.polls.find((seen) => seen.id === poll.id)).toMatchObject({ status: 'open', results_visible: true });
      expect(again.welcome.my_votes.find((own) => own.poll_id === poll.id)).toEqual(acked);
      expect(again.welcome.poll_results.find((results) => results.id === poll.id)).toMatchObject({ total: 1 });
      const listed = await api<{ polls: Poll[]; poll_results: PollResults[]; my_votes: PollVote[] }>(server.url, `/api/events/${event.slug}/polls`, { token: ana.token });
      expect(listed.status).toBe(200);
      expect(listed.body.my_votes.find((own) => own.poll_id === poll.id)?.choices).toEqual([1]);
      expect(listed.body.polls.every((seen) => seen.status !== 'draft')).toBe(true);
    });
  });

  describe('reactions', () => {
    it('sums taps into one reactions frame per half second and limits each attendee', async () => {
      const ana = await attendee();
      const luis = await attendee();
      const from = luis.socket.received.length;
      for (let tap = 0; tap < 6; tap += 1) await ana.socket.ok({ type: 'react', emoji: '👏' });
      await ana.socket.ok({ type: 'react', emoji: '🎉' });
      await sleep(1_300);
      const frames = luis.socket.received.slice(from).filter((message) => message.type === 'reactions');
      const claps = frames.reduce((sum, frame) => sum + (frame.type === 'reactions' ? (frame.counts['👏'] ?? 0) : 0), 0);
      expect(claps).toBe(6);
      expect(frames.length).toBeLessThanOrEqual(3);
      for (let tap = 0; tap < 3; tap += 1) await ana.socket.request({ type: 'react', emoji: '👍' });
      expect((await refusal(ana.socket, { type: 'react', emoji: '👍' })).code).toBe('rate_limited');
      expect((await refusal(luis.socket, { type: 'react', emoji: '🍕' })).code).toBe('invalid_input');
    });
  });
});

describe.each(databaseTargets)('polls of a closed event on $name', (target) => {
  const server = useRealtimeServer(target);

  it('keeps the polls of a closed event read-only: an attendee’s vote is refused with event_closed', async () => {
    const event = await createEvent(server, 'encuestas-cerradas');
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const poll = (await moderator.ok({ type: 'poll_create', kind: 'rating', question: 'Puntúa la charla' })).data as Poll;
    await moderator.ok({ type: 'poll_open', id: poll.id });
    const ana = await attendeeOf(server, event.slug);
    await setEventActive(server.url, event.admin, event.slug, false);
    // The replay of a closed event keeps its polls to read; the service refuses the vote whatever carried it.
    const { PollService } = await import('../../packages/backend/src/polls/poll-service.js');
    const polls = new PollService(server.deps);
    const member = { id: ana.user.id, name: ana.user.name, role: ana.user.role, eventId: event.id, chat_blocked: false, qa_blocked: false, banned: false, chat_blocked_until: null, qa_blocked_until: null };
    await expect(polls.vote(event.id, member, { type: 'poll_vote', id: poll.id, rating: 4 })).rejects.toMatchObject({ code: 'event_closed' });
    const listed = await api<{ polls: Poll[] }>(server.url, `/api/events/${event.slug}/polls`, { token: event.moderator.token });
    expect(listed.body.polls.map((seen) => seen.id)).toEqual([poll.id]);
  });
});
