import { describe, expect, it } from 'vitest';
import { countRefused, maxRefusedFramesPerSecond } from './frames.js';

describe('countRefused', () => {
  it('lets a socket be refused up to the limit within one second, and not once more', () => {
    const tally = { refusedFrames: 0, refusedSince: 0 };
    for (let n = 0; n < maxRefusedFramesPerSecond; n += 1) expect(countRefused(tally, 500)).toBe(true);
    expect(countRefused(tally, 999)).toBe(false);
  });

  it('starts counting again once a second has passed since the window began', () => {
    const tally = { refusedFrames: 0, refusedSince: 0 };
    for (let n = 0; n <= maxRefusedFramesPerSecond; n += 1) countRefused(tally, 10);
    expect(countRefused(tally, 1_010)).toBe(true);
    expect(tally.refusedFrames).toBe(1);
  });
});
