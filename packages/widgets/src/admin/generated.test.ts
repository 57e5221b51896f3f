import { describe, expect, it } from 'vitest';
import { Limits } from '@palco/sdk';
import { generatePassword, slugFrom, slugTyped } from './generated.js';

describe('an event slug from its title', () => {
  it('drops accents, spaces and punctuation, so the address never holds a space', () => {
    expect(slugFrom('Lanzamiento Acme 2050')).toBe('lanzamiento-acme-2050');
    expect(slugFrom('  ¿Año nuevo? Peña & Núñez!  ')).toBe('ano-nuevo-pena-nunez');
    expect(slugFrom('Lanzamiento Acme 2050')).toMatch(Limits.slugPattern);
  });

  it('keeps a hyphen being typed, and never a space', () => {
    expect(slugTyped('mi evento ')).toBe('mi-evento-');
    expect(slugTyped('Mi Evento')).toBe('mi-evento');
  });

  it('fits the slug pattern even for a very long title', () => {
    expect(slugFrom('palabra '.repeat(30))).toMatch(Limits.slugPattern);
  });
});

describe('a generated staff password', () => {
  it('is 18 unambiguous characters, different each time', () => {
    const passwords = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(passwords.size).toBe(50);
    for (const password of passwords) expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{18}$/);
  });

  it('skips the bytes a modulo would make more likely', () => {
    // 228 is the first byte past the last whole run of 57: it must be skipped, not read as "A".
    const password = generatePassword((bytes) => bytes.fill(228).fill(1, 16));
    expect(password).toBe('B'.repeat(18));
  });
});
