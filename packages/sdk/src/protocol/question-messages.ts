import { QuestionStatus } from './codes.js';
import type { Question } from './models.js';
import type { ApprovedQuestionMessage, PendingQuestionMessage } from './socket.js';

/**
 * The one mapping between a stored question and the messages that announce it. The server
 * builds its broadcasts with it, the SDK its catch-up after a reconnect, and the widgets
 * read the messages back into questions with it, so the three never drift apart.
 */

/**
 * The question as everyone but the moderators sees it: an anonymous one without its author
 * (user_id 0, empty name). Moderators see who asked, to moderate.
 */
export function publicQuestion(question: Question): Question {
  return question.anonymous ? { ...question, user_id: 0, user_name: '' } : question;
}

/** `pending_question`: tells moderators about a question that waits for them. */
export function pendingQuestionMessage(question: Question): PendingQuestionMessage {
  const { id, user_id, user_name, created_at, anonymous, label, version } = question;
  return { type: 'pending_question', id, question: question.question, user_id, user_name, created_at, anonymous, label, version };
}

/** `approved_question`: shows everyone a question a moderator let through. */
export function approvedQuestionMessage(question: Question): ApprovedQuestionMessage {
  const { id, user_id, user_name, upvotes, created_at, anonymous, label, version, answer, answered_at } = question;
  return {
    type: 'approved_question',
    id,
    question: question.question,
    user_id,
    user_name,
    upvotes,
    created_at,
    anonymous,
    label,
    version,
    answer,
    answered_at,
    approved_at: question.approved_at ?? created_at,
  };
}

/** The message that announces a question in its status; null for read and rejected ones. */
export function questionMessage(question: Question): PendingQuestionMessage | ApprovedQuestionMessage | null {
  if (question.status === QuestionStatus.pending) return pendingQuestionMessage(question);
  if (question.status === QuestionStatus.approved) return approvedQuestionMessage(question);
  return null;
}

/** What a question is when a message leaves a field out (and what a new question starts with). */
export const questionDefaults = { anonymous: false, label: null, version: 0, answer: null, answered_at: null, archived_at: null } as const;

/**
 * The question a `pending_question` or `approved_question` message describes. `known` is what
 * the reader already had of it (an approval keeps what the pending question said).
 */
export function questionFromMessage(message: PendingQuestionMessage | ApprovedQuestionMessage, known?: Question): Question {
  if (message.type === 'pending_question') {
    const { type: _type, ...pending } = message;
    return { ...questionDefaults, upvotes: 0, approved_at: null, read_at: null, moderated_by: null, ...pending, status: QuestionStatus.pending };
  }
  const { type: _type, ...approved } = message;
  return { ...questionDefaults, read_at: null, moderated_by: null, ...known, ...approved, status: QuestionStatus.approved };
}
