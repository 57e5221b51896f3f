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
  it('follows the utilization of each sample, not of the whole life of the process', () => {
    // Two samples of the event loop (EventLoopLoad measures each over its own window only).
    const samples = [950 / 1000, 100 / 1000];
    let sample = -1;
    const window = new CoalescingWindow(range, { utilization: () => samples[sample]! });
    sample = 0;
    expect(window.ms).toBe(150);
    sample = 1;
    expect(window.ms).toBe(50);
  });
});
