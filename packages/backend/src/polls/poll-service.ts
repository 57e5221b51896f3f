import {
  AnswerStatus,
  ErrorCode,
  EventState,
  isModeratorRole,
  PollKind,
  PollStatus,
  Role,
  WebhookTopic,
  type Poll,
  type PollDraft,
  type PollResults,
  type PollVote,
} from '@palco/sdk/protocol';
import { InProcessBus } from '../bus/bus.js';
import type { AppDeps } from '../context.js';
import type { Batcher } from '../db/batcher.js';
import { PollRow, PollVoteRow } from '../db/models.js';
import { AppError } from '../errors.js';
import type { Member } from '../services/member.js';
import { stateOf } from '../services/serialize.js';
import { storedTime } from '../services/stored-time.js';
import { answerFields, checkedAnswer, quizScore, toPollVote, type VoteCommand } from './answers.js';
import { countable, LiveCounts } from './live-counts.js';
import { checkedPollFields } from './poll-fields.js';
import { publicPoll, tally, toPoll } from './tally.js';
import { voteInserts, type PendingVote, type VoteOutcome } from './vote-batch.js';

export type PollDeps = Pick<AppDeps, 'bus' | 'db' | 'events' | 'webhooks' | 'logger' | 'now'>;
export type PollChanges = Partial<Omit<PollDraft, 'kind'>>;

/**
 * Milliseconds after a vote before this process counts its poll again: the votes of a burst
 * share one count, and the rooms pace what they send (PollLimits.resultsPerSecond).
 */
const recountDelayMs = 100;
/** A quiz answer sent just before the limit may arrive this late (ms) and still count. */
const quizGraceMs = 500;
/** The scoring window (ms) of a quiz without a time limit. */
const untimedQuizMs = 30_000;

const forbidden = () => new AppError(403, ErrorCode.forbidden);
const invalidState = () => new AppError(409, ErrorCode.invalidState);

/**
 * Who may answer polls: the attendees of the event (staff run polls, they do not answer
 * them). Attendance confirmation, when events require it, adds its rule here and only here.
 */
function assertMayVote(member: Member) {
  if (member.role !== Role.attendee) throw forbidden();
}

/**
 * Polls and quizzes of an event (docs/protocol.md "Polls, quizzes and reactions"):
 * moderators and administrators create them as drafts, open, close and reveal them;
 * attendees answer each open poll once. Every change is stored, then broadcast: the staff's
 * version of the poll to staff, the attendees' version to attendees, and results to staff
 * always and to attendees once revealed.
 */
export class PollService {
  /** Polls with a count due on this process. */
  private readonly recounts = new Map<number, NodeJS.Timeout>();
  /** Definitions of open polls this process took votes for (see openPoll). */
  private readonly openPolls = new Map<number, Poll>();
  /** Votes are stored in batches: whatever arrives while one is written goes in the next. */
  private readonly inserts: Batcher<PendingVote, VoteOutcome>;
  /**
   * The counts of open polls, kept in memory while this process is the only one (an
   * in-process bus): results go out without a count query. With several processes, each
   * counts in the database, the one place that sees every process's votes.
   */
  private readonly counts = new LiveCounts();
  private readonly alone: boolean;

  constructor(private readonly deps: PollDeps) {
    this.alone = deps.bus instanceof InProcessBus;
    this.inserts = voteInserts(deps.db.sequelize, {
      beforeInsert: (poll) => this.seedCounts(poll),
      stored: (poll, votes) => {
        this.counts.add(poll.id, votes);
        this.recountSoon(poll);
      },
    });
  }

  async create(eventId: number, member: Member, draft: PollDraft): Promise<Poll> {
    this.assertStaff(member);
    const fields = checkedPollFields(draft.kind, draft);
    // The replay is read-only for staff too; the socket's poll_create meets this in the write
    // gate, a poll made from a template over HTTP here.
    const event = await this.deps.events.byIdOr404(eventId);
    if (stateOf(event, this.deps.now()) === EventState.onDemand) throw new AppError(403, ErrorCode.eventOnDemand);
    const row = await PollRow.create({
      event_id: eventId,
      kind: draft.kind,
      question: draft.question,
      ...fields,
      created_by: member.id,
      created_at: new Date(this.deps.now()),
      opened_at: null,
      closed_at: null,
    });
    const poll = toPoll(row);
    await this.publishPoll(poll);
    return poll;
  }

  /** Changes a draft; an open or closed poll is refused with invalid_state. */
  async update(eventId: number, member: Member, pollId: number, changes: PollChanges): Promise<Poll> {
    this.assertStaff(member);
    const row = await this.find(eventId, pollId);
    if (row.status !== PollStatus.draft) throw invalidState();
    const current = toPoll(row);
    const merged = {
      options: changes.options ?? current.options.map((option) => option.text),
      correct: changes.correct ?? current.correct?.map((id) => current.options.findIndex((option) => option.id === id)),
      max_choices: changes.max_choices ?? current.max_choices,
      time_limit_s: changes.time_limit_s ?? current.time_limit_s,
    };
    const fields = checkedPollFields(row.kind, merged);
    const [changed] = await PollRow.update(
      { ...fields, question: changes.question ?? row.question },
      { where: { id: pollId, event_id: eventId, status: PollStatus.draft } },
    );
    if (changed === 0) throw invalidState();
    const poll = toPoll(await this.find(eventId, pollId));
    await this.publishPoll(poll);
    return poll;
  }

