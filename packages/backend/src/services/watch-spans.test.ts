import { describe, expect, it } from 'vitest';
import { addCredited, creditSpan, keepCreditedMs, maxCreditedSpans, readCredited, writeCredited, type CreditedTime, type Span } from './watch-spans.js';

describe('creditSpan', () => {
  it('credits only the part of a span not credited before, and merges the spans', () => {
    const credited: Span[] = [];
    expect(creditSpan(credited, 0, 60, -Infinity)).toBe(60);
    expect(creditSpan(credited, 30, 90, -Infinity)).toBe(30);
    expect(creditSpan(credited, 100, 110, -Infinity)).toBe(10);
    expect(credited).toEqual([[0, 90], [100, 110]]);
    expect(creditSpan(credited, 80, 120, -Infinity)).toBe(20);
    expect(credited).toEqual([[0, 120]]);
  });

  it('forgets spans that ended before the oldest a later span can reach', () => {
    const credited: Span[] = [[0, 10], [20, 30]];
    expect(creditSpan(credited, 100, 150, 15)).toBe(50);
    expect(credited).toEqual([[20, 30], [100, 150]]);
  });
});

describe('addCredited', () => {
  const none = (): CreditedTime => readCredited(null);

  it('adds what no process credited before, whichever wrote first', () => {
    const stored = none();
    // One process's tab vouched for 0–60 s, the other's for 30–60 s, then 62–122 s.
    expect(addCredited(stored, [[30_000, 60_000], [62_000, 122_000]])).toBe(90_000);
    expect(addCredited(stored, [[0, 60_000], [102_000, 122_000]])).toBe(30_000);
    expect(stored.spans).toEqual([[0, 60_000], [62_000, 122_000]]);
    // Written again (a write retried after its answer was lost), it adds nothing.
    expect(addCredited(stored, [[0, 60_000]])).toBe(0);
  });

  it('forgets spans long behind the newest, and counts their time as settled', () => {
    const stored = none();
    addCredited(stored, [[0, 60_000]]);
    const later = 60_000 + keepCreditedMs + 1;
    expect(addCredited(stored, [[later, later + 1_000]])).toBe(1_000);
    expect(stored).toEqual({ settledBefore: 60_000, spans: [[later, later + 1_000]] });
    // A span written that late is credited only past what is settled.
    expect(addCredited(stored, [[30_000, 90_000]])).toBe(30_000);
  });

  it('keeps at most maxCreditedSpans spans, settling the oldest', () => {
    const stored = none();
    const tiny: Span[] = Array.from({ length: maxCreditedSpans + 5 }, (_, index) => [index * 10, index * 10 + 1]);
    expect(addCredited(stored, tiny)).toBe(maxCreditedSpans + 5);
    expect(stored.spans).toHaveLength(maxCreditedSpans);
    expect(stored.settledBefore).toBe(4 * 10 + 1);
    expect(addCredited(stored, [[0, 41]])).toBe(0);
  });

  it('reads back what it wrote', () => {
    const stored = none();
    addCredited(stored, [[5, 9]]);
    expect(readCredited(writeCredited(stored))).toEqual(stored);
    stored.settledBefore = 3;
    expect(readCredited(writeCredited(stored))).toEqual(stored);
  });
});
