import { describe, expect, it } from 'vitest';
import { countSteps, minuteSteps, shortestTimeSpanSeconds, timeLabelGap, timeRange, timeTickSpace, withoutRepeats } from './axis-ticks.js';

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

  it('keeps time ticks a whole label and a gap apart, however wide the reader’s clock writes them', () => {
    // "07:02 PM" at 12 px is about 52 px: uPlot's own 50 px between ticks let neighbours touch.
    expect(timeTickSpace(52.4)).toBe(53 + timeLabelGap);
    expect(timeTickSpace(30)).toBeGreaterThan(30);
  });

  it('draws an event minutes old on a timeline of at least half an hour from its first sample', () => {
    const start = Date.UTC(2050, 0, 1, 19) / 1000;
    expect(timeRange(start, start)).toEqual([start, start + shortestTimeSpanSeconds]);
    expect(timeRange(start, start + 180)).toEqual([start, start + shortestTimeSpanSeconds]);
    expect(timeRange(start, start + 5_400)).toEqual([start, start + 5_400]);
    expect(timeRange(null, null)).toEqual([null, null]);
  });
});

