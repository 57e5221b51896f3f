import { Op } from 'sequelize';
import {
  Limits,
  ModerationLogAction,
  PollStatus,
  QuestionStatus,
  publicQuestion,
  type ChatMessage,
  type Poll,
  type PollResults,
  type Question,
  type ServerMessage,
} from '@palco/sdk/protocol';
import type { Audience } from '../bus/bus.js';
import { Batcher } from '../db/batcher.js';
import { ChatMessageRow, HeldChatRow, ModerationActionRow, PollRow, QuestionRow, QuestionVoteRow } from '../db/models.js';
import { publicPoll, tally, toPoll } from '../polls/tally.js';
import { toChatMessage, toQuestion } from '../services/serialize.js';
import type { Member } from '../services/member.js';
import type { AudienceClass } from './connection.js';

/** Deleting a message keeps the welcome full: the room remembers more than it shows. */
const chatKept = Limits.welcomeChatCount * 2;

const isPublic = (question: Question) =>
  (question.status === QuestionStatus.approved || question.status === QuestionStatus.read) && !question.archived_at;

/**
 * What a newcomer's welcome holds for one event: recent chat, the questions, the highlighted
 * one. Loaded once when the room opens, then kept current from the broadcasts the room
 * delivers, so a join costs no query for it and the welcome plus the frames that follow it
 * miss nothing and repeat nothing.
 */
export class RoomState {
  private chat: ChatMessage[] = [];
  private readonly questions = new Map<number, Question>();
  private highlightedId: number | null = null;
  /** Serialized parts of the welcome, built at most once per change. */
  private chatJson: string | null = null;
  private publicQuestionsJson: string | null = null;
  private allQuestionsJson: string | null = null;
  /** Polls and their latest results, in the staff's version and in the attendees'. */
  private readonly polls = { staff: new Map<number, Poll>(), attendee: new Map<number, Poll>() };
  private readonly results = { staff: new Map<number, PollResults>(), attendee: new Map<number, PollResults>() };
  private pollsJson: { staff: string | null; attendee: string | null } = { staff: null, attendee: null };
  /** A chat message of the event was held for review: one was waiting at load, or one was announced since. */
  private heldChatSeen = false;

  static async load(eventId: number): Promise<RoomState> {
    const state = new RoomState();
    const [chat, questions, highlight, polls, held] = await Promise.all([
      ChatMessageRow.findAll({
        where: { event_id: eventId, deleted_at: null },
        order: [['id', 'DESC']],
        limit: chatKept,
      }),
      QuestionRow.findAll({ where: { event_id: eventId }, order: [['id', 'ASC']] }),
      ModerationActionRow.findOne({
        where: { event_id: eventId, action: ModerationLogAction.highlight },
        order: [['id', 'DESC']],
      }),
      PollRow.findAll({ where: { event_id: eventId }, order: [['id', 'ASC']] }),
      HeldChatRow.findOne({ attributes: ['id'], where: { event_id: eventId, status: 'held' } }),
    ]);
    state.heldChatSeen = held !== null;
    await state.loadPolls(polls.map(toPoll));
    state.chat = chat.reverse().map(toChatMessage);
    for (const row of questions) state.questions.set(row.id, toQuestion(row));
    const highlighted = highlight?.target_id == null ? null : state.questions.get(highlight.target_id);
    state.highlightedId = highlighted && isPublic(highlighted) ? highlighted.id : null;
    return state;
  }

  private async loadPolls(polls: Poll[]) {
    const sequelize = PollRow.sequelize!;
    for (const poll of polls) {
      this.polls.staff.set(poll.id, poll);
      if (poll.status === PollStatus.draft) continue;
      this.polls.attendee.set(poll.id, publicPoll(poll));
      this.results.staff.set(poll.id, await tally(sequelize, poll, true));
      if (poll.results_visible) this.results.attendee.set(poll.id, await tally(sequelize, poll, false));
    }
  }

  get highlighted(): number | null {
    return this.highlightedId;
  }

  hasChat(id: number): boolean {
    return this.chat.some((chat) => chat.id === id);
  }

  question(id: number): Question | undefined {
    return this.questions.get(id);
  }

  /** Ids of the questions anyone may see: the only ones that take votes. */
  publicQuestionIds(): number[] {
    return [...this.questions.values()].filter(isPublic).map((question) => question.id);
  }

