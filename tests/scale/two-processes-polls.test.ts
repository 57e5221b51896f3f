import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Poll } from '@palco/sdk/protocol';
import { startBackend, type BackendProcess } from '../support/processes.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { databaseTargets, type TestDatabase } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket } from '../realtime/support.js';

const mariadb = databaseTargets.find((target) => target.name === 'mariadb');
const runs = Boolean(mariadb && testRedisUrl);
if (!runs) console.warn('two-processes-polls: TEST_MYSQL_URL and TEST_REDIS_URL are both needed; the suite is skipped.');

describe.skipIf(!runs)('polls on two backend processes sharing MariaDB and Redis', () => {
  let database: TestDatabase;
  let a: BackendProcess;
  let b: BackendProcess;

  beforeAll(async () => {
    database = await mariadb!.create();
    const env = { DATABASE_URL: database.url, REDIS_URL: testRedisUrl!, PALCO_REDIS_PREFIX: uniquePrefix(), PALCO_DEMO: '0' };
    a = await startBackend(env);
    b = await startBackend(env);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('shows the results of votes taken on either process to the moderator and attendees of the other, counted exactly', async () => {
    const event = await createEvent(a, 'dos-encuestas');
    const moderatorOnA = (await connect(a, { event: event.slug, token: event.moderator.token })).socket;
    const poll = (await moderatorOnA.ok({ type: 'poll_create', kind: 'single', question: '¿Seguimos?', options: ['Sí', 'No'] })).data as Poll;
    await moderatorOnA.ok({ type: 'poll_open', id: poll.id });
    await moderatorOnA.ok({ type: 'poll_reveal', id: poll.id });

    const voters: TestSocket[] = [];
    for (let n = 0; n < 20; n += 1) {
      const server = n % 2 === 0 ? a : b;
      voters.push((await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket);
    }
    const watcherOnB = voters[1]!;
    const replies = await Promise.all(voters.map((voter, n) => voter.request({ type: 'poll_vote', id: poll.id, choices: [n < 15 ? 1 : 2] })));
    expect(replies.filter((reply) => reply.type === 'ack')).toHaveLength(20);

    const isFinal = (results: { id: number; total: number }) => results.id === poll.id && results.total === 20;
    const onA = await moderatorOnA.waitFor('poll_results', isFinal, { timeoutMs: 5_000 });
    const onB = await watcherOnB.waitFor('poll_results', isFinal, { timeoutMs: 5_000 });
    for (const results of [onA, onB]) expect(results.options).toEqual([{ id: 1, count: 15 }, { id: 2, count: 5 }]);
    expect((await voters[0]!.request({ type: 'poll_vote', id: poll.id, choices: [2] })).type).toBe('error');
    await Promise.all([moderatorOnA, ...voters].map((socket) => socket.close()));
  });

  it('refuses a vote on one process once the poll was closed on the other, though that process took votes while it was open', async () => {
    const event = await createEvent(a, 'dos-cierre');
    const moderatorOnB = (await connect(b, { event: event.slug, token: event.moderator.token })).socket;
    const poll = (await moderatorOnB.ok({ type: 'poll_create', kind: 'rating', question: '¿Qué tal?' })).data as Poll;
    await moderatorOnB.ok({ type: 'poll_open', id: poll.id });
    const [early, late] = [await attendeeOf(a, event.slug), await attendeeOf(a, event.slug)];
    const earlyOnA = (await connect(a, { event: event.slug, token: early.token })).socket;
    const lateOnA = (await connect(a, { event: event.slug, token: late.token })).socket;
    await earlyOnA.ok({ type: 'poll_vote', id: poll.id, rating: 5 });
    await moderatorOnB.ok({ type: 'poll_close', id: poll.id });
    const refused = await lateOnA.request({ type: 'poll_vote', id: poll.id, rating: 1 });
    expect(refused).toMatchObject({ type: 'error', code: 'invalid_state' });
    const final = await moderatorOnB.waitFor('poll_results', (results) => results.id === poll.id && results.total === 1);
    expect(final.average).toBe(5);
    await Promise.all([moderatorOnB.close(), earlyOnA.close(), lateOnA.close()]);
  });

  it('acks one of the answers a person sends at once to both processes, refuses the other with already_voted, and counts one', async () => {
    const event = await createEvent(a, 'dos-duplicado');
    const moderatorOnA = (await connect(a, { event: event.slug, token: event.moderator.token })).socket;
    const poll = (await moderatorOnA.ok({ type: 'poll_create', kind: 'single', question: '¿Cuál?', options: ['Una', 'Otra'] })).data as Poll;
    await moderatorOnA.ok({ type: 'poll_open', id: poll.id });
    const member = await attendeeOf(a, event.slug);
    const onA = (await connect(a, { event: event.slug, token: member.token })).socket;
    const onB = (await connect(b, { event: event.slug, token: member.token })).socket;
    const replies = await Promise.all([onA.request({ type: 'poll_vote', id: poll.id, choices: [1] }), onB.request({ type: 'poll_vote', id: poll.id, choices: [2] })]);
    expect(replies.map((reply) => (reply.type === 'ack' ? 'ack' : reply.code)).sort()).toEqual(['ack', 'already_voted']);
    const ackedChoice = (replies.find((reply) => reply.type === 'ack')!.data as { choices: number[] }).choices[0];
    await moderatorOnA.ok({ type: 'poll_close', id: poll.id });
    const final = await moderatorOnA.waitFor('poll_results', (results) => results.id === poll.id && results.total === 1);
    expect(final.options!.find((option) => option.id === ackedChoice)!.count).toBe(1);
    await Promise.all([moderatorOnA, onA, onB].map((socket) => socket.close()));
  });

  it('sums the reactions sent on both processes into the frames each attendee receives', async () => {
    const event = await createEvent(a, 'dos-reacciones');
    const onA = (await connect(a, { event: event.slug, token: (await attendeeOf(a, event.slug)).token })).socket;
    const onB = (await connect(b, { event: event.slug, token: (await attendeeOf(b, event.slug)).token })).socket;
    for (const socket of [onA, onB]) for (let tap = 0; tap < 3; tap += 1) await socket.ok({ type: 'react', emoji: '❤️' });
    const claps = () => onA.all('reactions').reduce((sum, frame) => sum + (frame.counts['❤️'] ?? 0), 0);
    await onA.waitFor('reactions', () => claps() === 6, { timeoutMs: 3_000 });
    expect(claps()).toBe(6);
    await Promise.all([onA.close(), onB.close()]);
  });
});
