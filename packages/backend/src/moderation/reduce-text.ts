import {
  collapseDuplicatesTransformer,
  remapCharactersTransformer,
  resolveConfusablesTransformer,
  toAsciiLowerCaseTransformer,
} from 'obscenity';

/*
 * The plain form the word filter compares: "PUUUTA", "pútá", "p@ta", "𝐩𝐮𝐭𝐚" all reduce to
 * "puta". obscenity's transformers do most of it; Spanish adds accents (but not ñ) and
 * a few double letters that belong to words.
 */

const enye = 'ñ'.codePointAt(0)!;
const enyeUpper = 'Ñ'.codePointAt(0)!;

/**
 * Latin letters with diacritics to their plain letter (á → a, Ü → U, ç → c), except ñ and Ñ:
 * "año" and "ano", "coño" and "cono" are different words.
 */
const plainLetters = new Map<number, number>();
for (let code = 0xc0; code <= 0x24f; code += 1) {
  if (code === enye || code === enyeUpper) continue;
  const base = String.fromCodePoint(code).normalize('NFD').codePointAt(0)!;
  if (base !== code && /[A-Za-z]/.test(String.fromCodePoint(base))) plainLetters.set(code, base);
}

const foldLetter = (code: number): number => plainLetters.get(code) ?? code;

/**
 * `text` as word clouds count it: lower case, accents removed (but ñ kept), spaces around
 * trimmed and runs of white space inside made one space. "  Análisis  " → "analisis".
 */
export function normaliseWord(text: string): string {
  let folded = '';
  for (const char of text.normalize('NFC').trim().toLowerCase()) folded += String.fromCodePoint(foldLetter(char.codePointAt(0)!));
  return folded.replace(/\s+/g, ' ');
}

const space = 0x20;
/** Look-alike characters (𝐟, ｋ, Cyrillic а) to ASCII; ñ would become n, so it is kept apart. */
const confusables = resolveConfusablesTransformer();
/**
 * Digits and symbols that stand for letters. obscenity's own leetspeak table also reads
 * ! | ( / as letters, which turns "¡puta!" into "iputai" and hides the word from the word
 * boundaries; ordinary punctuation stays punctuation here.
 */
const digitsForLetters = remapCharactersTransformer({ a: '4@', b: '8', e: '3', g: '6', i: '1', o: '0', s: '5$', t: '7', z: '2' });
const lowerCase = toAsciiLowerCaseTransformer();

/** Accents typed apart from their letter, and invisible characters (zero-width space, joiners) that split a word. */
const invisible = /[\p{M}\p{Cf}]/u;

function reduceCharacter(code: number): number | undefined {
  if (code === enye || code === enyeUpper) return enye;
  const char = String.fromCodePoint(code);
  if (/\s/.test(char)) return space;
  if (invisible.test(char)) return undefined;
  const folded = foldLetter(code);
  const plain = folded === code ? confusables.transform(code) : folded;
  const letter = plain === undefined ? undefined : digitsForLetters.transform(plain);
  return letter === undefined ? undefined : lowerCase.transform(letter);
}

/**
 * reduceCharacter's answers for the code points below U+3000 (Latin, Greek, Cyrillic, symbols):
 * -2 not known yet, -1 dropped. Past that they are worked out each time, so that no message
 * can grow the table.
 */
const cachedBelow = 0x3000;
const reducedCharacters = new Int32Array(cachedBelow).fill(-2);

function reducedCharacter(code: number): number | undefined {
  if (code >= cachedBelow) return reduceCharacter(code);
  if (reducedCharacters[code] === -2) reducedCharacters[code] = reduceCharacter(code) ?? -1;
  const reduced = reducedCharacters[code]!;
  return reduced === -1 ? undefined : reduced;
}

/**
 * Letters repeated for effect count once ("puuuta"), except where a double letter is part of
 * words: obscenity's English thresholds (b, e, o, l, s, g) plus Spanish rr, cc, nn ("perro",
 * "acción", "innato"). A space repeated counts once too.
 */
const repeatedLetters = collapseDuplicatesTransformer({
  defaultThreshold: 1,
  customThresholds: new Map(['b', 'e', 'o', 'l', 's', 'g', 'r', 'c', 'n'].map((letter) => [letter, 2])),
});

/**
 * `text` in the filter's plain form: accents off (ñ kept), look-alikes and digits read as the
 * letters they stand for (within words: a number of digits alone stays as written), lower case, repeats collapsed, every white space one plain space.
 * Both the chat message and every listed word go through it, so they meet in the same form.
 */
export function reduceText(text: string): string {
  const collapse = repeatedLetters.factory();
  let reduced = '';
  // Composed first, so that n + combining tilde is ñ, not n and a mark to drop.
  const composed = text.normalize('NFC');
  const numbers = numberSpans(composed);
  let at = 0;
  // The spans are in order: the one to look at only moves forward, so each character costs one comparison.
  let span = 0;
  for (const char of composed) {
    while (span < numbers.length && at >= numbers[span]![1]) span += 1;
    // Inside a number (a time, a room, a price) a digit is a digit: "717" is no "tit".
    const inNumber = span < numbers.length && at >= numbers[span]![0];
    at += char.length;
    if (inNumber) {
      reduced += char;
      continue;
    }
    let letter = reducedCharacter(char.codePointAt(0)!);
    if (letter !== undefined) letter = collapse.transform(letter);
    if (letter !== undefined) reduced += String.fromCodePoint(letter);
  }
  return reduced;
}

const letterLikeRun = /[\p{L}\p{N}@$]+/gu;
const anyLetter = /\p{L}/u;

/** Where `text` holds runs of digits (and $ @) with no letter among them, as [start, end) offsets. */
function numberSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const run of text.matchAll(letterLikeRun)) {
    if (!anyLetter.test(run[0])) spans.push([run.index, run.index + run[0].length]);
  }
  return spans;
}

const letterLike = String.raw`[\p{L}\p{N}@$]`;
const separator = String.raw`[\s.,;:\-_*·|/\\~+]`;
/** Three or more single letters apart: "p u t a", "f.u.c.k", "p-u-t-a". */
const spacedLetters = new RegExp(`(?<!${letterLike})${letterLike}(?:${separator}+${letterLike}(?!${letterLike})){2,}`, 'gu');
/** Punctuation between two letters of one word: "pu.ta", "mi-er-da", "f_u_c_k". Not apostrophes: "who're". */
const punctuationInWords = new RegExp(`(?<=${letterLike})(?:(?!\\s)${separator})+(?=${letterLike})`, 'gu');
const notLetterLike = new RegExp(`(?!${letterLike})[^]`, 'gu');

/**
 * `text` with letters spaced apart or split by punctuation put back together, or `text` itself
 * when it has neither. The filter reads it beside the text as written, because joining can
 * also hide a word ("fin.puta" loses the boundary before "puta"). Whole words are never
 * joined, so "the pen is" never reads "penis".
 */
export function joinSplitLetters(text: string): string {
  return text.replace(spacedLetters, (run) => run.replace(notLetterLike, '')).replace(punctuationInWords, '');
}