  /** Takes in one delivered broadcast. Every change is idempotent, so a repeat does no harm. */
  apply(message: ServerMessage, question?: Question, audience?: Audience) {
    if (question) this.setQuestion(question);
    const side = audience?.kind === 'attendees' ? 'attendee' : 'staff';
    switch (message.type) {
      case 'poll':
        this.polls[side].set(message.poll.id, message.poll);
        if (side === 'attendee' && !message.poll.results_visible) this.results.attendee.delete(message.poll.id);
        this.pollsJson[side] = null;
        return;
      case 'poll_results': {
        const { type: _type, ...results } = message;
        this.results[side].set(results.id, results);
        this.pollsJson[side] = null;
        return;
      }
      case 'poll_deleted':
        for (const map of [this.polls.staff, this.polls.attendee, this.results.staff, this.results.attendee]) map.delete(message.id);
        this.pollsJson = { staff: null, attendee: null };
        return;
      case 'chat': {
        const { type: _type, ...chat } = message;
        // Ids follow the writes, not the arrival (another process's message may come late):
        // the list stays in id order and takes each message once.
        let index = this.chat.length;
        while (index > 0 && this.chat[index - 1]!.id > chat.id) index -= 1;
        if (this.chat[index - 1]?.id === chat.id || (index === 0 && this.chat.length >= chatKept)) return;
        this.chat.splice(index, 0, chat);
        if (this.chat.length > chatKept) this.chat.splice(0, this.chat.length - chatKept);
        this.chatJson = null;
        return;
      }
      case 'chat_deleted':
        return this.dropChat([message.id]);
      case 'user_content_removed':
        return this.dropChat(message.chat_ids);
      case 'question_votes': {
        const known = this.questions.get(message.id);
        if (known && known.upvotes !== message.upvotes) this.setQuestion({ ...known, upvotes: message.upvotes });
        return;
      }
      case 'question_highlighted':
        this.highlightedId = message.id;
        return;
      case 'held_chat':
        this.heldChatSeen = true;
        return;
      default:
        return;
    }
  }

  private dropChat(ids: number[]) {
    const gone = new Set(ids);
    const before = this.chat.length;
    this.chat = this.chat.filter((chat) => !gone.has(chat.id));
    if (this.chat.length !== before) this.chatJson = null;
  }

  /**
   * Whether the event has a poll: an attendee's answers can only be to one of them, so a
   * newcomer's welcome reads none while it has not (a read per admission under a join storm).
   */
  get hasPolls(): boolean {
    return this.polls.staff.size > 0;
  }

  /** Whether a held chat message may be waiting: while none was ever held, an attendee's welcome reads none. */
  get mayHoldChat(): boolean {
    return this.heldChatSeen;
  }

  /** The last chat messages, oldest first, as JSON. */
  chatForWelcome(): string {
    this.chatJson ??= JSON.stringify(this.chat.slice(-Limits.welcomeChatCount));
    return this.chatJson;
  }

  /**
   * The questions one member sees, as JSON: approved and read ones (anonymous ones without
   * their author); every one for moderators; an attendee's own ones too, whatever their status.
   */
  questionsForWelcome(member: Member, audienceClass: AudienceClass): string {
    if (audienceClass === 'moderator') {
      this.allQuestionsJson ??= JSON.stringify([...this.questions.values()]);
      return this.allQuestionsJson;
    }
    const own = audienceClass === 'attendee'
      ? [...this.questions.values()].filter((question) => question.user_id === member.id && !isPublic(question))
      : [];
    if (own.length === 0) {
      this.publicQuestionsJson ??= JSON.stringify([...this.questions.values()].filter(isPublic).map(publicQuestion));
      return this.publicQuestionsJson;
    }
    const visible = [...this.questions.values()]
      .filter((question) => isPublic(question) || question.user_id === member.id)
      .map((question) => (question.user_id === member.id ? question : publicQuestion(question)));
    return JSON.stringify(visible);
  }

  /** `"polls":[…],"poll_results":[…]` of a welcome, as JSON, built once per change for each side. */
  pollsForWelcome(audienceClass: AudienceClass): string {
    const side = audienceClass === 'attendee' ? 'attendee' : 'staff';
    this.pollsJson[side] ??= `"polls":${JSON.stringify([...this.polls[side].values()])},"poll_results":${JSON.stringify([...this.results[side].values()])}`;
    return this.pollsJson[side];
  }

  private setQuestion(question: Question) {
    this.questions.set(question.id, question);
    this.publicQuestionsJson = null;
    this.allQuestionsJson = null;
    if (this.highlightedId === question.id && !isPublic(question)) this.highlightedId = null;
  }
}

export interface VotesWanted {
  userId: number;
  /** The questions that take votes (the public ones of the user's event). */
  questionIds: number[];
}

export type VoteReads = Batcher<VotesWanted, number[]>;

/** Attendees per read, well under both databases' limits on placeholders. */
const maxVoteReadsPerQuery = 200;

/**
 * Which of the questions each newcomer already voted for, for the welcome: attendees who
 * connect together cost one query; the lists keep the unique (question_id, user_id) index in use.
 */
export function voteReads(): VoteReads {
  return new Batcher(async (wanted) => {
    const votes = await QuestionVoteRow.findAll({
      attributes: ['question_id', 'user_id'],
      where: {
        user_id: { [Op.in]: [...new Set(wanted.map((one) => one.userId))] },
        question_id: { [Op.in]: [...new Set(wanted.flatMap((one) => one.questionIds))] },
      },
      raw: true,
    });
    const votedBy = new Map<number, number[]>();
    for (const vote of votes) votedBy.set(vote.user_id, [...(votedBy.get(vote.user_id) ?? []), vote.question_id]);
    return wanted.map(({ userId, questionIds }) => {
      const asked = new Set(questionIds);
      return { status: 'fulfilled', value: (votedBy.get(userId) ?? []).filter((id) => asked.has(id)) };
    });
  }, maxVoteReadsPerQuery);
}
