import { LRUCache } from 'lru-cache';
import { DataSet, SyntaxKind, type LiteralNode, type ParsedPattern, type WildcardNode } from 'obscenity';
import { ErrorCode, Limits } from '@palco/sdk/protocol';
import { AppError, invalidInput } from '../errors.js';
import { englishDatasetForSpanishChats, ordinaryWordsWithEnglishMatches, spanishDataset, type WordMetadata } from './default-words.js';
import { joinSplitLetters, reduceText } from './reduce-text.js';

/*
 * The chat's blocked words: an event's own list plus the default Spanish and English lists,
 * compared once message and words are reduced to a plain form (reduce-text.ts). The default
 * lists are obscenity data sets; the event's list is looked up word by word. obscenity's own
 * matcher runs one RegExp per pattern: with an event's 500 words that measured about 1 ms a
 * message on this project's 2-core machine, so here all default patterns share one RegExp that finds where a match may start,
 * and the event's words are a hash lookup, whatever their number.
 */

export interface WordFilterOptions {
  /** The event's own blocked words or phrases: at most `Limits.blockedWordsMax`, each 1–`Limits.blockedWordMax` characters. */
  words?: readonly string[];
  /** The default lists; each is on unless turned off. */
  includeDefaults?: { es?: boolean; en?: boolean };
}

export interface WordMatch {
  matched: boolean;
  /** The blocked words found, each once, spelled as listed (as the event wrote them, or as the default list has them). */
  words: string[];
}

export interface WordFilter {
  match(text: string): WordMatch;
}

/* ------------------------------------------------------------------ default lists */

interface DefaultTerm {
  word: string;
  /** The pattern, anchored where `lastIndex` says ('y'). */
  sticky: RegExp;
  start: boolean;
  end: boolean;
}

interface DefaultLists {
  /** The terms that can start with a letter, by that letter (a term starting with an optional part or a wildcard is under every letter). */
  termsByFirstLetter: Map<string, DefaultTerm[]>;
  /** The terms that can start with any letter, for a letter no term starts with. */
  termsStartingAnywhere: DefaultTerm[];
  /** Every pattern at once: finds where a match may start. */
  anyTerm: RegExp;
  /** Every ordinary word that holds a blocked one, in reduced form. */
  ordinaryWords: RegExp | null;
}

const regExpSpecial = /[\\^$.*+?()[\]{}|]/g;
const escapeRegExp = (text: string) => text.replace(regExpSpecial, '\\$&');

function nodeSource(node: LiteralNode | WildcardNode): string {
  return node.kind === SyntaxKind.Literal ? escapeRegExp(String.fromCodePoint(...node.chars)) : '.';
}

/** An obscenity pattern as RegExp source, the way obscenity compiles it (`|` is `\b`). */
function patternSource(pattern: ParsedPattern): string {
  const body = pattern.nodes.map((node) => (node.kind === SyntaxKind.Optional ? `(?:${nodeSource(node.childNode)})?` : nodeSource(node))).join('');
  return `${pattern.requireWordBoundaryAtStart ? '\\b' : ''}${body}${pattern.requireWordBoundaryAtEnd ? '\\b' : ''}`;
}

function compileDefaults(es: boolean, en: boolean): DefaultLists | null {
  if (!es && !en) return null;
  const dataset = new DataSet<WordMetadata>();
  if (en) dataset.addAll(englishDatasetForSpanishChats);
  if (es) dataset.addAll(spanishDataset);
  const { blacklistedTerms, whitelistedTerms = [] } = dataset.build();
  const terms = blacklistedTerms.map((term) => ({
    word: dataset.getPayloadWithPhraseMetadata({ termId: term.id, startIndex: 0, endIndex: 0, matchLength: 0 }).phraseMetadata!.originalWord,
    sticky: new RegExp(patternSource(term.pattern), 'sy'),
    start: term.pattern.requireWordBoundaryAtStart,
    end: term.pattern.requireWordBoundaryAtEnd,
  }));
  const firstLetters = blacklistedTerms.map(({ pattern }) => {
    const [first] = pattern.nodes;
    return first?.kind === SyntaxKind.Literal ? String.fromCodePoint(first.chars[0]!) : null;
  });
  const termsStartingAnywhere = terms.filter((_, index) => firstLetters[index] === null);
  const termsByFirstLetter = new Map<string, DefaultTerm[]>();
  for (const letter of new Set(firstLetters)) {
    if (letter !== null) termsByFirstLetter.set(letter, [...terms.filter((_, index) => firstLetters[index] === letter), ...termsStartingAnywhere]);
  }
  // Reduced like the text, ordinary words are found however they are written. A few of
  // obscenity's hold digits ("45s"), which the reduced text no longer has: reduced, "45s"
  // would read "ass" and let every "ass" through.
  const ordinary = [...whitelistedTerms, ...(en ? ordinaryWordsWithEnglishMatches : [])]
    .filter((term) => /^[\p{L} ]+$/u.test(term))
    .map(reduceText);
  return {
    termsByFirstLetter,
    termsStartingAnywhere,
    anyTerm: new RegExp(terms.map((term) => term.sticky.source).join('|'), 'gs'),
    ordinaryWords: ordinary.length ? new RegExp(ordinary.map(escapeRegExp).join('|'), 'g') : null,
  };
}

