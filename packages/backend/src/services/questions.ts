import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { QueryTypes, UniqueConstraintError } from 'sequelize';
import {
  approvedQuestionMessage,
  ErrorCode,
  isModeratorRole,
  isStaffRole,
  ModerationLogAction,
  pendingQuestionMessage,
  publicQuestion,
  QuestionStatus,
  Role,
  WebhookTopic,
  type Question,
} from '@palco/sdk/protocol';
import { chargedFor } from '../auth/rate-limits.js';
import { QuestionRow, QuestionVoteRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { questionsBlockedNow, type Member } from './member.js';
import { storeOnce } from './client-ids.js';
import { recordModeration } from './moderation-log.js';
import { forbidden, QuestionModeration, type QuestionDeps } from './question-moderation.js';
import { toQuestion } from './serialize.js';
import { storedTime } from './stored-time.js';

/**
 * The Q&A of one event: pending → approved → read, or rejected; any of them archived and
 * restored, a rejected one restored to pending. A change is stored, logged and then
 * broadcast; a change only happens from the state it expects (the WHERE of one UPDATE), so
 * two moderators acting at once cannot both win. An anonymous question's author reaches the
 * moderators and the author alone (`publicQuestion` for everyone else).
 */
export class QuestionService extends QuestionModeration {
  private readonly perMinute: RateLimiterAbstract;
  /** The last vote being counted of each question that has one under way. */
  private readonly votingTurns = new Map<number, Promise<void>>();

  constructor(deps: QuestionDeps) {
    super(deps);
    this.perMinute = deps.makeLimiter({ keyPrefix: 'ask', points: deps.config.rateLimits.questionsPerMinute, duration: 60 });
  }

  /**
   * Stores a question and tells the moderators. With a client id (`cid`) a resend answers
   * with the stored question, and tells the moderators again while it is still pending: the
   * first message may have died with the process that stored it (clients drop repeats).
   */
  async ask(eventId: number, member: Member, text: string, clientId?: string, anonymous = false): Promise<Question> {
    const { row, isNew } = await storeOnce<QuestionRow>((where) => QuestionRow.findOne({ where }), member.id, eventId, clientId, async () => {
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
}
