import * as v from 'valibot';
import type { CloseCode, ErrorCode, QuestionStatus } from './codes.js';
import { humanText } from './human-text.js';
import { Limits } from './limits.js';
import type { ActiveSession, ChatMessage, PublicEvent, Question, SessionUser, UserFlags } from './models.js';

/* ------------------------------------------------------------------ client → server */

const ref = v.optional(
  v.union([v.pipe(v.string(), v.maxLength(64, 'invalid_ref')), v.pipe(v.number(), v.safeInteger('invalid_ref'))], 'invalid_ref'),
);
const id = v.pipe(v.number('invalid_type'), v.safeInteger('invalid_type'), v.minValue(1, 'invalid_type'));

/**
 * A client-chosen id for a chat message or question: the same `cid` from the same user is
 * carried out once, so a request whose ack was lost can be sent again safely.
 */
const cid = v.optional(
  v.pipe(
    v.string('invalid_cid'),
    v.minLength(Limits.clientIdMin, 'invalid_cid'),
    v.maxLength(Limits.clientIdMax, 'invalid_cid'),
    v.regex(Limits.clientIdPattern, 'invalid_cid'),
  ),
);


export const ModerationAction = {
  blockChat: 'chat_blocked',
  blockQuestions: 'qa_blocked',
  ban: 'banned',
} as const;
export type ModerationFlag = (typeof ModerationAction)[keyof typeof ModerationAction];

export const ClientMessageSchema = v.variant(
  'type',
  [
    v.object({ type: v.literal('auth'), ref, token: v.pipe(v.string('invalid_type'), v.maxLength(4096)) }),
    v.object({ type: v.literal('chat'), ref, cid, message: humanText(Limits.chatMax) }),
    v.object({ type: v.literal('ask'), ref, cid, question: humanText(Limits.questionMax) }),
    v.object({ type: v.literal('approve'), ref, id }),
    v.object({ type: v.literal('reject'), ref, id }),
    v.object({ type: v.literal('read'), ref, id }),
    v.object({ type: v.literal('upvote'), ref, id }),
    v.object({ type: v.literal('highlight'), ref, id: v.nullable(id) }),
    v.object({
      type: v.literal('ping'),
      ref,
      /**
       * Milliseconds the page was visible since this socket's previous ping (or its welcome):
       * the watch time this ping claims. Without it a ping keeps nothing but the socket's
       * round trip, and earns no watch time.
       */
      visible_ms: v.optional(
        v.pipe(v.number('invalid_type'), v.safeInteger('invalid_type'), v.minValue(0, 'invalid_type'), v.maxValue(Limits.visibleMsMax, 'invalid_type')),
      ),
    }),
    v.object({ type: v.literal('delete_chat'), ref, id }),
    v.object({
      type: v.literal('moderate'),
      ref,
      user_id: id,
      flag: v.picklist(Object.values(ModerationAction), 'invalid_flag'),
      /** false lifts the flag again; defaults to true. */
      value: v.optional(v.boolean('invalid_type'), true),
    }),
  ],
  'unknown_type',
);
export type ClientMessage = v.InferInput<typeof ClientMessageSchema>;
export type ParsedClientMessage = v.InferOutput<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

/* ------------------------------------------------------------------ server → client */

export interface WelcomeMessage {
  type: 'welcome';
  user: SessionUser;
  event: PublicEvent;
  chat: ChatMessage[];
  /** Approved questions, plus pending ones for moderators. */
  questions: Question[];
  /** Ids of the questions this user has upvoted. */
  voted: number[];
  highlighted: number | null;
  viewers: number;
  /** Milliseconds between heartbeats the server expects. */
  heartbeat_ms: number;
}

export interface ChatServerMessage extends ChatMessage {
  type: 'chat';
}
export interface PendingQuestionMessage {
  type: 'pending_question';
  id: number;
  question: string;
  user_id: number;
  user_name: string;
  created_at: string;
}
export interface ApprovedQuestionMessage {
  type: 'approved_question';
  id: number;
  question: string;
  user_id: number;
  user_name: string;
  upvotes: number;
  created_at: string;
  approved_at: string;
}
export interface QuestionUpdatedMessage {
  type: 'question_updated';
  id: number;
  status: QuestionStatus;
}
export interface QuestionVotesMessage {
  type: 'question_votes';
  id: number;
  upvotes: number;
}
export interface QuestionHighlightedMessage {
  type: 'question_highlighted';
  id: number | null;
}
export interface ActiveSessionsMessage {
  type: 'active_sessions';
  count: number;
  sessions: ActiveSession[];
}
export interface ViewersMessage {
  type: 'viewers';
  count: number;
}
export interface ChatDeletedMessage {
  type: 'chat_deleted';
  id: number;
}
export interface UserUpdatedMessage extends UserFlags {
  type: 'user_updated';
  user_id: number;
}
export interface EventClosedMessage {
  type: 'event_closed';
  message: string;
}
export interface AckMessage {
  type: 'ack';
  ref: string | number;
  id?: number;
  /** The created or changed item, where there is one. */
  data?: unknown;
}
export interface ErrorMessage {
  type: 'error';
  ref?: string | number;
  code: ErrorCode;
  message: string;
  /** rate_limited: seconds to wait. */
  retry_after?: number;
  /** invalid_input: a message per offending field. */
  fields?: Record<string, string>;
}
export interface PongMessage {
  type: 'pong';
  ref?: string | number;
  server_time: string;
}

export type ServerMessage =
  | WelcomeMessage
  | ChatServerMessage
  | PendingQuestionMessage
  | ApprovedQuestionMessage
  | QuestionUpdatedMessage
  | QuestionVotesMessage
  | QuestionHighlightedMessage
  | ActiveSessionsMessage
  | ViewersMessage
  | ChatDeletedMessage
  | UserUpdatedMessage
  | EventClosedMessage
  | AckMessage
  | ErrorMessage
  | PongMessage;
export type ServerMessageType = ServerMessage['type'];
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;

/** A server frame holds one message or a coalesced burst of them. */
export type ServerFrame = ServerMessage | ServerMessage[];

export type { CloseCode };
