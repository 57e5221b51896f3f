import { describe, expect, it } from 'vitest';
import { ErrorCode, Limits } from '@palco/sdk/protocol';
import { AppError } from '../errors.js';
import { compileWordFilter, normaliseWord } from './index.js';

const defaults = compileWordFilter();

describe('numbers stay numbers', () => {
  it.each([
    ['Empezamos a las 17:17 en la sala 717'],
    ['Room 717 at 7:17, see you'],
    ['Cuesta $5 o 55 €, año 2026'],
    ['El vuelo IB 3717 sale a las 07:17'],
  ])('holds nothing in %j: a time, a room or a price is not a disguised word', (text) => {
    expect(defaults.match(text)).toEqual({ matched: false, words: [] });
  });

  it('still reads digits as letters inside a word', () => {
    expect(defaults.match('vaya t1t').matched).toBe(true);
    expect(defaults.match('m13rd4').matched).toBe(true);
  });
});

describe('the default lists catch a blocked word however it is written', () => {
  it.each([
    // Spanish
    ['eres una puta', 'puta'],
    ['¡Eres una PUTA!', 'puta'],
    ['PUUUUTA', 'puta'],
    ['pútá', 'puta'],
    ['put4', 'puta'],
    ['p u t a', 'puta'],
    ['p.u.t.a', 'puta'],
    ['p-u-t-a madre', 'puta'],
    ['pu.ta', 'puta'],
    ['vaya mi.er.da de audio', 'mierda'],
    ['m i e r d a', 'mierda'],
    ['qué mierdoso', 'mierda'],
    ['m13rd4', 'mierda'],
    ['COÑO', 'coño'],
    ['coñooooo', 'coño'],
    ['eres un cabrón', 'cabrón'],
    ['CABRONES', 'cabrón'],
    ['gilipollas', 'gilipollas'],
    ['jilipoyas no, jilipollas', 'gilipollas'],
    ['hijoputa', 'hijo de puta'],
    ['pollas', 'polla'],
    ['chupapollas', 'polla'],
    ['pendejo', 'pendejo'],
    ['maricón', 'maricón'],
    ['qué pelotudo', 'pelotudo'],
    ['vete a la chingada', 'chingar'],
    ['𝐩𝐮𝐭𝐚', 'puta'],
    ['pu\u0301ta', 'puta'],
    ['pu\u200bta', 'puta'],
    ['con\u0303o', 'coño'],
    // English
    ['fuck', 'fuck'],
    ['FUUUCK this', 'fuck'],
    ['f u c k', 'fuck'],
    ['f.u.c.k', 'fuck'],
    ['motherfucker', 'fuck'],
    ['sh1t', 'shit'],
    ['bullshit', 'shit'],
    ['you b1tch', 'bitch'],
    ['a$$hole', 'ass'],
    ['what a cunt', 'cunt'],
  ])('%j holds %j', (text, word) => {
    const result = defaults.match(text);
    expect(result.matched).toBe(true);
    expect(result.words).toContain(word);
  });
});

describe('the default lists leave ordinary words alone, even those that contain a blocked one', () => {
  it.each([
    // Spanish
    'computadora',
    'La disputa del diputado, según su reputación',
    'el imputado',
    'pollo asado',
    'ampollas en los pies',
    'repollo',
    'análisis',
    'el analista analiza',
    'término',
    'calculadora',
    'cálculo',
    'vehículo',
    'película',
    'feliz cumpleaños',
    'cumplir los plazos',
    'el folleto',
    'bollería',
    'el ventanal',
    'un panal de abejas',
    'el mundo mundanal',
    'cono de helado',
    'Feliz año',
    'adueñarse',
    'enfurruñarse',
    'negro sobre blanco',
    'el retardo del audio',
    'sexto',
    'el rapero',
    'concha marina',
    '¡bestial!',
    'el semental',
    'toca el fagot',
    'analfabeto',
    'analgésico',
    // English
    'assistant',
    'Scunthorpe',
    'the pen is mightier than the sword',
    'assortment',
    'classic grass',
    'cocktail',
    'cockpit',
    'cumin',
    'trafficking',
    'shiitake',
    "who're they",
    'banal',
    'grapes',
    'therapist',
    'Essex',
    'title',
  ])('%j holds none', (text) => {
    expect(defaults.match(text)).toEqual({ matched: false, words: [] });
  });
});

