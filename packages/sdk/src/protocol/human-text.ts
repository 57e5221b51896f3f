import * as v from 'valibot';

/**
 * Text that people write and others read: names, chat messages, questions, poll answers.
 * The server validates with these schemas and the widgets decide with the same functions
 * whether a text may be sent, so both sides agree on what counts as empty.
 */

/**
 * Code points that draw nothing: Unicode's Default_Ignorable_Code_Point (U+200B zero width
 * space, U+2060 word joiner, U+00AD soft hyphen, U+3164 Hangul filler, variation selectors,
 * the zero width joiner of emoji sequences…) plus two symbols whose glyph is blank: U+2800, the
 * blank Braille pattern, and U+1D159, the musical null notehead.
 */
const invisible = /[\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]/u;
const visible = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** White space and invisible code points at either end of a text. */
const blankEnds = /^[\s\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]+|[\s\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]+$/gu;
/**
 * Combining marks a character may carry. Real writing stacks a few once composed to NFC
 * (Vietnamese two, pointed Hebrew with cantillation up to four); hundreds on one letter
 * ("Zalgo" text) draw a column of marks over the messages around it, outside their own box.
 */
export const maxMarksPerCharacter = 6;
/** Combining marks past `maxMarksPerCharacter` in a row: the first ones are kept. */
const markPileUp = new RegExp(`(?<=\\p{M}{${maxMarksPerCharacter}})\\p{M}+`, 'gu');
/**
 * Bidirectional controls (embeddings, overrides, isolates and marks: U+202A–U+202E,
 * U+2066–U+2069, U+200E, U+200F, U+061C, Unicode TR #9). In a name, an unclosed override
 * reverses whatever a page draws after it, such as the time of a chat line.
 */
const bidiControls = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;
const controls = /\p{Cc}/gu;

/** True when the text has at least one letter, digit, punctuation mark or symbol (emoji included) that draws. */
export function hasVisibleText(text: string): boolean {
  for (const character of text) if (visible.test(character) && !invisible.test(character)) return true;
  return false;
}

/**
 * Unicode's noncharacters (U+FDD0–U+FDEF and the last two code points of every plane), kept for
 * a program's own use and never for interchange; XML 1.0 forbids U+FFFE and U+FFFF, so one of
 * them in a text would make an .xlsx export unreadable.
 */
export const noncharacters = /\p{Noncharacter_Code_Point}/gu;

/**
 * A chat message, question or answer as stored: NFC, without noncharacters, with at most
 * `maxMarksPerCharacter` combining marks in a row, without blank or invisible ends.
 */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(noncharacters, '').replace(markPileUp, '').replace(blankEnds, '');
}

/**
 * A person's name as stored: NFC, on one line, without control or bidirectional control
 * characters, runs of white space made one space. Emoji sequences joined by U+200D stay whole.
 */
export function cleanName(name: string): string {
  return cleanText(name.replace(controls, ' ').replace(bidiControls, '').replace(/\s+/gu, ' '));
}

/** A text once `clean` has run: 1 to `max` characters, one of them visible. */
const cleanedText = (clean: (text: string) => string) => (max: number) =>
  v.pipe(
    v.string('invalid_type'),
    v.trim(),
    v.nonEmpty('required'),
    v.check(hasVisibleText, 'no_visible_text'),
    v.transform(clean),
    v.maxLength(max, 'too_long'),
  );

/** A text people write (chat, question, answer), as `cleanText` stores it. */
export const humanText = cleanedText(cleanText);

/** A person's name, as `cleanName` stores it. */
export const personName = cleanedText(cleanName);
