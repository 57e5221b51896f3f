import { describe, expect, it } from 'vitest';
import { settleBy } from './settle-by.js';

describe('settleBy', () => {
  it('resolves true as soon as the work settles before the deadline', async () => {
    expect(await settleBy(Promise.resolve('done'), Date.now() + 60_000)).toBe(true);
  });

  it('counts a failed work as settled rather than throwing', async () => {
    expect(await settleBy(Promise.reject(new Error('boom')), Date.now() + 60_000)).toBe(true);
  });

  it('gives up at the deadline when the work never settles', async () => {
    const never = new Promise(() => undefined);
    expect(await settleBy(never, 1_000, () => 1_000)).toBe(false);
  });
});
