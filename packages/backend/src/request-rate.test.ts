import { describe, expect, it } from 'vitest';
import { RequestRate } from './request-rate.js';

describe('RequestRate', () => {
  it('counts the arrivals of the last second, sliding, and forgets a quiet stretch', () => {
    let now = 10_000;
    const rate = new RequestRate(() => now);
    expect(rate.perSecond()).toBe(0);
    for (let n = 0; n < 50; n += 1) rate.hit();
    expect(rate.perSecond()).toBe(50);
    // Half a second into the next second: half of the previous one still lies within the last 1 000 ms.
    now += 1_500;
    for (let n = 0; n < 10; n += 1) rate.hit();
    expect(rate.perSecond()).toBeCloseTo(10 + 50 * 0.5);
    // Two seconds without a request: nothing of them is left.
    now += 2_000;
    expect(rate.perSecond()).toBe(0);
    rate.hit();
    expect(rate.perSecond()).toBe(1);
  });
});
