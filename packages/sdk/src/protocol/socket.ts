import * as v from 'valibot';
import type { CloseCode, ErrorCode, ModerationLogAction, QuestionStatus } from './codes.js';
import { id, ref } from './fields.js';
import type { EventState } from './journey.js';
import { humanText } from './human-text.js';
import { Limits } from './limits.js';
import type {
  ActiveSession,
  ChatMessage,
  HeldChat,
  PinnedChat,
  PublicEvent,
  Question,
  Restriction,
  SessionUser,
  TimedUserFlags,
} from './models.js';
import {
  pollClientMessages,
  type Poll,
  type PollDeletedMessage,
  type PollMessage,
  type PollResults,
  type PollResultsMessage,
  type PollVote,
  type ReactionsMessage,
} from './polls.js';

/* ------------------------------------------------------------------ client → server */


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

/** A moderator's reason, shown to the person concerned. */
const reason = v.optional(humanText(Limits.reasonMax));

export const ClientMessageSchema = v.variant(
  'type',
  [
    v.object({ type: v.literal('auth'), ref, token: v.pipe(v.string('invalid_type'), v.maxLength(4096)) }),
    v.object({ type: v.literal('chat'), ref, cid, message: humanText(Limits.chatMax) }),
    v.object({
      type: v.literal('ask'),
      ref,
      cid,
      question: humanText(Limits.questionMax),
      /** Hide the author's name from everyone but the moderators; only where the event allows it. */
      anonymous: v.optional(v.boolean('invalid_type'), false),
    }),
    v.object({ type: v.literal('approve'), ref, id }),
    v.object({ type: v.literal('reject'), ref, id, reason }),
    /** Approves each pending question named (the ones the moderator's filter shows), at most `Limits.approveAllMax`. */
    v.object({
      type: v.literal('approve_all'),
      ref,
      ids: v.pipe(v.array(id, 'invalid_type'), v.minLength(1, 'too_short'), v.maxLength(Limits.approveAllMax, 'too_long')),
    }),
    v.object({ type: v.literal('answer'), ref, id, text: humanText(Limits.answerMax) }),
    v.object({ type: v.literal('archive'), ref, id }),
    v.object({ type: v.literal('restore'), ref, id }),
    /** Keeps a pending question for this moderator for `Limits.editLeaseSeconds`; acked with the question (its `version`). */
    v.object({ type: v.literal('begin_edit'), ref, id }),
    v.object({
      type: v.literal('edit_question'),
      ref,
      id,
      question: humanText(Limits.questionMax),
      version: v.pipe(v.number('invalid_type'), v.safeInteger('invalid_type'), v.minValue(0, 'invalid_type')),
    }),
    v.object({
      type: v.literal('label'),
      ref,
      id,
      /** null clears it. */
      label: v.nullable(humanText(Limits.labelMax)),
    }),
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
    v.object({ type: v.literal('delete_chat'), ref, id, reason }),
    v.object({ type: v.literal('release_chat'), ref, id }),
    v.object({ type: v.literal('reject_chat'), ref, id, reason }),
    /** A chat message's `id` to pin it, or `text` for an announcement; neither (or `id: null`) clears the pin. */
    v.object({
      type: v.literal('pin_chat'),
      ref,
      id: v.optional(v.nullable(id)),
      text: v.optional(humanText(Limits.chatMax)),
    }),
    v.object({
      type: v.literal('moderate'),
      ref,
      user_id: id,
      flag: v.picklist(Object.values(ModerationAction), 'invalid_flag'),
      /** false lifts the flag again; defaults to true. */
      value: v.optional(v.boolean('invalid_type'), true),
      /** A timeout of chat or questions, in seconds (60 to 86 400); without it the block lasts until lifted. */
      duration_s: v.optional(
        v.pipe(
          v.number('invalid_type'),
          v.safeInteger('invalid_type'),
          v.minValue(Limits.timeoutMinSeconds, 'too_small'),
          v.maxValue(Limits.timeoutMaxSeconds, 'too_large'),
        ),
      ),
      reason,
      /** A ban also removes the person's chat messages and pending questions everywhere; on unless false. */
      remove_messages: v.optional(v.boolean('invalid_type')),
    }),
    ...pollClientMessages,
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
  /** What is pinned above the chat (always sent by this server). */
  pinned?: PinnedChat | null;
  /** Moderators: the chat messages awaiting review. Attendees: their own (always sent by this server). */
  held?: HeldChat[];
  /** Moderators only: every current restriction of the event's attendees. */
  restricted?: Restriction[];
  viewers: number;
  /** Milliseconds between heartbeats the server expects. */
  heartbeat_ms: number;
  /** Polls this member may see: every one for staff, all but drafts for attendees. */
  polls: Poll[];
  /** The latest results of the polls whose results this member may see. */
  poll_results: PollResults[];
  /** This member's own answers to the polls of the event. */
  my_votes: PollVote[];
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
  /** The fields below are always sent by this server; a reader of older frames takes their defaults. */
  anonymous?: boolean;
  label?: string | null;
  version?: number;
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
  /** The fields below are always sent by this server; a reader of older frames takes their defaults. */
  anonymous?: boolean;
  label?: string | null;
  version?: number;
  answer?: string | null;
  answered_at?: string | null;
}
export interface QuestionUpdatedMessage {
  type: 'question_updated';
  id: number;
  status: QuestionStatus;
  /** Why a moderator rejected it, for its author. */
  reason?: string;
}
/** `answer`'s result, to everyone who sees the question. */
export interface QuestionAnsweredMessage {
  type: 'question_answered';
  id: number;
  answer: string;
  answered_at: string;
}
/** A question's text, label or archiving changed: the question as the reader may see it. */
export interface QuestionChangedMessage {
  type: 'question_changed';
  question: Question;
}
/** A chat message held for review: to the moderators and its sender. */
export interface HeldChatMessage extends HeldChat {
  type: 'held_chat';
}
/** A held message was released (with its chat id) or rejected (with the reason): to the moderators and its sender. */
export interface HeldChatUpdatedMessage {
  type: 'held_chat_updated';
  id: number;
  status: 'released' | 'rejected';
  chat_id: number | null;
  reason: string | null;
}
export interface ChatPinnedMessage {
  type: 'chat_pinned';
  pinned: PinnedChat | null;
}
/** A ban removed a person's chat messages and questions: screens drop them. */
export interface UserContentRemovedMessage {
  type: 'user_content_removed';
  user_id: number;
  chat_ids: number[];
  question_ids: number[];
}
/** To the person a moderator acted on: what was done and why. */
export interface ModerationNoticeMessage {
  type: 'moderation_notice';
  action: ModerationLogAction;
  reason: string | null;
  /** The chat message or question concerned. */
  target_id: number | null;
  /** The end of a timeout. */
  until: string | null;
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
export interface UserUpdatedMessage extends TimedUserFlags {
  type: 'user_updated';
  user_id: number;
  /** Moderators: the person's current restrictions, for the panel of restricted people. */
  restrictions?: Restriction[];
}
export interface EventClosedMessage {
  type: 'event_closed';
  message: string;
}
/**
 * The event's state changed (docs/journey.md), to every socket of the event: `live` when an
 * administrator starts the broadcast of a scheduled event, `on_demand` when it closes with a
 * replay to follow (the socket stays open, read-only: writes answer `event_on_demand`). An
 * event that ends without a replay sends `event_closed` instead and closes its sockets.
 */
export interface EventStateMessage {
  type: 'event_state';
  state: EventState;
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
  | QuestionAnsweredMessage
  | QuestionChangedMessage
  | HeldChatMessage
  | HeldChatUpdatedMessage
  | ChatPinnedMessage
  | UserContentRemovedMessage
  | ModerationNoticeMessage
  | QuestionVotesMessage
  | QuestionHighlightedMessage
  | ActiveSessionsMessage
  | ViewersMessage
  | ChatDeletedMessage
  | UserUpdatedMessage
  | EventClosedMessage
  | EventStateMessage
  | AckMessage
  | ErrorMessage
  | PongMessage
  | PollMessage
  | PollDeletedMessage
  | PollResultsMessage
  | ReactionsMessage;
export type ServerMessageType = ServerMessage['type'];
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;

/** A server frame holds one message or a coalesced burst of them. */
export type ServerFrame = ServerMessage | ServerMessage[];

export type { CloseCode };
