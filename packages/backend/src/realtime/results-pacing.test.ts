import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResultsPacing } from './results-pacing.js';

describe('poll results pacing', () => {
  let now = 0;
  const released: string[] = [];
  let pacing: ResultsPacing<string>;

  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
    released.length = 0;
    pacing = new ResultsPacing<string>(500, (entry) => released.push(entry), () => now);
  });
  afterEach(() => {
    pacing.dispose();
    vi.useRealTimers();
  });

  const tick = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('lets the first results through and sends only the latest of a burst half a second later', () => {
    expect(pacing.admit('1:staff', 1, 'total 1')).toBe(true);
    for (let total = 2; total <= 100; total += 1) expect(pacing.admit('1:staff', total, `total ${total}`)).toBe(false);
    tick(499);
    expect(released).toEqual([]);
    tick(1);
    expect(released).toEqual(['total 100']);
  });

  it('paces each poll and audience apart', () => {
    expect(pacing.admit('1:staff', 1, 'a')).toBe(true);
    expect(pacing.admit('2:staff', 1, 'b')).toBe(true);
    expect(pacing.admit('1:attendees', 1, 'c')).toBe(true);
  });

  it('drops results older than ones already sent', () => {
    expect(pacing.admit('1:staff', 5, 'five')).toBe(true);
    tick(600);
    expect(pacing.admit('1:staff', 4, 'four')).toBe(false);
    tick(600);
    expect(released).toEqual([]);
  });

  it('waits a whole interval from when admitted results reached their last socket, not from their admission', () => {
    expect(pacing.admit('1:staff', 1, 'one')).toBe(true);
    tick(40);
    pacing.leaving('1:staff');
    pacing.reached('1:staff');
    expect(pacing.admit('1:staff', 2, 'two')).toBe(false);
    tick(460);
    expect(released).toEqual([]);
    tick(40);
    expect(released).toEqual(['two']);
  });

  it('holds newer results while a frame is still on its way, however long it takes, then waits a whole interval', () => {
    expect(pacing.admit('1:staff', 1, 'one')).toBe(true);
    pacing.leaving('1:staff');
    tick(2_000);
    expect(pacing.admit('1:staff', 2, 'two')).toBe(false);
    expect(pacing.admit('1:staff', 3, 'three')).toBe(false);
    tick(2_000);
    expect(released).toEqual([]);
    pacing.reached('1:staff');
    tick(499);
    expect(released).toEqual([]);
    tick(1);
    expect(released).toEqual(['three']);
  });

  it('lets results through again once a frame that was on its way when its poll was deleted is forgotten', () => {
    expect(pacing.admit('1:staff', 1, 'one')).toBe(true);
    pacing.leaving('1:staff');
    pacing.forget(1);
    expect(pacing.admit('1:staff', 1, 'again')).toBe(true);
  });
});
