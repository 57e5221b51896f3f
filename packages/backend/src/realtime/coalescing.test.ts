import type { EventLoopUtilization } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { CoalescingWindow, windowFor } from './coalescing.js';

const range = { minMs: 50, maxMs: 150 };

describe('windowFor', () => {
  it('keeps the narrowest window while the process is calm', () => {
    expect(windowFor(0, range)).toBe(50);
    expect(windowFor(0.5, range)).toBe(50);
  });

  it('widens in proportion as the process gets busy, up to the widest', () => {
    expect(windowFor(0.7, range)).toBe(100);
    expect(windowFor(0.9, range)).toBe(150);
    expect(windowFor(1, range)).toBe(150);
  });

  it('never goes below the narrowest when the widest is set lower', () => {
    expect(windowFor(1, { minMs: 150, maxMs: 10 })).toBe(150);
  });
});

describe('CoalescingWindow', () => {
  /** A clock of busy and idle time that the test moves. */
  function fakeLoop() {
    const totals = { active: 0, idle: 0 };
    const measure = (since?: EventLoopUtilization): EventLoopUtilization => {
      const active = totals.active - (since?.active ?? 0);
      const idle = totals.idle - (since?.idle ?? 0);
      return { active, idle, utilization: active + idle === 0 ? 0 : active / (active + idle) };
    };
    return { totals, measure };
  }

  it('follows the utilization of each sample, not of the whole life of the process', () => {
    const loop = fakeLoop();
    const window = new CoalescingWindow(range, 1_000, loop.measure);
    window.stop();
    loop.totals.active += 950;
    loop.totals.idle += 50;
    window.sample();
    expect(window.ms).toBe(150);
    loop.totals.active += 100;
    loop.totals.idle += 900;
    window.sample();
    expect(window.ms).toBe(50);
  });
});
