import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';
import { ErrorCode, PollStatus, type Poll, type PollVote } from '@palco/sdk/protocol';
import { Batcher } from '../db/batcher.js';
import { PollVoteRow } from '../db/models.js';
import { AppError } from '../errors.js';

/** One checked answer waiting to be stored: `vote` is what its ack carries. */
export interface PendingVote {
  poll: Poll;
  userId: number;
  vote: PollVote;
  /** Milliseconds from the poll's opening to the answer (quiz scoring, the leaderboard). */
  answerMs: number;
}

/**
 * What became of a pending vote: `stored`, or `closed` when the poll was no longer open
 * (closed or deleted, on any process) as its batch was written. A second answer of the same
 * person is refused with already_voted.
 */
export type VoteOutcome = 'stored' | 'closed';

/**
 * Votes per statement: SQLite takes at most 500 terms in one compound SELECT (the rows are
 * one `UNION ALL` of them, see insertRows).
 */
export const maxVotesPerInsert = 400;

const alreadyVoted = () => new AppError(409, ErrorCode.alreadyVoted);
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** What the owner of the votes learns of each batch, poll by poll. */
export interface VoteBatchHooks {
  /** Runs before a poll's votes are written (no vote of this process is being written meanwhile). */
  beforeInsert(poll: Poll): Promise<void>;
  /** The votes that were committed, before any of them is acknowledged; must not throw. */
  stored(poll: Poll, votes: PollVote[]): void;
}

/**
 * Group commit for poll answers (docs/performance.md "Polls and reactions"): the votes that
 * arrive while a batch is being written go together in the next one, one multi-row INSERT
 * per poll. The database still enforces one answer per person and poll (the unique index
 * on poll_id, user_id); a duplicate inside one batch is refused before it reaches it.
 * Batches are written one at a time, so `hooks` see every vote of this process in order.
 */
export function voteInserts(sequelize: Sequelize, hooks: VoteBatchHooks): Batcher<PendingVote, VoteOutcome> {
  return new Batcher(async (batch) => {
    const outcomes: PromiseSettledResult<VoteOutcome>[] = new Array(batch.length);
    const byPoll = new Map<number, number[]>();
    for (const [index, pending] of batch.entries()) {
      const indexes = byPoll.get(pending.poll.id) ?? [];
      indexes.push(index);
      byPoll.set(pending.poll.id, indexes);
    }
    for (const indexes of byPoll.values()) {
      const poll = batch[indexes[0]!]!.poll;
      // The first answer of each person in the batch goes to the database; any later one waits for its outcome.
      const first = new Map<number, number>();
      const repeats: Array<[index: number, firstIndex: number]> = [];
      for (const index of indexes) {
        const userId = batch[index]!.userId;
        const earlier = first.get(userId);
        if (earlier === undefined) first.set(userId, index);
        else repeats.push([index, earlier]);
      }
      let written: Map<number, VoteOutcome | AppError>;
      try {
        await hooks.beforeInsert(poll);
        written = await insertVotes(sequelize, poll, [...first.values()].map((index) => batch[index]!));
      } catch (error) {
        for (const index of first.values()) outcomes[index] = { status: 'rejected', reason: error };
        written = new Map();
      }
      const committed: PollVote[] = [];
      for (const index of first.values()) {
        const outcome = written.get(batch[index]!.userId);
        if (outcome === undefined) continue;
        outcomes[index] = outcome instanceof Error ? { status: 'rejected', reason: outcome } : { status: 'fulfilled', value: outcome };
        if (outcome === 'stored') committed.push(batch[index]!.vote);
      }
      if (committed.length > 0) hooks.stored(poll, committed);
      for (const [index, firstIndex] of repeats) {
        const outcome = outcomes[firstIndex]!;
        outcomes[index] = outcome.status === 'fulfilled' && outcome.value === 'stored' ? { status: 'rejected', reason: alreadyVoted() } : outcome;
      }
    }
    return outcomes;
  }, maxVotesPerInsert);
}

/**
 * Stores the answers of distinct people to one poll: per person `stored`, `closed`, or an
 * already_voted error. One statement while nobody answered twice; when the unique index
 * refuses the batch, the people who already have an answer are read, refused, and the rest
 * written again (another process may have stored a racing answer meanwhile: the loop ends,
 * as each round refuses at least one person or writes everyone left).
 */
