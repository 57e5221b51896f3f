import { choiceKinds, PollKind, type PollDraft } from '@palco/sdk/protocol';
import type { PollRow } from '../db/models.js';
import { invalidInput } from '../errors.js';
import { normaliseWord } from '../moderation/index.js';

/** The stored columns of a poll's options, correct answers and limits, checked against its kind. */
export function checkedPollFields(
  kind: PollKind,
  draft: Pick<PollDraft, 'options' | 'correct' | 'max_choices' | 'time_limit_s'>,
): Pick<PollRow, 'options' | 'correct' | 'max_choices' | 'time_limit_s'> {
  const problems: Record<string, string> = {};
  const hasOptions = choiceKinds.has(kind);
  const texts = draft.options ?? [];
  if (hasOptions && texts.length === 0) problems.options = 'required';
  if (!hasOptions && draft.options !== undefined && texts.length > 0) problems.options = 'not_for_kind';
  const seen = new Set<string>();
  for (const text of texts) {
    const key = normaliseWord(text);
    if (seen.has(key)) problems.options = 'duplicate_option';
    seen.add(key);
  }
  if (kind === PollKind.quiz) {
    if (!draft.correct?.length) problems.correct = 'required';
    else if (draft.correct.some((index) => index < 0 || index >= texts.length)) problems.correct = 'unknown_option';
  } else if (draft.correct !== undefined) problems.correct = 'not_for_kind';
  if (draft.max_choices !== undefined) {
    if (kind !== PollKind.multiple) problems.max_choices = 'not_for_kind';
    else if (draft.max_choices > texts.length) problems.max_choices = 'too_large';
  }
  if (draft.time_limit_s !== undefined && kind !== PollKind.quiz) problems.time_limit_s = 'not_for_kind';
  if (Object.keys(problems).length > 0) throw invalidInput(problems);
  const options = texts.map((text, index) => ({ id: index + 1, text }));
  const correct = kind === PollKind.quiz ? [...new Set(draft.correct)].map((index) => index + 1) : null;
  return {
    options: JSON.stringify(options),
    correct: correct ? JSON.stringify(correct) : null,
    // A quiz takes as many choices as it has correct answers.
    max_choices: kind === PollKind.multiple ? (draft.max_choices ?? texts.length) : correct ? correct.length : null,
    time_limit_s: kind === PollKind.quiz ? (draft.time_limit_s ?? null) : null,
  };
}
