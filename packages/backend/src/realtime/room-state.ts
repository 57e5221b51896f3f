import { Op } from 'sequelize';
import {
  Limits,
  ModerationLogAction,
  QuestionStatus,
  type ChatMessage,
  type Question,
  type ServerMessage,
} from '@palco/sdk/protocol';
import { Batcher } from '../db/batcher.js';
import { ChatMessageRow, ModerationActionRow, QuestionRow, QuestionVoteRow } from '../db/models.js';
import { toChatMessage, toQuestion } from '../services/serialize.js';
import type { Member } from '../services/member.js';
import type { AudienceClass } from './connection.js';

/** Deleting a message keeps the welcome full: the room remembers more than it shows. */
const chatKept = Limits.welcomeChatCount * 2;

const isPublic = (question: Question) =>
  question.status === QuestionStatus.approved || question.status === QuestionStatus.read;

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

  static async load(eventId: number): Promise<RoomState> {
    const state = new RoomState();
    const [chat, questions, highlight] = await Promise.all([
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
    ]);
    state.chat = chat.reverse().map(toChatMessage);
    for (const row of questions) state.questions.set(row.id, toQuestion(row));
    const highlighted = highlight?.target_id == null ? null : state.questions.get(highlight.target_id);
    state.highlightedId = highlighted && isPublic(highlighted) ? highlighted.id : null;
    return state;
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
  apply(message: ServerMessage, question?: Question) {
    if (question) this.setQuestion(question);
    switch (message.type) {
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
      case 'chat_deleted': {
        const before = this.chat.length;
        this.chat = this.chat.filter((chat) => chat.id !== message.id);
        if (this.chat.length !== before) this.chatJson = null;
        return;
      }
      case 'question_votes': {
        const known = this.questions.get(message.id);
        if (known && known.upvotes !== message.upvotes) this.setQuestion({ ...known, upvotes: message.upvotes });
        return;
      }
      case 'question_highlighted':
        this.highlightedId = message.id;
        return;
      default:
        return;
    }
  }

  /** The last chat messages, oldest first, as JSON. */
  chatForWelcome(): string {
    this.chatJson ??= JSON.stringify(this.chat.slice(-Limits.welcomeChatCount));
    return this.chatJson;
  }

  /**
   * The questions one member sees, as JSON: approved and read ones; every one for moderators;
   * an attendee's own ones too, whatever their status.
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
      this.publicQuestionsJson ??= JSON.stringify([...this.questions.values()].filter(isPublic));
      return this.publicQuestionsJson;
    }
    const visible = [...this.questions.values()].filter((question) => isPublic(question) || question.user_id === member.id);
    return JSON.stringify(visible);
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