async function insertVotes(sequelize: Sequelize, poll: Poll, votes: PendingVote[]): Promise<Map<number, VoteOutcome | AppError>> {
  const outcomes = new Map<number, VoteOutcome | AppError>();
  let left = votes;
  while (left.length > 0) {
    try {
      const outcome: VoteOutcome = (await insertRows(sequelize, poll, left)) > 0 ? 'stored' : 'closed';
      for (const pending of left) outcomes.set(pending.userId, outcome);
      return outcomes;
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      const answered = new Set(
        (await PollVoteRow.findAll({ attributes: ['user_id'], where: { poll_id: poll.id, user_id: left.map((pending) => pending.userId) }, raw: true })).map(
          (row) => row.user_id,
        ),
      );
      if (answered.size === 0) throw error;
      for (const userId of answered) outcomes.set(userId, alreadyVoted());
      left = left.filter((pending) => !answered.has(pending.userId));
    }
  }
  return outcomes;
}

const columns = ['poll_id', 'event_id', 'user_id', 'choices', 'rating', 'words', 'text', 'answer_status', 'correct', 'score', 'answer_ms', 'created_at'] as const;

/**
 * One statement that stores every row or none: the rows are joined to the poll's own row
 * while it is open, so a vote racing a close (on any process) is either counted or refused,
 * never stored after it. Answers the number of rows stored (0: the poll was not open).
 */
async function insertRows(sequelize: Sequelize, poll: Poll, votes: PendingVote[]): Promise<number> {
  // The statement is written here rather than through replacements: Sequelize scans the
  // whole text once per `?`-list, which cost more than the insert itself for 400 rows.
  // Numbers come from this process (ids, ratings, scores, milliseconds), booleans are
  // written 1/0 as both databases store them, times are escaped by Sequelize (digits and
  // separators only). Text in the rows is what attendees typed: it goes as hexadecimal
  // UTF-8 cast back to text, so no character of it is ever read as SQL (textLiteral); it is
  // only stored, never compared (MariaDB's CONVERT has the connection's collation).
  const text = textLiteral(sequelize.getDialect());
  const literal = (value: number | string | boolean | Date | null) =>
    value === null
      ? 'NULL'
      : typeof value === 'boolean'
        ? (value ? '1' : '0')
        : typeof value === 'number' && Number.isSafeInteger(value)
          ? String(value)
          : typeof value === 'string'
            ? text(value)
            : sequelize.escape(value);
  const rows = votes.map(({ vote, userId, answerMs }, index) => {
    const values = [
      poll.id,
      poll.event_id,
      userId,
      json(vote.choices),
      vote.rating ?? null,
      json(vote.words),
      vote.text ?? null,
      vote.answer_status ?? null,
      vote.correct ?? null,
      vote.score ?? null,
      answerMs,
      new Date(vote.created_at),
    ].map(literal);
    // Column names on the first row only: they name the derived table's columns.
    return `SELECT ${index === 0 ? values.map((value, column) => `${value} AS ${columns[column]}`).join(', ') : values.join(', ')}`;
  });
  const [, inserted] = await sequelize.query(
    `INSERT INTO poll_votes (${columns.join(', ')})
     SELECT ${columns.map((column) => `rows_in.${column}`).join(', ')}
     FROM polls JOIN (${rows.join(' UNION ALL ')}) AS rows_in ON polls.id = rows_in.poll_id
     WHERE polls.id = ${literal(poll.id)} AND polls.event_id = ${literal(poll.event_id)} AND polls.status = ${sequelize.escape(PollStatus.open)}`,
    { type: QueryTypes.INSERT },
  );
  return Number(inserted);
}

/**
 * A text as an SQL expression built only of hexadecimal digits: its UTF-8 bytes as a blob
 * literal, cast to text. Escaping quotes is not enough for what people type: SQLite ends
 * a statement's text at a NUL (the whole batch then fails), and MariaDB reads backslashes
 * as escapes unless `NO_BACKSLASH_ESCAPES` is in the server's sql_mode, where an escaped
 * quote would close the string.
 */
export function textLiteral(dialect: string): (value: string) => string {
  return dialect === 'sqlite'
    ? (value) => `CAST(X'${Buffer.from(value, 'utf8').toString('hex')}' AS TEXT)`
    : (value) => `CONVERT(X'${Buffer.from(value, 'utf8').toString('hex')}' USING utf8mb4)`;
}
