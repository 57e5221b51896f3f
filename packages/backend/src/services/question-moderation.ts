import { Op, type WhereOptions } from 'sequelize';
import {
  approvedQuestionMessage,
  ErrorCode,
  questionMessage,
  isModeratorRole,
  ModerationLogAction,
  Limits,
  publicQuestion,
  QuestionStatus,
  WebhookTopic,
  type Question,
  type ServerMessage,
} from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { QuestionRow } from '../db/models.js';
import { AppError } from '../errors.js';
import type { Audience } from '../bus/bus.js';
import type { Member } from './member.js';
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

export const forbidden = () => new AppError(403, ErrorCode.forbidden);

/**
 * A question's moderation depth: typed answers, archive and restore, edits with versions,
 * labels and approve-all, and the lookups and broadcasts every Q&A change shares.
 * QuestionService (services/questions.ts) adds the queue itself: ask, approve, reject, read, votes.
 */
export abstract class QuestionModeration {
  constructor(protected readonly deps: QuestionDeps) {}

  /** Approves one pending question (QuestionService.approve). */
  abstract approve(eventId: number, member: Member, questionId: number): Promise<Question>;

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

  /** Not held by another moderator's edit at `now`. */
  protected free(member: Member, now: number): WhereOptions<QuestionRow> {
    return { [Op.or]: [{ editing_by: null }, { editing_by: member.id }, { editing_until: { [Op.lte]: new Date(now) } }] };
  }

  /** Why a question did not move: archived, held by another moderator's edit, or not in the expected state. */
  protected whyNot(row: QuestionRow, member: Member, now: number): AppError {
    if (row.archived_at != null) return new AppError(409, ErrorCode.questionArchived);
    const heldByOther = row.editing_by != null && row.editing_by !== member.id && row.editing_until != null && new Date(row.editing_until).getTime() > now;
    if (heldByOther && row.status === QuestionStatus.pending) return new AppError(409, ErrorCode.questionBeingEdited);
    return new AppError(409, ErrorCode.invalidState);
  }

  /** Logs a change of text, label or archiving and shows the question as it now is to those who see it. */
  protected async changed(eventId: number, member: Member, question: Question, action: ModerationLogAction, detail?: string): Promise<Question> {
    await recordModeration({ eventId, actorId: member.id, action, targetUserId: question.user_id, targetId: question.id, detail });
    const audience = this.audienceOf(question);
    const shown = audience.kind === 'everyone' ? publicQuestion(question) : question;
    await this.publish(eventId, audience, question, { type: 'question_changed', question: shown });
    return question;
  }

  /** Everyone sees a public question; a pending or rejected one reaches the moderators and its author. */
  protected audienceOf(question: Question): Audience {
    return isPublicStatus(question.status) ? { kind: 'everyone' } : { kind: 'moderators_and_user', userId: question.user_id };
  }

  protected async find(eventId: number, questionId: number): Promise<QuestionRow> {
    const row = await QuestionRow.findOne({ where: { id: questionId, event_id: eventId } });
    if (!row) throw new AppError(404, ErrorCode.questionNotFound);
    return row;
  }

  protected publish(eventId: number, audience: Audience, question: Question, message: ServerMessage) {
    return this.deps.bus.publish({ kind: 'broadcast', eventId, audience, message, question });
  }
}