describe("an event's own blocked words", () => {
  const filter = compileWordFilter({ words: ['tonto', 'Hijo de perra', 'Ñoño', '🍆', 'SpamCorp'], includeDefaults: { es: false, en: false } });

  it.each([
    ['eres TONTO', 'tonto'],
    ['tontos todos', 'tonto'],
    ['t o n t o', 'tonto'],
    ['t0nt0', 'tonto'],
    ['tóóónto', 'tonto'],
    ['hijo de perra', 'Hijo de perra'],
    ['HIJO   DE PERRAS', 'Hijo de perra'],
    ['ñoño', 'Ñoño'],
    ['ÑOÑOS', 'Ñoño'],
    ['🍆🍆', '🍆'],
    ['compra en spamcorp ya', 'SpamCorp'],
  ])('%j holds %j, as the event wrote it', (text, word) => {
    expect(filter.match(text)).toEqual({ matched: true, words: [word] });
  });

  it.each(['tontería', 'atontado', 'hijo de perros', 'perra', 'nono'])('%j holds none: listed words match whole', (text) => {
    expect(filter.match(text).matched).toBe(false);
  });

  it('matches nothing from a default list that is turned off', () => {
    expect(filter.match('puta fuck').matched).toBe(false);
    expect(compileWordFilter({ includeDefaults: { es: false } }).match('puta').matched).toBe(false);
    expect(compileWordFilter({ includeDefaults: { es: false } }).match('fuck').matched).toBe(true);
    expect(compileWordFilter({ includeDefaults: { en: false } }).match('fuck').matched).toBe(false);
    expect(compileWordFilter({ includeDefaults: { en: false } }).match('puta').matched).toBe(true);
  });

  it('reports every word found, each once', () => {
    const both = compileWordFilter({ words: ['tonto'] });
    expect(both.match('tonto, TONTO y puta, PUTA').words.sort()).toEqual(['puta', 'tonto']);
  });

  it('compiles a list once and hands the same filter back', () => {
    expect(compileWordFilter({ words: ['tonto', 'Hijo de perra', 'Ñoño', '🍆', 'SpamCorp'], includeDefaults: { es: false, en: false } })).toBe(filter);
  });
});

describe("the limits of an event's list", () => {
  it(`takes ${Limits.blockedWordsMax} words of ${Limits.blockedWordMax} characters`, () => {
    // Letters only: digits read as letters, and "palabra100" and "palabraioo" are one word to the filter.
    const spelled = (index: number) => index.toString(26).replace(/./g, (digit) => String.fromCharCode(97 + parseInt(digit, 26)));
    const words = Array.from({ length: Limits.blockedWordsMax }, (_, index) => `palabra ${spelled(index)}`.padEnd(Limits.blockedWordMax, 'z'));
    const last = words[Limits.blockedWordsMax - 1]!;
    expect(compileWordFilter({ words }).match(`hola ${last.toUpperCase()} adiós`).words).toEqual([last]);
  });

  it('refuses one word more with too_many_blocked_words', () => {
    const words = Array.from({ length: Limits.blockedWordsMax + 1 }, (_, index) => `palabra${index}`);
    expect(() => compileWordFilter({ words })).toThrow(expect.objectContaining({ status: 422, code: ErrorCode.tooManyBlockedWords }));
  });

  it('refuses a word too long or with nothing in it with invalid_input, naming each', () => {
    let error: unknown;
    try {
      compileWordFilter({ words: ['bien', 'x'.repeat(Limits.blockedWordMax + 1), '   ', '!!'] });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      status: 422,
      code: ErrorCode.invalidInput,
      extra: { fields: { 'blocked_words.1': 'too_long', 'blocked_words.2': 'too_short' } },
    });
  });
});

describe('normaliseWord, for word clouds', () => {
  it.each([
    ['  Análisis  ', 'analisis'],
    ['ÉXITO', 'exito'],
    ['Año', 'año'],
    ['Pingüino', 'pinguino'],
    ['  muy\t bien ', 'muy bien'],
    ['Ça va', 'ca va'],
    ['A\u0301rbol', 'arbol'],
    ['an\u0303o', 'año'],
  ])('%j counts as %j', (text, word) => {
    expect(normaliseWord(text)).toBe(word);
  });
});
