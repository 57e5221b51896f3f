import { describe, expect, it } from 'vitest';
import type { Question } from './models.js';
import { approvedQuestionMessage, questionDefaults, pendingQuestionMessage, questionFromMessage, questionMessage } from './question-messages.js';

const stored: Question = {
  id: 4,
  user_id: 9,
  user_name: 'Lucía',
  question: '¿Habrá grabación?',
  status: 'pending',
  upvotes: 0,
  created_at: '2026-05-02T10:00:00.000Z',
  approved_at: null,
  read_at: null,
  moderated_by: null,
  ...questionDefaults,
};

describe('the question messages', () => {
  it('give a moderator back the pending question the server stored', () => {
    expect(questionFromMessage(pendingQuestionMessage(stored))).toEqual(stored);
  });

  it('give an attendee back the approved question, votes and approval time included', () => {
    const approved: Question = { ...stored, status: 'approved', upvotes: 3, approved_at: '2026-05-02T10:05:00.000Z', moderated_by: 2 };
    expect(questionFromMessage(approvedQuestionMessage(approved), stored)).toEqual({ ...approved, moderated_by: null });
    expect(questionFromMessage(approvedQuestionMessage(approved))).toEqual({ ...approved, moderated_by: null });
  });

  it('announce pending and approved questions only', () => {
    expect(questionMessage(stored)?.type).toBe('pending_question');
    expect(questionMessage({ ...stored, status: 'approved', approved_at: stored.created_at })?.type).toBe('approved_question');
    expect(questionMessage({ ...stored, status: 'read' })).toBeNull();
    expect(questionMessage({ ...stored, status: 'rejected' })).toBeNull();
  });
});
