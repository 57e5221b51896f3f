import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const options = { baseMs: 1_000, maxMs: 30_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt', () => {
    const nearlyOne = () => 0.999_999;
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options, nearlyOne))).toEqual([
      999, 1_999, 3_999, 7_999, 15_999,
    ]);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect(backoffDelay(5, options, () => 0.999_999)).toBe(29_999);
    expect(backoffDelay(1_000, options, () => 0.999_999)).toBe(29_999);
  });

  it('spreads delays over the whole range below the ceiling (full jitter)', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.25)).toBe(2_000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(4_000);
  });
});
