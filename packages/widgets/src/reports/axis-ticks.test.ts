import { describe, expect, it } from 'vitest';
import { countSteps, minuteSteps, withoutRepeats } from './axis-ticks.js';

describe('the report charts’ axes', () => {
  it('tick time on whole minutes only, since the labels say HH:MM', () => {
    expect(minuteSteps.every((step) => step % 60 === 0)).toBe(true);
  });

  it('count viewers and attendees in whole numbers', () => {
    expect(countSteps.slice(0, 6)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(countSteps.every(Number.isInteger)).toBe(true);
  });

  it('never show the same label on two neighbouring ticks', () => {
    expect(withoutRepeats(['19:00', '19:00', '19:01', '19:01', '19:00'])).toEqual(['19:00', '', '19:01', '', '19:00']);
  });
});
