import { afterEach, describe, expect, it, vi } from 'vitest';
import { Limits } from '../protocol/limits.js';
import { newClientId } from './client-ids.js';

const fits = (id: string) =>
  id.length >= Limits.clientIdMin && id.length <= Limits.clientIdMax && Limits.clientIdPattern.test(id);

describe('client ids', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('are UUIDs where the platform makes them', () => {
    const id = newClientId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(fits(id)).toBe(true);
  });

  it.each([
    ['only random bytes (an http page)', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) }],
    ['no crypto at all', undefined],
  ])('are random strings the protocol accepts on a platform with %s', (_label, crypto) => {
    vi.stubGlobal('crypto', crypto);
    const ids = Array.from({ length: 50 }, newClientId);
    for (const id of ids) expect(fits(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
