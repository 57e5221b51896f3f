import { QueryTypes, UniqueConstraintError } from 'sequelize';
import {
  AnswerStatus,
  choiceKinds,
  ErrorCode,
  isModeratorRole,
  PollKind,
  PollStatus,
  Role,
  WebhookTopic,
  type ParsedClientMessage,
  type Poll,
  type PollDraft,
  type PollResults,
  type PollVote,
} from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { PollRow, PollVoteRow } from '../db/models.js';
import { AppError, invalidInput } from '../errors.js';
import { compileWordFilter, normaliseWord } from '../moderation/index.js';
import type { Member } from '../services/member.js';
import { iso } from '../services/serialize.js';
import { storedTime } from '../services/stored-time.js';
import { publicPoll, tally, toPoll } from './tally.js';

export type PollDeps = Pick<AppDeps, 'bus' | 'db' | 'events' | 'webhooks' | 'logger' | 'now'>;
export type PollChanges = Partial<Omit<PollDraft, 'kind'>>;
export type VoteCommand = Extract<ParsedClientMessage, { type: 'poll_vote' }>;

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
const answerFields = ['choices', 'rating', 'words', 'text'] as const;
type AnswerField = (typeof answerFields)[number];

/** The answer field each kind takes. */
function answerFieldOf(kind: PollKind): AnswerField {
  if (choiceKinds.has(kind)) return 'choices';
  if (kind === PollKind.rating) return 'rating';
  if (kind === PollKind.wordCloud) return 'words';
  return 'text';
}

/**
 * Who may answer polls: the attendees of the event (staff run polls, they do not answer
 * them). Attendance confirmation, when events require it, adds its rule here and only here.
 */
function assertMayVote(member: Member) {
  if (member.role !== Role.attendee) throw forbidden();
}

/** The stored columns of a poll's options, correct answers and limits, checked against its kind. */
export function checkedPollFields(
  kind: PollKind,
  draft: Pick<PollDraft, 'options' | 'correct' | 'max_choices' | 'time_limit_s'>,
): Pick<PollRow, 'options' | 'correct' | 'max_choices' | 'time_limit_s'> {
  const problems: Record<string, string> = {};
  const hasOptions = choiceKinds.has(kind);
  const texts = draft.options ?? [];
  if (hasOptions && texts.length === 0) problems.options = 'required';
  if (!hasOptions && draft.options !== undefined && texts.length > 0) problems.options = 'not_for_kind';
  const seen = new Set<string>();
  for (const text of texts) {
    const key = normaliseWord(text);
    if (seen.has(key)) problems.options = 'duplicate_option';
    seen.add(key);
  }
  if (kind === PollKind.quiz) {
    if (!draft.correct?.length) problems.correct = 'required';
    else if (draft.correct.some((index) => index < 0 || index >= texts.length)) problems.correct = 'unknown_option';
  } else if (draft.correct !== undefined) problems.correct = 'not_for_kind';
  if (draft.max_choices !== undefined) {
    if (kind !== PollKind.multiple) problems.max_choices = 'not_for_kind';
    else if (draft.max_choices > texts.length) problems.max_choices = 'too_large';
  }
  if (draft.time_limit_s !== undefined && kind !== PollKind.quiz) problems.time_limit_s = 'not_for_kind';
  if (Object.keys(problems).length > 0) throw invalidInput(problems);
  const options = texts.map((text, index) => ({ id: index + 1, text }));
  const correct = kind === PollKind.quiz ? [...new Set(draft.correct)].map((index) => index + 1) : null;
  return {
    options: JSON.stringify(options),
    correct: correct ? JSON.stringify(correct) : null,
    // A quiz takes as many choices as it has correct answers.
    max_choices: kind === PollKind.multiple ? (draft.max_choices ?? texts.length) : correct ? correct.length : null,
    time_limit_s: kind === PollKind.quiz ? (draft.time_limit_s ?? null) : null,
  };
}

/** Points of a correct quiz answer: 1000 at once, down to 500 at the end of the window. */
export function quizScore(answerMs: number, windowMs: number): number {
  return Math.round(500 + 500 * Math.max(0, 1 - answerMs / windowMs));
}

/**
 * The words of one answer as a cloud takes them: each once, as its normalised form
 * (`normaliseWord`: case, accents, spaces) tells words apart, without blocked words (the
 * default Spanish and English lists; an event's own list joins them here once events carry
 * one), and spelled in lower case with their accents, so the cloud reads "útil", not "util".
 */
export function cloudWords(words: readonly string[]): string[] {
  const filter = compileWordFilter();
  const kept = new Map<string, string>();
  for (const word of words) {
    const key = normaliseWord(word);
    if (key.length === 0 || kept.has(key) || filter.match(key).matched) continue;
    kept.set(key, word.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('es'));
  }
  return [...kept.values()];
}

