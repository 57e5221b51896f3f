import {
  choiceKinds,
  PollKind,
  type ParsedClientMessage,
  type Poll,
  type PollVote,
} from '@palco/sdk/protocol';
import type { PollVoteRow } from '../db/models.js';
import { invalidInput } from '../errors.js';
import { compileWordFilter, normaliseWord } from '../moderation/index.js';
import { iso } from '../services/serialize.js';

/** An attendee's answer to a poll: each kind's answer field, checked, scored and read back. */

export type VoteCommand = Extract<ParsedClientMessage, { type: 'poll_vote' }>;

export const answerFields = ['choices', 'rating', 'words', 'text'] as const;
type AnswerField = (typeof answerFields)[number];

/** The answer field each kind takes. */
function answerFieldOf(kind: PollKind): AnswerField {
  if (choiceKinds.has(kind)) return 'choices';
  if (kind === PollKind.rating) return 'rating';
  if (kind === PollKind.wordCloud) return 'words';
  return 'text';
}

/** Points of a correct quiz answer: 1000 at once, down to 500 at the end of the window. */
export function quizScore(answerMs: number, windowMs: number): number {
  return Math.round(500 + 500 * Math.max(0, 1 - answerMs / windowMs));
}

/**
 * The words of one answer as a cloud takes them: each once, as its normalised form
 * (`normaliseWord`: case, accents, spaces) tells words apart, without blocked words (the
 * default Spanish and English lists; an event's own list joins them here once events carry
 * one), and spelled in lower case with their accents, so the cloud reads "útil", not "util".
 */
export function cloudWords(words: readonly string[]): string[] {
  const filter = compileWordFilter();
  const kept = new Map<string, string>();
  for (const word of words) {
    const key = normaliseWord(word);
    if (key.length === 0 || kept.has(key) || filter.match(key).matched) continue;
    kept.set(key, word.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('es'));
  }
  return [...kept.values()];
}

/** The vote as its author sees it. */
export function toPollVote(row: PollVoteRow): PollVote {
  const vote: PollVote = { poll_id: row.poll_id, created_at: iso(row.created_at) };
  if (row.choices != null) vote.choices = JSON.parse(row.choices) as number[];
  if (row.rating != null) vote.rating = row.rating;
  if (row.words != null) vote.words = JSON.parse(row.words) as string[];
  if (row.text != null) vote.text = row.text;
  if (row.answer_status != null) vote.answer_status = row.answer_status;
  if (row.correct != null) vote.correct = Boolean(row.correct);
  if (row.score != null) vote.score = row.score;
  return vote;
}

/** The answer the poll's kind takes, checked: invalid_input names the offending field. */
export function checkedAnswer(poll: Poll, command: VoteCommand) {
  const wanted = answerFieldOf(poll.kind);
  const problems: Record<string, string> = {};
  for (const field of answerFields) if (field !== wanted && command[field] !== undefined) problems[field] = 'not_for_kind';
  if (command[wanted] === undefined) problems[wanted] = 'required';
  const answer: { choices?: number[]; rating?: number; words?: string[]; text?: string; correct?: boolean; score?: number } = {};
  if (wanted === 'choices' && command.choices) {
    const known = new Set(poll.options.map((option) => option.id));
    const max = poll.kind === PollKind.single ? 1 : (poll.max_choices ?? poll.options.length);
    if (command.choices.some((id) => !known.has(id))) problems.choices = 'unknown_option';
    else if (new Set(command.choices).size !== command.choices.length) problems.choices = 'duplicate_option';
    else if (poll.kind === PollKind.single && command.choices.length !== 1) problems.choices = 'one_choice';
    else if (command.choices.length > max) problems.choices = 'too_many_choices';
    answer.choices = command.choices;
  }
  if (wanted === 'rating') answer.rating = command.rating;
  if (wanted === 'words' && command.words) answer.words = cloudWords(command.words);
  if (wanted === 'text') answer.text = command.text;
  if (wanted === 'words' && command.words) answer.text = command.words.join(', ');
  if (Object.keys(problems).length > 0) throw invalidInput(problems);
  return answer;
}
