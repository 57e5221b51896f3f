import { describe, expect, it } from 'vitest';
import { cleanName, cleanText, hasVisibleText } from './human-text.js';

describe('hasVisibleText', () => {
  it.each([
    ['zero width space', '\u200B'],
    ['word joiner', '\u2060'],
    ['Hangul filler', '\u3164'],
    ['soft hyphen', '\u00AD'],
    ['blank Braille pattern', '\u2800'],
    ['musical null notehead', '\u{1D159}'],
    ['tag characters', '\u{E0041}\u{E0042}\u{E007F}'],
    ['a variation selector alone', '\uFE0F'],
    ['Mongolian vowel separator', '\u180E'],
    ['Hangul choseong and jungseong fillers', '\u115F\u1160\uFFA0'],
    ['a lone combining accent', '\u0301'],
    ['a direction override', '\u202E'],
    ['spaces of every width', ' \u00A0\u2003\u3000\t\n'],
  ])('finds nothing to read in a %s', (_name, text) => {
    expect(hasVisibleText(text)).toBe(false);
  });

  it.each([['a letter', 'a'], ['a digit', '7'], ['a question mark', '?'], ['an emoji', '👍'], ['a ZWJ emoji', '👩\u200D💻'], ['Arabic', 'سلام']])(
    'finds %s',
    (_name, text) => {
      expect(hasVisibleText(text)).toBe(true);
    },
  );
});

describe('cleanName', () => {
  it('drops controls and direction overrides, composes accents and keeps emoji sequences whole', () => {
    expect(cleanName('  Jose\u0301\u202E \u0007Mar\u00EDa\u2066  👨\u200D👩\u200D👧\u200F ')).toBe('José María 👨\u200D👩\u200D👧');
  });

  it('puts a name on one line', () => {
    expect(cleanName('Ana\r\nRuiz\tGil')).toBe('Ana Ruiz Gil');
  });
});

describe('cleanText', () => {
  it('keeps the lines of a message and trims invisible ends', () => {
    expect(cleanText('\u200B\u2060Hola\n\nqué tal\u00AD ')).toBe('Hola\n\nqué tal');
  });

  it('keeps six combining marks on a letter and drops the pile-up past them', () => {
    const marks = '\u0301\u0300\u0308\u0302\u0303\u0304\u0306\u0307';
    // NFC makes Z and the acute accent one letter, Ź, which then carries the next six.
    expect(cleanText(`Z${marks.repeat(60)}algo`)).toBe(`\u0179${marks.slice(1, 7)}algo`);
    expect(cleanText('Tiếng Việt, שָׁלוֹם, བསྒྲུབས')).toBe('Tiếng Việt, שָׁלוֹם, བསྒྲུབས');
  });

  it('drops noncharacters, which an .xlsx export cannot hold', () => {
    expect(cleanText('ho\uFFFFla\uFDD0 \u{10FFFE}qué\uFFFE')).toBe('hola qué');
  });
});
