import { describe, expect, it } from 'vitest';
import { Limits, QuestionStatus, Role, type ChatMessage, type Question } from '@palco/sdk/protocol';
import type { Member } from '../services/member.js';
import { RoomState } from './room-state.js';

const chat = (id: number): ChatMessage => ({
  id,
  user_id: 1,
  user_name: 'Ana',
  message: `m${id}`,
  timestamp: '10:00',
  created_at: '2026-03-01T10:00:00.000Z',
});

const question = (id: number, status: Question['status'], userId = 1): Question =>
  ({ id, status, question: `q${id}`, user_id: userId, user_name: 'Ana', upvotes: 0, created_at: '2026-03-01T10:00:00.000Z' }) as Question;

const member = (id: number, role: Role): Member => ({ id, name: 'x', role, eventId: 1, chat_blocked: false, qa_blocked: false, banned: false, chat_blocked_until: null, qa_blocked_until: null });

const welcomeChatIds = (state: RoomState) => (JSON.parse(state.chatForWelcome()) as ChatMessage[]).map((message) => message.id);

describe('RoomState.apply', () => {
  it('keeps chat in id order whatever order it arrives in, and takes each message once', () => {
    const state = new RoomState();
    for (const id of [1, 3, 2, 3, 5, 4, 1]) state.apply({ type: 'chat', ...chat(id) });
    expect(welcomeChatIds(state)).toEqual([1, 2, 3, 4, 5]);
  });

  it('shows the last messages in the welcome and remembers twice as many, so deletions keep it full', () => {
    const state = new RoomState();
    const kept = Limits.welcomeChatCount * 2;
    for (let id = 1; id <= kept + 10; id += 1) state.apply({ type: 'chat', ...chat(id) });
    expect(welcomeChatIds(state)).toEqual(Array.from({ length: Limits.welcomeChatCount }, (_, index) => kept + 10 - Limits.welcomeChatCount + 1 + index));
    for (let id = kept + 10; id > kept + 10 - Limits.welcomeChatCount; id -= 1) state.apply({ type: 'chat_deleted', id });
    expect(welcomeChatIds(state)).toHaveLength(Limits.welcomeChatCount);
    expect(state.hasChat(10)).toBe(false);
    expect(state.hasChat(11)).toBe(true);
  });

  it('ignores a late message older than everything a full list remembers', () => {
    const state = new RoomState();
    for (let id = 100; id < 100 + Limits.welcomeChatCount * 2; id += 1) state.apply({ type: 'chat', ...chat(id) });
    state.apply({ type: 'chat', ...chat(5) });
    expect(state.hasChat(5)).toBe(false);
  });

  it('shows attendees the public questions and their own, moderators every one', () => {
    const state = new RoomState();
    state.apply({ type: 'pending_question', id: 1, question: 'q1', user_id: 7, user_name: 'A', created_at: '' }, question(1, QuestionStatus.pending, 7));
    state.apply({ type: 'pending_question', id: 2, question: 'q2', user_id: 8, user_name: 'B', created_at: '' }, question(2, QuestionStatus.pending, 8));
    state.apply({ type: 'question_updated', id: 3, status: QuestionStatus.approved }, question(3, QuestionStatus.approved, 8));
    const ids = (json: string) => (JSON.parse(json) as Question[]).map((one) => one.id);
    expect(ids(state.questionsForWelcome(member(7, Role.viewer), 'attendee'))).toEqual([1, 3]);
    expect(ids(state.questionsForWelcome(member(9, Role.viewer), 'attendee'))).toEqual([3]);
    expect(ids(state.questionsForWelcome(member(4, Role.moderator), 'moderator'))).toEqual([1, 2, 3]);
    expect(state.publicQuestionIds()).toEqual([3]);
  });

  it('updates votes, and clears the highlight when the highlighted question stops being public', () => {
    const state = new RoomState();
    state.apply({ type: 'question_updated', id: 3, status: QuestionStatus.approved }, question(3, QuestionStatus.approved));
    state.apply({ type: 'question_votes', id: 3, upvotes: 4 });
    expect(state.question(3)?.upvotes).toBe(4);
    state.apply({ type: 'question_highlighted', id: 3 });
    expect(state.highlighted).toBe(3);
    state.apply({ type: 'question_updated', id: 3, status: QuestionStatus.rejected }, question(3, QuestionStatus.rejected));
    expect(state.highlighted).toBeNull();
  });
});