  async open(eventId: number, member: Member, pollId: number): Promise<Poll> {
    this.assertStaff(member);
    const poll = await this.transition(eventId, pollId, PollStatus.draft, { status: PollStatus.open, opened_at: new Date(this.deps.now()) });
    await this.publishResults(poll);
    return poll;
  }

  /** Closes an open poll: no more answers; the final results go out and to the `poll_closed` webhook. */
  async close(eventId: number, member: Member, pollId: number): Promise<Poll> {
    this.assertStaff(member);
    const poll = await this.transition(eventId, pollId, PollStatus.open, { status: PollStatus.closed, closed_at: new Date(this.deps.now()) });
    const results = await this.publishResults(poll);
    await this.deps.webhooks.emit(eventId, WebhookTopic.pollClosed, { poll, results });
    return poll;
  }

  /** Shows the results to attendees (or hides them again); a draft has none to show. */
  async reveal(eventId: number, member: Member, pollId: number, visible: boolean): Promise<Poll> {
    this.assertStaff(member);
    const [changed] = await PollRow.update(
      { results_visible: visible },
      { where: { id: pollId, event_id: eventId, status: [PollStatus.open, PollStatus.closed] } },
    );
    const row = await this.find(eventId, pollId);
    if (changed === 0) throw invalidState();
    const poll = toPoll(row);
    await this.publishPoll(poll);
    await this.publishResults(poll);
    return poll;
  }

