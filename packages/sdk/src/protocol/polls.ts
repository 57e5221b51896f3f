import * as v from 'valibot';
import { id, ref } from './fields.js';
import { humanText } from './human-text.js';

/** What a poll asks for (docs/protocol.md "Polls, quizzes and reactions"). */
export const PollKind = {
  single: 'single',
  multiple: 'multiple',
  /** 1 to 5; results carry the average. */
  rating: 'rating',
  /** Up to `PollLimits.wordsPerVote` short answers, counted once normalised. */
  wordCloud: 'word_cloud',
  /** Free text that staff approve before anyone else sees it. */
  openText: 'open_text',
  /** Choice with correct answers, scored on correctness and speed. */
  quiz: 'quiz',
} as const;
export type PollKind = (typeof PollKind)[keyof typeof PollKind];
export const pollKinds = Object.values(PollKind) as readonly PollKind[];

/** Kinds answered with `choices`: they have options. */
export const choiceKinds: ReadonlySet<PollKind> = new Set([PollKind.single, PollKind.multiple, PollKind.quiz]);

/** `draft` → `open` → `closed`, never back. */
export const PollStatus = { draft: 'draft', open: 'open', closed: 'closed' } as const;
export type PollStatus = (typeof PollStatus)[keyof typeof PollStatus];

/** An open-text answer waits for staff before attendees may see it. */
export const AnswerStatus = { pending: 'pending', approved: 'approved', rejected: 'rejected' } as const;
export type AnswerStatus = (typeof AnswerStatus)[keyof typeof AnswerStatus];

/** The six reactions an attendee may send (`react {emoji}`). */
export const reactionEmoji = ['👏', '❤️', '😂', '😮', '🎉', '👍'] as const;
export type ReactionEmoji = (typeof reactionEmoji)[number];

export const PollLimits = {
  questionMax: 300,
  optionMax: 120,
  optionsMin: 2,
  optionsMax: 50,
  wordsPerVote: 3,
  wordMax: 40,
  textMax: 500,
  ratingMin: 1,
  ratingMax: 5,
  timeLimitMinS: 5,
  timeLimitMaxS: 600,
  /** Rows of a quiz leaderboard. */
  leaderboardSize: 10,
  /** Poll results frames of one poll a socket receives, at most, per second. */
  resultsPerSecond: 2,
  /** How often the reactions of an event are sent, in ms: one `reactions` frame per window. */
  reactionsWindowMs: 500,
  /** Reactions one attendee may send per `reactionsPerS` seconds before `rate_limited`. */
  reactionsPerAttendee: 10,
  reactionsPerS: 5,
} as const;

export interface PollOption {
  id: number;
  text: string;
}

/**
 * A poll as members see it. `correct` (option ids) is known to staff from the start and to
 * attendees once the quiz closed; `max_choices` bounds a `multiple` vote; `time_limit_s`
 * bounds a quiz answer from `opened_at`.
 */
export interface Poll {
  id: number;
  event_id: number;
  kind: PollKind;
  question: string;
  options: PollOption[];
  status: PollStatus;
  results_visible: boolean;
  max_choices?: number;
  time_limit_s?: number;
  correct?: number[];
  opened_at: string | null;
  closed_at: string | null;
  created_at: string;
}

/** One member's answer to one poll: in the vote's ack and in `welcome.my_votes`. */
export interface PollVote {
  poll_id: number;
  choices?: number[];
  rating?: number;
  /** As counted: normalised, blocked words left out. */
  words?: string[];
  text?: string;
  /** Open text: whether staff let others see it. */
  answer_status?: AnswerStatus;
  /** Quiz: whether the choices were the correct ones, and the points they earned. */
  correct?: boolean;
  score?: number;
  created_at: string;
}

export interface PollAnswer {
  id: number;
  text: string;
  /** Staff only: attendees receive approved answers alone. */
  status?: AnswerStatus;
}

export interface LeaderboardEntry {
  user_id: number;
  name: string;
  score: number;
  /** Milliseconds from the quiz opening to the answer. */
  answer_ms: number;
}

/** The totals of one poll. Which fields are present depends on the kind. */
export interface PollResults {
  id: number;
  total: number;
  options?: Array<{ id: number; count: number }>;
  words?: Array<{ word: string; count: number }>;
  /** Rating: the mean of every vote, null before the first one. */
  average?: number | null;
  answers?: PollAnswer[];
  /** Quiz, once closed: the best scores, highest first. */
  leaderboard?: LeaderboardEntry[];
}

/**
 * A poll saved by an administrator to be used again in any event (docs/protocol.md "Poll
 * templates"). `correct` holds indexes into `options`, as in `poll_create`.
 */
export interface PollTemplate {
  id: number;
  kind: PollKind;
  question: string;
  options: string[];
  correct?: number[];
  max_choices?: number;
  time_limit_s?: number;
  created_by: number;
  created_at: string;
}

/* ------------------------------------------------------------------ client → server */

