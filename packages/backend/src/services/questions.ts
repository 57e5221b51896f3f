import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Op, QueryTypes, UniqueConstraintError, type WhereOptions } from 'sequelize';
import {
  approvedQuestionMessage,
  ErrorCode,
  questionMessage,
  isModeratorRole,
  isStaffRole,
  ModerationLogAction,
  Limits,
  pendingQuestionMessage,
  publicQuestion,
  QuestionStatus,
  Role,
  WebhookTopic,
  type Question,
  type ServerMessage,
} from '@palco/sdk/protocol';
import { chargedFor } from '../auth/rate-limits.js';
import type { AppDeps } from '../context.js';
import { QuestionRow, QuestionVoteRow } from '../db/models.js';
import { AppError } from '../errors.js';
import type { Audience } from '../bus/bus.js';
import { questionsBlockedNow, type Member } from './member.js';
import { storeOnce } from './client-ids.js';
import { recordModeration } from './moderation-log.js';
import { toQuestion } from './serialize.js';
import { storedTime } from './stored-time.js';

export type QuestionDeps = Pick<AppDeps, 'bus' | 'makeLimiter' | 'config' | 'webhooks' | 'db' | 'now' | 'events'>;

const isPublicStatus = (status: QuestionStatus) => status === QuestionStatus.approved || status === QuestionStatus.read;

/** One refusal of `approve_all`: which question and why. */
export interface Refused {
  id: number;
  code: ErrorCode;
}

const forbidden = () => new AppError(403, ErrorCode.forbidden);

/**
 * The Q&A of one event: pending → approved → read, or rejected; any of them archived and
 * restored, a rejected one restored to pending. A change is stored, logged and then
 * broadcast; a change only happens from the state it expects (the WHERE of one UPDATE), so
 * two moderators acting at once cannot both win. An anonymous question's author reaches the
 * moderators and the author alone (`publicQuestion` for everyone else).
 */
export class QuestionService {
  private readonly perMinute: RateLimiterAbstract;
  /** The last vote being counted of each question that has one under way. */
  private readonly votingTurns = new Map<number, Promise<void>>();

  constructor(private readonly deps: QuestionDeps) {
    this.perMinute = deps.makeLimiter({ keyPrefix: 'ask', points: deps.config.rateLimits.questionsPerMinute, duration: 60 });
  }

  /**
   * Stores a question and tells the moderators. With a client id (`cid`) a resend answers
   * with the stored question, and tells the moderators again while it is still pending: the
   * first message may have died with the process that stored it (clients drop repeats).
   */
  async ask(eventId: number, member: Member, text: string, clientId?: string, anonymous = false): Promise<Question> {
    const { row, isNew } = await storeOnce<QuestionRow>(QuestionRow, member.id, clientId, async () => {
      if (questionsBlockedNow(member, this.deps.now())) throw new AppError(403, ErrorCode.qaBlocked);
      if (anonymous && !(await this.deps.events.byId(eventId))?.allow_anonymous_questions) {
        throw new AppError(403, ErrorCode.anonymousNotAllowed);
      }
      const charges: Array<[RateLimiterAbstract, string]> = member.role === Role.attendee ? [[this.perMinute, `${eventId}:${member.id}`]] : [];
      return chargedFor(charges, () =>
        QuestionRow.create({
          user_id: member.id,
          user_name: member.name,
          question_text: text,
          event_id: eventId,
          created_at: storedTime(this.deps.now()),
          moderated_by: null,
          approved_at: null,
          read_at: null,
          client_id: clientId ?? null,
          anonymous,
        }),
      );
    });
    const question = toQuestion(row);
    if (!isNew && question.status !== QuestionStatus.pending) return question;
    await this.publish(eventId, { kind: 'moderators' }, question, pendingQuestionMessage(question));
    return question;
  }