const defaultsByChoice = new Map<string, DefaultLists | null>();

function defaultLists(es: boolean, en: boolean): DefaultLists | null {
  const key = `${es}/${en}`;
  if (!defaultsByChoice.has(key)) defaultsByChoice.set(key, compileDefaults(es, en));
  return defaultsByChoice.get(key)!;
}

/** Where the ordinary words are in `reduced`, as [start, end) pairs. */
function ordinarySpans(lists: DefaultLists, reduced: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (!lists.ordinaryWords) return spans;
  const finder = lists.ordinaryWords;
  finder.lastIndex = 0;
  for (let found = finder.exec(reduced); found; found = finder.exec(reduced)) {
    spans.push([found.index, found.index + found[0].length]);
    finder.lastIndex = found.index + 1;
  }
  return spans;
}

/**
 * The default words in `reduced`. A match inside an ordinary word ("assistant", "cumpleaños")
 * does not count, nor one whose word boundary is an ñ: RegExp's `\b` takes ñ for a
 * non-letter, and "adueñarse" would hold "arse".
 */
function defaultWordsIn(lists: DefaultLists, reduced: string, found: Set<string>): void {
  let ordinary: Array<[number, number]> | null = null;
  const finder = lists.anyTerm;
  finder.lastIndex = 0;
  for (let candidate = finder.exec(reduced); candidate; candidate = finder.exec(reduced)) {
    const start = candidate.index;
    finder.lastIndex = start + 1;
    for (const term of lists.termsByFirstLetter.get(reduced[start]!) ?? lists.termsStartingAnywhere) {
      term.sticky.lastIndex = start;
      const match = term.sticky.exec(reduced);
      if (!match) continue;
      const end = start + match[0].length;
      if ((term.start && reduced[start - 1] === 'ñ') || (term.end && reduced[end] === 'ñ')) continue;
      ordinary ??= ordinarySpans(lists, reduced);
      if (ordinary.some(([from, to]) => from <= start && end <= to)) continue;
      found.add(term.word);
    }
  }
}

/* ------------------------------------------------------------------ an event's words */

interface ListedWord {
  word: string;
  /** The reduced word or phrase, split at its spaces. */
  tokens: string[];
}

interface EventWords {
  /** Words and phrases of letters and digits, by their first word. */
  byFirstToken: Map<string, ListedWord[]>;
  /** Entries with other characters (an emoji, "c++"): found anywhere in the reduced text. */
  symbols: ListedWord[];
}

const tokenPattern = /[a-z0-9ñ]+/g;
const onlyTokens = /^[a-z0-9ñ]+(?: [a-z0-9ñ]+)*$/;

/**
 * A word with its doubled vowels made single, on both sides of the comparison: the reduced
 * text keeps "oo" and "ee" (English words need them), but "tóóónto" is still "tonto".
 * Doubled consonants stay: "perro" is not "pero".
 */
const singleVowels = (token: string) => token.replace(/([aeiou])\1+/g, '$1');

/** `token` is `listed`, or, for the last word of an entry, its plural in -s or -es. */
function sameWord(token: string, listed: string, last: boolean): boolean {
  return token === listed || (last && (token === `${listed}s` || token === `${listed}es`));
}