/** A whole number from `min` to `max`, named too_small / too_large past either end. */
const wholeNumber = (min: number, max: number) =>
  v.pipe(v.number('invalid_type'), v.safeInteger('invalid_type'), v.minValue(min, 'too_small'), v.maxValue(max, 'too_large'));

const pollFields = {
  question: humanText(PollLimits.questionMax),
  options: v.optional(
    v.pipe(
      v.array(humanText(PollLimits.optionMax), 'invalid_type'),
      v.minLength(PollLimits.optionsMin, 'too_few_options'),
      v.maxLength(PollLimits.optionsMax, 'too_many_options'),
    ),
  ),
  /** Indexes into `options` of the correct answers of a quiz. */
  correct: v.optional(
    v.pipe(
      v.array(v.pipe(v.number('invalid_type'), v.safeInteger('invalid_type'), v.minValue(0, 'invalid_type')), 'invalid_type'),
      v.minLength(1, 'required'),
      v.maxLength(PollLimits.optionsMax, 'too_long'),
    ),
  ),
  max_choices: v.optional(wholeNumber(1, PollLimits.optionsMax)),
  time_limit_s: v.optional(wholeNumber(PollLimits.timeLimitMinS, PollLimits.timeLimitMaxS)),
};

/** `POST /api/events/{slug}/poll-templates`: which of the event's polls to save as a template. */
export const PollTemplateFromPollInput = v.object({ poll_id: id });

export const PollDraftSchema = v.object({ kind: v.picklist(pollKinds, 'invalid_kind'), ...pollFields });
export type PollDraft = v.InferOutput<typeof PollDraftSchema>;

/** The socket commands of polls and reactions; merged into ClientMessageSchema. */
export const pollClientMessages = [
  v.object({ type: v.literal('poll_create'), ref, kind: v.picklist(pollKinds, 'invalid_kind'), ...pollFields }),
  v.object({
    type: v.literal('poll_update'),
    ref,
    id,
    question: v.optional(pollFields.question),
    options: pollFields.options,
    correct: pollFields.correct,
    max_choices: pollFields.max_choices,
    time_limit_s: pollFields.time_limit_s,
  }),
  v.object({ type: v.literal('poll_open'), ref, id }),
  v.object({ type: v.literal('poll_close'), ref, id }),
  /** `visible` false hides the results from attendees again; defaults to true. */
  v.object({ type: v.literal('poll_reveal'), ref, id, visible: v.optional(v.boolean('invalid_type'), true) }),
  v.object({ type: v.literal('poll_delete'), ref, id }),
  /** Exactly one of the answer fields, the one the poll's kind takes. */
  v.object({
    type: v.literal('poll_vote'),
    ref,
    id,
    choices: v.optional(v.pipe(v.array(id, 'invalid_type'), v.minLength(1, 'required'), v.maxLength(PollLimits.optionsMax, 'too_long'))),
    rating: v.optional(wholeNumber(PollLimits.ratingMin, PollLimits.ratingMax)),
    words: v.optional(
      v.pipe(
        v.array(humanText(PollLimits.wordMax), 'invalid_type'),
        v.minLength(1, 'required'),
        v.maxLength(PollLimits.wordsPerVote, 'too_many_words'),
      ),
    ),
    text: v.optional(humanText(PollLimits.textMax)),
  }),
  /** Staff let an open-text answer be seen, or keep it back. `id` is the answer's. */
  v.object({
    type: v.literal('poll_answer_review'),
    ref,
    id,
    status: v.picklist([AnswerStatus.approved, AnswerStatus.rejected], 'invalid_status'),
  }),
  v.object({ type: v.literal('react'), ref, emoji: v.picklist(reactionEmoji, 'invalid_emoji') }),
] as const;

/** The answer of a `poll_vote`: the one field the poll's kind takes. */
export type PollAnswerInput = { choices: number[] } | { rating: number } | { words: string[] } | { text: string };
export type PollDraftInput = v.InferInput<typeof PollDraftSchema>;
export type PollChangesInput = Partial<Omit<PollDraftInput, 'kind'>>;

/** What `GET /api/events/{slug}/polls` answers, and what a welcome holds of the polls. */
export interface PollsSnapshot {
  polls: Poll[];
  poll_results: PollResults[];
  my_votes: PollVote[];
}

/* ------------------------------------------------------------------ server → client */

/** A poll was created, changed, opened, closed or revealed. Nobody's own vote is in it. */
export interface PollMessage {
  type: 'poll';
  poll: Poll;
}
export interface PollDeletedMessage {
  type: 'poll_deleted';
  id: number;
}
/** At most `PollLimits.resultsPerSecond` per poll per socket; attendees only once revealed. */
export interface PollResultsMessage extends PollResults {
  type: 'poll_results';
}
/** The reactions of the last window, summed over every process: emoji → count. */
export interface ReactionsMessage {
  type: 'reactions';
  counts: Partial<Record<ReactionEmoji, number>>;
}
