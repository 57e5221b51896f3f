import { beforeAll, describe, expect, it } from 'vitest';
import type { Poll, PollVote } from '@palco/sdk/protocol';
import { PollVoteRow } from '../../packages/backend/src/db/models.js';
import { AppError } from '../../packages/backend/src/errors.js';
import { voteInserts, type PendingVote } from '../../packages/backend/src/polls/vote-batch.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from '../realtime/support.js';

/*
 * Votes are stored in batches (packages/backend/src/polls/vote-batch.ts): these tests drive
 * the batches directly, where a test must know two votes share one, and over sockets.
 */
describe.each(databaseTargets)('poll votes stored in batches on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'lotes');
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
  });

  const openPoll = async () => {
    const created = (await moderator.ok({ type: 'poll_create', kind: 'single', question: '¿Cuál?', options: ['Una', 'Otra'] })).data as Poll;
    return (await moderator.ok({ type: 'poll_open', id: created.id })).data as Poll;
  };
  const attendeeIds = async (count: number) => Promise.all(Array.from({ length: count }, async () => (await attendeeOf(server, event.slug)).user.id));
  const pending = (poll: Poll, userId: number, choice: number): PendingVote => ({
    poll,
    userId,
    answerMs: 10,
    vote: { poll_id: poll.id, created_at: new Date().toISOString(), choices: [choice] },
  });
  /** A batcher whose batches are recorded: the votes each one committed, per poll. */
  const recordingBatcher = () => {
    const committed: PollVote[][] = [];
    const batcher = voteInserts(server.deps.db.sequelize, { beforeInsert: async () => {}, stored: (_poll, votes) => committed.push(votes) });
    return { batcher, committed };
  };
  const outcome = (settled: PromiseSettledResult<unknown>) =>
    settled.status === 'fulfilled' ? settled.value : settled.reason instanceof AppError ? settled.reason.code : String(settled.reason);
  const storedFor = (poll: Poll) => PollVoteRow.findAll({ where: { poll_id: poll.id }, order: [['user_id', 'ASC']], raw: true });

  it('stores the first of two answers a person sends in the same batch and refuses the second with already_voted', async () => {
    const poll = await openPoll();
    const [ana, beto] = await attendeeIds(2);
    const { batcher, committed } = recordingBatcher();
    // Added in the same turn of the event loop: one batch.
    const settled = await Promise.allSettled([batcher.add(pending(poll, ana!, 1)), batcher.add(pending(poll, ana!, 2)), batcher.add(pending(poll, beto!, 2))]);
    expect(settled.map(outcome)).toEqual(['stored', 'already_voted', 'stored']);
    expect(committed.map((votes) => votes.length)).toEqual([2]);
    const rows = await storedFor(poll);
    expect(rows.map((row) => [row.user_id, row.choices])).toEqual([[ana, '[1]'], [beto, '[2]']]);
  });

  it('refuses in a batch the person who answered in an earlier one and stores everyone else of it', async () => {
    const poll = await openPoll();
    const [ana, beto, cata] = await attendeeIds(3);
    const { batcher } = recordingBatcher();
    expect(await batcher.add(pending(poll, ana!, 1))).toBe('stored');
    const settled = await Promise.allSettled([batcher.add(pending(poll, beto!, 1)), batcher.add(pending(poll, ana!, 2)), batcher.add(pending(poll, cata!, 2))]);
    expect(settled.map(outcome)).toEqual(['stored', 'already_voted', 'stored']);
    const rows = await storedFor(poll);
    expect(rows.map((row) => [row.user_id, row.choices])).toEqual([[ana, '[1]'], [beto, '[1]'], [cata, '[2]']]);
  });

  it('stores none of a batch written after the poll closed, and tells each vote so', async () => {
    const poll = await openPoll();
    const [ana, beto] = await attendeeIds(2);
    await moderator.ok({ type: 'poll_close', id: poll.id });
    const { batcher, committed } = recordingBatcher();
    const settled = await Promise.allSettled([batcher.add(pending(poll, ana!, 1)), batcher.add(pending(poll, ana!, 2)), batcher.add(pending(poll, beto!, 1))]);
    expect(settled.map(outcome)).toEqual(['closed', 'closed', 'closed']);
    expect(committed).toEqual([]);
    expect(await storedFor(poll)).toEqual([]);
  });

  it('acks exactly the votes that raced a close and were stored, and the final results count exactly those', async () => {
    const poll = await openPoll();
    await moderator.ok({ type: 'poll_reveal', id: poll.id });
    const voters = await Promise.all(
      Array.from({ length: 24 }, async () => (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket),
    );
    const votes = voters.map((voter, index) => voter.request({ type: 'poll_vote', id: poll.id, choices: [(index % 2) + 1] }));
    const closed = moderator.ok({ type: 'poll_close', id: poll.id });
    const replies = await Promise.all(votes);
    await closed;
    for (const reply of replies) expect(reply.type === 'ack' || (reply.type === 'error' && reply.code === 'invalid_state')).toBe(true);
    const acked = replies.filter((reply) => reply.type === 'ack').length;
    const rows = await storedFor(poll);
    expect(rows).toHaveLength(acked);
    const final = await moderator.waitFor('poll_results', (results) => results.id === poll.id && results.total === acked);
    expect(final.options!.reduce((sum, option) => sum + option.count, 0)).toBe(acked);
    await Promise.all(voters.map((voter) => voter.close()));
  });

  it('acks one of the answers a person sends at once from two sockets and refuses the other with already_voted', async () => {
    const poll = await openPoll();
    const member = await attendeeOf(server, event.slug);
    const [first, second] = await Promise.all([0, 1].map(async () => (await connect(server, { event: event.slug, token: member.token })).socket));
    const replies = await Promise.all([first!.request({ type: 'poll_vote', id: poll.id, choices: [1] }), second!.request({ type: 'poll_vote', id: poll.id, choices: [2] })]);
    expect(replies.map((reply) => (reply.type === 'ack' ? 'ack' : reply.code)).sort()).toEqual(['ack', 'already_voted']);
    const rows = await storedFor(poll);
    expect(rows).toHaveLength(1);
    const final = await moderator.waitFor('poll_results', (results) => results.id === poll.id && results.total === 1);
    const ackedChoice = (replies.find((reply) => reply.type === 'ack')!.data as PollVote).choices![0];
    expect(final.options!.find((option) => option.id === ackedChoice)!.count).toBe(1);
    await Promise.all([first!.close(), second!.close()]);
  });
});
