import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { QueryTypes, UniqueConstraintError } from 'sequelize';
import {
  approvedQuestionMessage,
  ErrorCode,
  isModeratorRole,
  isStaffRole,
  ModerationLogAction,
  pendingQuestionMessage,
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
import type { Member } from './member.js';
import { storeOnce } from './client-ids.js';
import { recordModeration } from './moderation-log.js';
import { toQuestion } from './serialize.js';
import { storedTime } from './stored-time.js';

export type QuestionDeps = Pick<AppDeps, 'bus' | 'makeLimiter' | 'config' | 'webhooks' | 'db' | 'now'>;

const forbidden = () => new AppError(403, ErrorCode.forbidden);

/**
 * The Q&A of one event: pending → approved → read, or rejected. A change is stored, logged
 * and then broadcast; a status change only happens from the status it expects, so two
 * moderators acting at once cannot both win.
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
  async ask(eventId: number, member: Member, text: string, clientId?: string): Promise<Question> {
    const { row, isNew } = await storeOnce<QuestionRow>(QuestionRow, member.id, clientId, () => {
      if (member.qa_blocked) throw new AppError(403, ErrorCode.qaBlocked);
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
        }),
      );
    });
    const question = toQuestion(row);
    if (!isNew && question.status !== QuestionStatus.pending) return question;
    await this.publish(eventId, { kind: 'moderators' }, question, pendingQuestionMessage(question));
    return question;
  }

  async approve(eventId: number, member: Member, questionId: number): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const question = await this.transition(eventId, questionId, QuestionStatus.pending, {
      status: QuestionStatus.approved,
      moderated_by: member.id,
      approved_at: storedTime(this.deps.now()),
    });
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.approve, targetUserId: question.user_id, targetId: question.id });
    await this.publish(eventId, { kind: 'everyone' }, question, approvedQuestionMessage(question));
    await this.deps.webhooks.emit(eventId, WebhookTopic.questionApproved, question);
    return question;
  }

  async reject(eventId: number, member: Member, questionId: number): Promise<Question> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const question = await this.transition(eventId, questionId, QuestionStatus.pending, {
      status: QuestionStatus.rejected,
      moderated_by: member.id,
    });
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.reject, targetUserId: question.user_id, targetId: question.id });
    await this.publishStatus(eventId, question);
    return question;
  }

  /** The speaker answered it on stage. */
  async markRead(eventId: number, member: Member, questionId: number): Promise<Question> {
    if (!isStaffRole(member.role)) throw forbidden();
    const question = await this.transition(eventId, questionId, QuestionStatus.approved, {
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

  /** Moves a question on only from the status `from`; the WHERE makes racing moderators safe. */
  private async transition(
    eventId: number,
    questionId: number,
    from: QuestionStatus,
    changes: Partial<Pick<QuestionRow, 'status' | 'moderated_by' | 'approved_at' | 'read_at'>>,
  ): Promise<Question> {
    const [changed] = await QuestionRow.update(changes, { where: { id: questionId, event_id: eventId, status: from } });
    const row = await this.find(eventId, questionId);
    if (changed === 0) throw new AppError(409, ErrorCode.invalidState);
    return toQuestion(row);
  }

  private publishStatus(eventId: number, question: Question) {
    return this.publish(eventId, { kind: 'staff_and_user', userId: question.user_id }, question, {
      type: 'question_updated',
      id: question.id,
      status: question.status,
    });
  }

  private publish(eventId: number, audience: Audience, question: Question, message: ServerMessage) {
    return this.deps.bus.publish({ kind: 'broadcast', eventId, audience, message, question });
  }
}