  /**
   * 409 `invalid_state` unless pending (a second moderator approving at once gets this),
   * `question_archived` while archived, `question_being_edited` while another moderator
   * holds it (`begin_edit`).
   */
  async approve(eventId: number, member: Member, questionId: number): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const question = await this.transition(eventId, questionId, member, QuestionStatus.pending, {
      status: QuestionStatus.approved,
      moderated_by: member.id,
      approved_at: storedTime(this.deps.now()),
    });
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.approve, targetUserId: question.user_id, targetId: question.id });
    await this.publish(eventId, { kind: 'everyone' }, question, approvedQuestionMessage(publicQuestion(question)));
    await this.deps.webhooks.emit(eventId, WebhookTopic.questionApproved, publicQuestion(question));
    return question;
  }

  /** Approves each question named, in order: the ones approved, and why each other one was not. */
  async approveAll(eventId: number, member: Member, questionIds: number[]): Promise<{ approved: number[]; refused: Refused[] }> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const approved: number[] = [];
    const refused: Refused[] = [];
    for (const id of new Set(questionIds)) {
      try {
        approved.push((await this.approve(eventId, member, id)).id);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        refused.push({ id, code: error.code });
      }
    }
    return { approved, refused };
  }

  async reject(eventId: number, member: Member, questionId: number, reason?: string): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const question = await this.transition(eventId, questionId, member, QuestionStatus.pending, {
      status: QuestionStatus.rejected,
      moderated_by: member.id,
    });
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.reject, targetUserId: question.user_id, targetId: question.id, reason });
    await this.publishStatus(eventId, question, reason);
    return question;
  }

  /**
   * Attaches a moderator's typed answer, shown under the question to everyone who sees it.
   * 409 `question_archived` for an archived question.
   */
  async answer(eventId: number, member: Member, questionId: number, text: string): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const answeredAt = storedTime(this.deps.now());
    const [changed] = await QuestionRow.update(
      { answer: text, answered_at: answeredAt, answered_by: member.id },
      { where: { id: questionId, event_id: eventId, archived_at: null } },
    );
    const row = await this.find(eventId, questionId);
    if (changed === 0) throw new AppError(409, ErrorCode.questionArchived);
    const question = toQuestion(row);
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.answer, targetUserId: question.user_id, targetId: question.id, detail: text });
    await this.publish(eventId, this.audienceOf(question), question, {
      type: 'question_answered',
      id: question.id,
      answer: text,
      answered_at: answeredAt.toISOString(),
    });
    await this.deps.webhooks.emit(eventId, WebhookTopic.questionAnswered, publicQuestion(question));
    return question;
  }

  /** Takes a question off the queue and the board; 409 `invalid_state` when already archived. */
  async archive(eventId: number, member: Member, questionId: number): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const [changed] = await QuestionRow.update(
      { archived_at: storedTime(this.deps.now()) },
      { where: { id: questionId, event_id: eventId, archived_at: null } },
    );
    const row = await this.find(eventId, questionId);
    if (changed === 0) throw new AppError(409, ErrorCode.invalidState);
    return this.changed(eventId, member, toQuestion(row), ModerationLogAction.archive);
  }

  /**
   * Brings an archived question back as it was, or a rejected one back to pending;
   * 409 `invalid_state` for any other.
   */
  async restore(eventId: number, member: Member, questionId: number): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const [unarchived] = await QuestionRow.update(
      { archived_at: null },
      { where: { id: questionId, event_id: eventId, archived_at: { [Op.ne]: null } } },
    );
    const [reopened] = unarchived
      ? [0]
      : await QuestionRow.update(
          { status: QuestionStatus.pending, moderated_by: null },
          { where: { id: questionId, event_id: eventId, status: QuestionStatus.rejected } },
        );
    const row = await this.find(eventId, questionId);
    if (unarchived === 0 && reopened === 0) throw new AppError(409, ErrorCode.invalidState);
    const question = await this.changed(eventId, member, toQuestion(row), ModerationLogAction.restore);
    const announce = questionMessage(question);
    if (announce) await this.publish(eventId, this.audienceOf(question), question, announce.type === 'approved_question' ? approvedQuestionMessage(publicQuestion(question)) : announce);
    return question;
  }

  /**
   * Keeps a pending question for this moderator for `Limits.editLeaseSeconds`, so no one
   * approves it mid-edit: 409 `question_being_edited` while another holds it,
   * `invalid_state` unless pending. Answers the question with its `version`.
   */
  async beginEdit(eventId: number, member: Member, questionId: number): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const now = this.deps.now();
    await QuestionRow.update(
      { editing_by: member.id, editing_until: new Date(now + Limits.editLeaseSeconds * 1000) },
      { where: { id: questionId, event_id: eventId, status: QuestionStatus.pending, archived_at: null, ...this.free(member, now) } },
    );
    const row = await this.find(eventId, questionId);
    if (row.editing_by !== member.id) throw this.whyNot(row, member, now);
    return toQuestion(row);
  }

  /**
   * Changes a pending question's text before approval; the author sees the edited text and the
   * log keeps the text before. 409 `stale` when `version` is not the question's, and the
   * refusals of `beginEdit`.
   */
  async edit(eventId: number, member: Member, questionId: number, text: string, version: number): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const now = this.deps.now();
    const before = await this.find(eventId, questionId);
    const [changed] = await QuestionRow.update(
      { question_text: text, version: version + 1, editing_by: null, editing_until: null },
      {
        where: { id: questionId, event_id: eventId, status: QuestionStatus.pending, archived_at: null, version, ...this.free(member, now) },
      },
    );
    const row = await this.find(eventId, questionId);
    if (changed === 0) throw row.version !== version ? new AppError(409, ErrorCode.stale) : this.whyNot(row, member, now);
    return this.changed(eventId, member, toQuestion(row), ModerationLogAction.editQuestion, before.question_text);
  }

  /** Files a question under a topic (null clears it), for filtering the queue and the board. */
  async label(eventId: number, member: Member, questionId: number, label: string | null): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const row = await this.find(eventId, questionId);
    await row.update({ label });
    return this.changed(eventId, member, toQuestion(row), ModerationLogAction.label, label ?? '');
  }

  /**
   * A ban's sweep: rejects the person's pending questions and archives the others, so none is
   * offered for approval or shown again. The ids of the questions changed.
   */
  async removeAllOf(eventId: number, userId: number, moderatorId: number): Promise<number[]> {
    const rows = await QuestionRow.findAll({ attributes: ['id', 'status'], where: { event_id: eventId, user_id: userId, archived_at: null } });
    const pending = rows.filter((row) => row.status === QuestionStatus.pending).map((row) => row.id);
    const others = rows.filter((row) => row.status !== QuestionStatus.pending).map((row) => row.id);
    if (pending.length) await QuestionRow.update({ status: QuestionStatus.rejected, moderated_by: moderatorId }, { where: { id: pending } });
    if (others.length) await QuestionRow.update({ archived_at: storedTime(this.deps.now()) }, { where: { id: others } });
    return rows.map((row) => row.id);
  }

  /** The question as stored now, for every room's state after a sweep. */
  async current(questionIds: number[]): Promise<Question[]> {
    if (questionIds.length === 0) return [];
    return (await QuestionRow.findAll({ where: { id: questionIds } })).map(toQuestion);
  }

  /** Not held by another moderator's edit at `now`. */
  private free(member: Member, now: number): WhereOptions<QuestionRow> {
    return { [Op.or]: [{ editing_by: null }, { editing_by: member.id }, { editing_until: { [Op.lte]: new Date(now) } }] };
  }

  /** Why a question did not move: archived, held by another moderator's edit, or not in the expected state. */
  private whyNot(row: QuestionRow, member: Member, now: number): AppError {
    if (row.archived_at != null) return new AppError(409, ErrorCode.questionArchived);
    const heldByOther = row.editing_by != null && row.editing_by !== member.id && row.editing_until != null && new Date(row.editing_until).getTime() > now;
    if (heldByOther && row.status === QuestionStatus.pending) return new AppError(409, ErrorCode.questionBeingEdited);
    return new AppError(409, ErrorCode.invalidState);
  }

  /** Logs a change of text, label or archiving and shows the question as it now is to those who see it. */
  private async changed(eventId: number, member: Member, question: Question, action: ModerationLogAction, detail?: string): Promise<Question> {
    await recordModeration({ eventId, actorId: member.id, action, targetUserId: question.user_id, targetId: question.id, detail });
    const audience = this.audienceOf(question);
    const shown = audience.kind === 'everyone' ? publicQuestion(question) : question;
    await this.publish(eventId, audience, question, { type: 'question_changed', question: shown });
    return question;
  }

  /** Everyone sees a public question; a pending or rejected one reaches the moderators and its author. */
  private audienceOf(question: Question): Audience {
    return isPublicStatus(question.status) ? { kind: 'everyone' } : { kind: 'moderators_and_user', userId: question.user_id };
  }

  /** The speaker answered it on stage. */
  async markRead(eventId: number, member: Member, questionId: number): Promise<Question> {
    if (!isStaffRole(member.role)) throw forbidden();
    const question = await this.transition(eventId, questionId, member, QuestionStatus.approved, {
      status: QuestionStatus.read,
      read_at: storedTime(this.deps.now()),
    });
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.read, targetUserId: question.user_id, targetId: question.id });
    await this.publishStatus(eventId, question);
    return question;
  }

  /** One vote per attendee on an approved question; everyone sees the new count. */
  async upvote(eventId: number, member: Member, questionId: number): Promise<{ id: number; upvotes: number }> {
    if (member.role !== Role.attendee) throw forbidden();
    const row = await this.find(eventId, questionId);
    if (row.status !== QuestionStatus.approved) throw new AppError(409, ErrorCode.invalidState);
    return this.inTurn(row.id, () => this.countVote(eventId, row.id, member.id));
  }

  /**
   * Runs the votes of one question one after another, so the counts this process publishes
   * only go up: a newer count never arrives before an older one.
   */
  private inTurn<T>(questionId: number, task: () => Promise<T>): Promise<T> {
    const previous = this.votingTurns.get(questionId) ?? Promise.resolve();
    const run = previous.then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.votingTurns.set(questionId, settled);
    void settled.then(() => {
      if (this.votingTurns.get(questionId) === settled) this.votingTurns.delete(questionId);
    });
    return run;
  }

  private async countVote(eventId: number, questionId: number, userId: number): Promise<{ id: number; upvotes: number }> {
    try {
      await QuestionVoteRow.create({ question_id: questionId, user_id: userId });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError(409, ErrorCode.alreadyVoted);
      throw error;
    }
    // The count is taken from the votes themselves, so it needs no transaction (on SQLite one
    // would run on a connection of its own and stall under a burst of votes) and a count left
    // behind by a failure here is mended by the next vote.
    await this.deps.db.sequelize.query(
      'UPDATE questions SET upvotes = (SELECT COUNT(*) FROM question_votes WHERE question_id = ?) WHERE id = ?',
      { replacements: [questionId, questionId], type: QueryTypes.UPDATE },
    );
    const counted = await QuestionRow.findByPk(questionId, { attributes: ['upvotes'] });
    const upvotes = counted!.upvotes;
    await this.deps.bus.publish({
      kind: 'broadcast',
      eventId,
      audience: { kind: 'everyone' },
      message: { type: 'question_votes', id: questionId, upvotes },
    });
    return { id: questionId, upvotes };
  }

  /** Puts an approved (or already read) question on the big screen, or clears it with null. */
  async highlight(eventId: number, member: Member, questionId: number | null): Promise<{ id: number | null }> {
    if (!isStaffRole(member.role)) throw forbidden();
    if (questionId !== null) {
      const row = await this.find(eventId, questionId);
      if (row.status !== QuestionStatus.approved && row.status !== QuestionStatus.read) {
        throw new AppError(409, ErrorCode.invalidState);
      }
    }
    // The log doubles as the store of the highlight, so a room opened later restores it.
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.highlight, targetId: questionId });
    await this.deps.bus.publish({
      kind: 'broadcast',
      eventId,
      audience: { kind: 'everyone' },
      message: { type: 'question_highlighted', id: questionId },
    });
    return { id: questionId };
  }

  private async find(eventId: number, questionId: number): Promise<QuestionRow> {
    const row = await QuestionRow.findOne({ where: { id: questionId, event_id: eventId } });
    if (!row) throw new AppError(404, ErrorCode.questionNotFound);
    return row;
  }

  /**
   * Moves a question on only from the status `from`, unarchived and not held by another
   * moderator's edit; the WHERE makes racing moderators safe.
   */
  private async transition(
    eventId: number,
    questionId: number,
    member: Member,
    from: QuestionStatus,
    changes: Partial<Pick<QuestionRow, 'status' | 'moderated_by' | 'approved_at' | 'read_at'>>,
  ): Promise<Question> {
    const now = this.deps.now();
    const [changed] = await QuestionRow.update(
      { ...changes, editing_by: null, editing_until: null },
      { where: { id: questionId, event_id: eventId, status: from, archived_at: null, ...this.free(member, now) } },
    );
    const row = await this.find(eventId, questionId);
    if (changed === 0) throw this.whyNot(row, member, now);
    return toQuestion(row);
  }

  private publishStatus(eventId: number, question: Question, reason?: string) {
    return this.publish(eventId, { kind: 'staff_and_user', userId: question.user_id }, question, {
      type: 'question_updated',
      id: question.id,
      status: question.status,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  private publish(eventId: number, audience: Audience, question: Question, message: ServerMessage) {
    return this.deps.bus.publish({ kind: 'broadcast', eventId, audience, message, question });
  }
}