  /** Removes a poll and its answers, in any status. */
  async remove(eventId: number, member: Member, pollId: number): Promise<{ id: number }> {
    this.assertStaff(member);
    await this.find(eventId, pollId);
    this.openPolls.delete(pollId);
    this.counts.forget(pollId);
    await PollVoteRow.destroy({ where: { poll_id: pollId } });
    await PollRow.destroy({ where: { id: pollId, event_id: eventId } });
    await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'poll_deleted', id: pollId } });
    return { id: pollId };
  }

  /**
   * Stores an attendee's one answer to an open poll, in the next batch of votes
   * (polls/vote-batch.ts), and answers the vote as stored once that batch is committed.
   * Errors: forbidden (staff), event_closed (read-only replay), poll_not_found (another
   * event's poll), invalid_state (a draft or a closed poll), time_up (a quiz past its
   * limit), already_voted, invalid_input naming the field.
   */
  async vote(eventId: number, member: Member, command: VoteCommand): Promise<PollVote> {
    assertMayVote(member);
    const event = await this.deps.events.byIdOr404(eventId);
    // The replay of a closed event is read-only; the on-demand state will say so itself.
    if (!event.is_active) throw new AppError(403, ErrorCode.eventClosed);
    const poll = await this.openPoll(eventId, command.id);
    const answer = checkedAnswer(poll, command);
    const now = this.deps.now();
    const answerMs = Math.max(0, now - Date.parse(poll.opened_at!));
    if (poll.kind === PollKind.quiz) {
      const windowMs = poll.time_limit_s ? poll.time_limit_s * 1000 : untimedQuizMs;
      if (poll.time_limit_s && answerMs > windowMs + quizGraceMs) throw new AppError(409, ErrorCode.timeUp);
      const chosen = [...(answer.choices ?? [])].sort();
      const right = [...(poll.correct ?? [])].sort();
      answer.correct = chosen.length === right.length && chosen.every((id, index) => id === right[index]);
      answer.score = answer.correct ? quizScore(Math.min(answerMs, windowMs), windowMs) : 0;
    }
    // Whole seconds, as both databases keep a moment given in a statement; answer_ms keeps the precision scoring needs.
    const vote: PollVote = { poll_id: poll.id, created_at: storedTime(now).toISOString() };
    for (const field of answerFields) if (answer[field] !== undefined) Object.assign(vote, { [field]: answer[field] });
    if (poll.kind === PollKind.openText) vote.answer_status = AnswerStatus.pending;
    if (answer.correct !== undefined) Object.assign(vote, { correct: answer.correct, score: answer.score });
    // Acked once its batch is committed; the batch also counts it (see the constructor).
    const outcome = await this.inserts.add({ poll, userId: member.id, vote, answerMs });
    if (outcome === 'closed') {
      // Closed (or deleted) meanwhile, perhaps on another process: ask the database which.
      this.openPolls.delete(poll.id);
      await this.find(eventId, poll.id);
      throw invalidState();
    }
    return vote;
  }

  /**
   * The poll a vote is for, open: its definition no longer changes once open, so this process
   * keeps it from the first vote on; whether it is still open the vote's insert checks.
   */
  private async openPoll(eventId: number, pollId: number): Promise<Poll> {
    const known = this.openPolls.get(pollId);
    if (known && known.event_id === eventId) return known;
    const poll = toPoll(await this.find(eventId, pollId));
    if (poll.status !== PollStatus.open) throw invalidState();
    this.openPolls.set(poll.id, poll);
    return poll;
  }

  /** Lets an open-text answer be seen by attendees (once results are revealed), or keeps it back. */
  async reviewAnswer(eventId: number, member: Member, answerId: number, status: AnswerStatus): Promise<{ id: number; status: AnswerStatus }> {
    this.assertStaff(member);
    const answer = await PollVoteRow.findOne({ where: { id: answerId, event_id: eventId } });
    if (!answer || answer.answer_status === null) throw new AppError(404, ErrorCode.pollNotFound);
    await PollVoteRow.update({ answer_status: status }, { where: { id: answerId } });
    const poll = toPoll(await this.find(eventId, answer.poll_id));
    await this.publishResults(poll);
    return { id: answerId, status };
  }

  /** What one member may see of the event's polls: the polls, the results, their own answers. */
  async seenBy(eventId: number, member: Member): Promise<{ polls: Poll[]; poll_results: PollResults[]; my_votes: PollVote[] }> {
    const staff = member.role !== Role.attendee;
    const rows = await PollRow.findAll({ where: { event_id: eventId }, order: [['id', 'ASC']] });
    const polls = rows.map(toPoll).filter((poll) => staff || poll.status !== PollStatus.draft);
    const shown = polls.filter((poll) => poll.status !== PollStatus.draft && (staff || poll.results_visible));
    const poll_results = await Promise.all(shown.map((poll) => tally(this.deps.db.sequelize, poll, staff)));
    const votes = staff ? [] : await PollVoteRow.findAll({ where: { event_id: eventId, user_id: member.id }, order: [['id', 'ASC']] });
    return { polls: staff ? polls : polls.map(publicPoll), poll_results, my_votes: votes.map(toPollVote) };
  }

  /** Stops the counts due; the results they would have sent are dropped. */
  stop() {
    for (const timer of this.recounts.values()) clearTimeout(timer);
    this.recounts.clear();
    this.openPolls.clear();
    this.counts.clear();
  }

  /* ------------------------------------------------------------------ rules */

  private assertStaff(member: Member) {
    if (!isModeratorRole(member.role)) throw forbidden();
  }

  /* ------------------------------------------------------------------ storage and broadcasts */

  private async find(eventId: number, pollId: number): Promise<PollRow> {
    const row = await PollRow.findOne({ where: { id: pollId, event_id: eventId } });
    if (!row) throw new AppError(404, ErrorCode.pollNotFound);
    return row;
  }

  /** Moves a poll on only from the status `from`; the WHERE makes racing moderators safe. */
  private async transition(eventId: number, pollId: number, from: PollStatus, changes: Partial<Pick<PollRow, 'status' | 'opened_at' | 'closed_at'>>) {
    this.openPolls.delete(pollId);
    const [changed] = await PollRow.update(changes, { where: { id: pollId, event_id: eventId, status: from } });
    const row = await this.find(eventId, pollId);
    if (changed === 0) throw invalidState();
    const poll = toPoll(row);
    await this.publishPoll(poll);
    return poll;
  }

  private async publishPoll(poll: Poll) {
    const { bus } = this.deps;
    const eventId = poll.event_id;
    await bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'staff' }, message: { type: 'poll', poll } });
    if (poll.status !== PollStatus.draft) {
      await bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'attendees' }, message: { type: 'poll', poll: publicPoll(poll) } });
    }
  }

  /**
   * Counts the poll now and sends the results: to staff, and to attendees when revealed.
   * `live`: an open poll's counts kept in memory may stand in for the database's.
   */
  private async publishResults(poll: Poll, live = false): Promise<PollResults> {
    const { bus, db } = this.deps;
    const eventId = poll.event_id;
    const kept = live && poll.status === PollStatus.open ? this.counts.results(poll) : undefined;
    const forStaff = kept ?? (await tally(db.sequelize, poll, true));
    await bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'staff' }, message: { type: 'poll_results', ...forStaff } });
    if (poll.results_visible) {
      const forAttendees = poll.kind === PollKind.openText ? await tally(db.sequelize, poll, false) : forStaff;
      await bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'attendees' }, message: { type: 'poll_results', ...forAttendees } });
    }
    return forStaff;
  }

  /** One count for the votes of a burst, read back from the poll row (it may have been revealed since). */
  private recountSoon(poll: Poll) {
    if (this.recounts.has(poll.id)) return;
    const timer = setTimeout(() => {
      this.recounts.delete(poll.id);
      void PollRow.findByPk(poll.id)
        .then((row) => (row ? this.publishResults(toPoll(row), true) : undefined))
        .catch((error: unknown) => this.deps.logger.error({ err: error, poll: poll.id }, 'poll results not sent'));
    }, recountDelayMs);
    this.recounts.set(poll.id, timer);
  }

  /** Reads an open poll's count once, before this process stores its first batch of votes for it. */
  private async seedCounts(poll: Poll) {
    if (!this.alone || !countable(poll) || this.counts.has(poll.id)) return;
    this.counts.seed(await tally(this.deps.db.sequelize, poll, true));
  }
}