/** The vote as its author sees it. */
export function toPollVote(row: PollVoteRow): PollVote {
  const vote: PollVote = { poll_id: row.poll_id, created_at: iso(row.created_at) };
  if (row.choices != null) vote.choices = JSON.parse(row.choices) as number[];
  if (row.rating != null) vote.rating = row.rating;
  if (row.words != null) vote.words = JSON.parse(row.words) as string[];
  if (row.text != null) vote.text = row.text;
  if (row.answer_status != null) vote.answer_status = row.answer_status;
  if (row.correct != null) vote.correct = Boolean(row.correct);
  if (row.score != null) vote.score = row.score;
  return vote;
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

  constructor(private readonly deps: PollDeps) {}

  async create(eventId: number, member: Member, draft: PollDraft): Promise<Poll> {
    this.assertStaff(member);
    const fields = checkedPollFields(draft.kind, draft);
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
    await PollVoteRow.destroy({ where: { poll_id: pollId } });
    await PollRow.destroy({ where: { id: pollId, event_id: eventId } });
    await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'poll_deleted', id: pollId } });
    return { id: pollId };
  }

  /**
   * Stores an attendee's one answer to an open poll and acks it with the vote as stored.
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
    const answer = this.checkedAnswer(poll, command);
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
    const stored = await this.insertVote(poll, member.id, vote, answerMs);
    if (!stored) {
      // Closed (or deleted) meanwhile, perhaps on another process: ask the database which.
      this.openPolls.delete(poll.id);
      await this.find(eventId, poll.id);
      throw invalidState();
    }
    this.recountSoon(poll);
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

  /**
   * Stores one answer in one statement that also checks the poll is still open, so a vote
   * racing a close (on any process) is either counted or refused, never stored after it.
   * False when the poll was not open; already_voted on a second answer.
   */
  private async insertVote(poll: Poll, userId: number, vote: PollVote, answerMs: number): Promise<boolean> {
    const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
    try {
      const [, inserted] = await this.deps.db.sequelize.query(
        `INSERT INTO poll_votes (poll_id, event_id, user_id, choices, rating, words, text, answer_status, correct, score, answer_ms, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM polls WHERE id = ? AND event_id = ? AND status = ?`,
        {
          type: QueryTypes.INSERT,
          replacements: [
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
            poll.id,
            poll.event_id,
            PollStatus.open,
          ],
        },
      );
      return Number(inserted) > 0;
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError(409, ErrorCode.alreadyVoted);
      throw error;
    }
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
  }

  /* ------------------------------------------------------------------ rules */

  private assertStaff(member: Member) {
    if (!isModeratorRole(member.role)) throw forbidden();
  }

  /** The answer the poll's kind takes, checked: invalid_input names the offending field. */
  private checkedAnswer(poll: Poll, command: VoteCommand) {
    const wanted = answerFieldOf(poll.kind);
    const problems: Record<string, string> = {};
    for (const field of answerFields) if (field !== wanted && command[field] !== undefined) problems[field] = 'not_for_kind';
    if (command[wanted] === undefined) problems[wanted] = 'required';
    const answer: { choices?: number[]; rating?: number; words?: string[]; text?: string; correct?: boolean; score?: number } = {};
    if (wanted === 'choices' && command.choices) {
      const known = new Set(poll.options.map((option) => option.id));
      const max = poll.kind === PollKind.single ? 1 : (poll.max_choices ?? poll.options.length);
      if (command.choices.some((id) => !known.has(id))) problems.choices = 'unknown_option';
      else if (new Set(command.choices).size !== command.choices.length) problems.choices = 'duplicate_option';
      else if (poll.kind === PollKind.single && command.choices.length !== 1) problems.choices = 'one_choice';
      else if (command.choices.length > max) problems.choices = 'too_many_choices';
      answer.choices = command.choices;
    }
    if (wanted === 'rating') answer.rating = command.rating;
    if (wanted === 'words' && command.words) answer.words = cloudWords(command.words);
    if (wanted === 'text') answer.text = command.text;
    if (wanted === 'words' && command.words) answer.text = command.words.join(', ');
    if (Object.keys(problems).length > 0) throw invalidInput(problems);
    return answer;
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

  /** Counts the poll now and sends the results: to staff, and to attendees when revealed. */
  private async publishResults(poll: Poll): Promise<PollResults> {
    const { bus, db } = this.deps;
    const eventId = poll.event_id;
    const forStaff = await tally(db.sequelize, poll, true);
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
        .then((row) => (row ? this.publishResults(toPoll(row)) : undefined))
        .catch((error: unknown) => this.deps.logger.error({ err: error, poll: poll.id }, 'poll results not sent'));
    }, recountDelayMs);
    this.recounts.set(poll.id, timer);
  }
}