function eventWordsIn(words: EventWords, reduced: string, found: Set<string>): void {
  for (const symbol of words.symbols) if (reduced.includes(symbol.tokens[0]!)) found.add(symbol.word);
  if (!words.byFirstToken.size) return;
  const tokens = singleVowels(reduced).match(tokenPattern) ?? [];
  const startingAt = (index: number, first: string) => {
    for (const listed of words.byFirstToken.get(first) ?? []) {
      const last = listed.tokens.length - 1;
      if (listed.tokens.every((part, offset) => index + offset < tokens.length && sameWord(tokens[index + offset]!, part, offset === last))) {
        found.add(listed.word);
      }
    }
  };
  tokens.forEach((token, index) => {
    startingAt(index, token);
    if (token.endsWith('s')) startingAt(index, token.slice(0, -1));
    if (token.endsWith('es')) startingAt(index, token.slice(0, -2));
  });
}

/** The event's list checked against the limits and reduced, duplicates dropped (the first spelling wins). */
function eventWords(entries: readonly string[]): EventWords {
  if (entries.length > Limits.blockedWordsMax) {
    throw new AppError(422, ErrorCode.tooManyBlockedWords, {}, `at most ${Limits.blockedWordsMax} blocked words`);
  }
  const problems: Record<string, string> = {};
  const byReduced = new Map<string, ListedWord>();
  entries.forEach((entry, index) => {
    const word = entry.trim();
    const reduced = reduceText(word).trim();
    if ([...word].length > Limits.blockedWordMax) problems[`blocked_words.${index}`] = 'too_long';
    else if (!reduced) problems[`blocked_words.${index}`] = 'too_short';
    else if (!byReduced.has(reduced)) byReduced.set(reduced, { word, tokens: onlyTokens.test(reduced) ? reduced.split(' ').map(singleVowels) : [reduced] });
  });
  if (Object.keys(problems).length) throw invalidInput(problems);
  const words: EventWords = { byFirstToken: new Map(), symbols: [] };
  for (const [reduced, listed] of byReduced) {
    if (!onlyTokens.test(reduced)) words.symbols.push(listed);
    else words.byFirstToken.set(listed.tokens[0]!, [...(words.byFirstToken.get(listed.tokens[0]!) ?? []), listed]);
  }
  return words;
}

/* ------------------------------------------------------------------ the filter */

function compile(words: EventWords, defaults: DefaultLists | null): WordFilter {
  const wordsIn = (text: string, found: Set<string>) => {
    const reduced = reduceText(text);
    if (defaults) defaultWordsIn(defaults, reduced, found);
    eventWordsIn(words, reduced, found);
  };
  return {
    match(text) {
      const found = new Set<string>();
      wordsIn(text, found);
      const joined = joinSplitLetters(text);
      if (joined !== text) wordsIn(joined, found);
      return { matched: found.size > 0, words: [...found] };
    },
  };
}

/** Compiled filters by the content of their list: an event's list compiles once, however often it is asked for. */
const compiled = new LRUCache<string, WordFilter>({ max: 500 });

/**
 * The filter for one event: `match(text)` says whether a chat message holds a blocked word and
 * which. The event's words match as whole words or phrases (a plural in -s or -es too), never
 * inside a longer word; the default lists have their own patterns, written so that ordinary
 * words that contain a blocked one ("computadora", "Scunthorpe") do not match.
 *
 * Throws 422 `too_many_blocked_words` past `Limits.blockedWordsMax` (1 000) entries, and 422
 * `invalid_input` with `fields["blocked_words.N"]` (named after the event's field) =
 * `too_long` (past `Limits.blockedWordMax`, 50 characters) or `too_short` (nothing left once
 * reduced). The result is cached by the list's content, so call this with the event's current
 * list whenever it is needed.
 */
export function compileWordFilter(options: WordFilterOptions = {}): WordFilter {
  const words = options.words ?? [];
  const es = options.includeDefaults?.es ?? true;
  const en = options.includeDefaults?.en ?? true;
  const key = `${es}/${en}\n${words.join('\n')}`;
  let filter = compiled.get(key);
  if (!filter) {
    filter = compile(eventWords(words), defaultLists(es, en));
    compiled.set(key, filter);
  }
  return filter;
}
