import { choiceKinds, PollKind, type Poll, type PollResults, type PollVote } from '@palco/sdk/protocol';

const ratings = [1, 2, 3, 4, 5];

interface Counts {
  total: number;
  /** Votes per option id (choice kinds) or per rating. */
  byOption: Map<number, number>;
}

/** Whether a poll's results are counts this process can keep: choice kinds, quizzes and ratings. */
export const countable = (poll: Poll) => choiceKinds.has(poll.kind) || poll.kind === PollKind.rating;

/**
 * The results of open polls kept in memory by the process that stores their votes: a count
 * read from the database once, then every vote this process commits added to it, so a burst
 * of votes costs no count query. Exact only while this process is the one taking the votes
 * (one process, or a poll's count read again after another's votes): PollService decides.
 */
export class LiveCounts {
  private readonly polls = new Map<number, Counts>();

  has(pollId: number) {
    return this.polls.has(pollId);
  }

  /** Starts a poll's count from results counted in the database. */
  seed(results: PollResults) {
    const byOption = new Map((results.options ?? []).map((option) => [option.id, option.count]));
    this.polls.set(results.id, { total: results.total, byOption });
  }

  /** Adds committed votes to a seeded poll (no-op for a poll not seeded). */
  add(pollId: number, votes: readonly PollVote[]) {
    const counts = this.polls.get(pollId);
    if (!counts) return;
    for (const vote of votes) {
      counts.total += 1;
      const chosen = vote.rating !== undefined ? [vote.rating] : (vote.choices ?? []);
      for (const id of chosen) counts.byOption.set(id, (counts.byOption.get(id) ?? 0) + 1);
    }
  }

  /** The poll's results as `tally` would count them from the database, or undefined when not kept. */
  results(poll: Poll): PollResults | undefined {
    const counts = this.polls.get(poll.id);
    if (!counts || !countable(poll)) return undefined;
    const count = (id: number) => counts.byOption.get(id) ?? 0;
    if (poll.kind !== PollKind.rating) {
      return { id: poll.id, total: counts.total, options: poll.options.map((option) => ({ id: option.id, count: count(option.id) })) };
    }
    const sum = ratings.reduce((all, rating) => all + rating * count(rating), 0);
    return {
      id: poll.id,
      total: counts.total,
      options: ratings.map((rating) => ({ id: rating, count: count(rating) })),
      average: counts.total === 0 ? null : Math.round((sum / counts.total) * 100) / 100,
    };
  }

  forget(pollId: number) {
    this.polls.delete(pollId);
  }

  clear() {
    this.polls.clear();
  }
}
