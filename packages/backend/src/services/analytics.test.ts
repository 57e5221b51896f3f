import { describe, expect, it } from 'vitest';
import { WatchTime, wholeSeconds } from './analytics.js';

/** WatchTime's in-memory counting needs only a clock: nothing here touches the database. */
function watchTime(capSeconds = 90) {
  const clock = { now: 0 };
  const counter = new WatchTime({ now: () => clock.now } as ConstructorParameters<typeof WatchTime>[0], capSeconds);
  return { clock, counter };
}

describe('wholeSeconds', () => {
  it('keeps the remainder under a second for later while watching, and rounds it once the stretch ended', () => {
    expect(wholeSeconds(59_600, false)).toEqual({ seconds: 59, takenMs: 59_000 });
    expect(wholeSeconds(59_600, true)).toEqual({ seconds: 60, takenMs: 59_600 });
    expect(wholeSeconds(400, true)).toEqual({ seconds: 0, takenMs: 400 });
    expect(wholeSeconds(1_500, true)).toEqual({ seconds: 2, takenMs: 1_500 });
  });
});

describe('WatchTime', () => {
  it('credits the visible time a ping claims, at most the time elapsed and the cap', () => {
    const { clock, counter } = watchTime(90);
    counter.start(1, 7);
    clock.now = 60_000;
    expect(counter.heartbeat(1, 7, 60_000, 60_000)).toBe(60_000);
    clock.now = 70_000;
    expect(counter.heartbeat(1, 7, 60_000, 10_000)).toBe(10_000);
    clock.now = 3_670_000;
    expect(counter.heartbeat(1, 7, 3_600_000, 3_600_000)).toBe(90_000);
    expect(counter.heartbeat(1, 7, 0, 0)).toBe(0);
    expect(counter.secondsWatched(1, 7)).toBe(160);
  });

  it('credits two tabs that claim the same seconds once', () => {
    const { clock, counter } = watchTime();
    counter.start(1, 7);
    clock.now = 60_000;
    expect(counter.heartbeat(1, 7, 60_000, 60_000)).toBe(60_000);
    clock.now = 90_000;
    expect(counter.heartbeat(1, 7, 60_000, 60_000)).toBe(30_000);
  });

  it('credits nothing once the stretch ended, nor to someone never started', () => {
    const { clock, counter } = watchTime();
    counter.start(1, 7);
    counter.end(1, 7);
    clock.now = 30_000;
    expect(counter.heartbeat(1, 7, 30_000, 30_000)).toBe(0);
    expect(counter.heartbeat(1, 8, 30_000, 30_000)).toBe(0);
    expect(counter.secondsWatched(1, 7)).toBe(0);
  });

  it('rounds the seconds shown to moderators down while counting', () => {
    const { clock, counter } = watchTime();
    counter.start(1, 7);
    clock.now = 59_999;
    counter.heartbeat(1, 7, 59_999, 59_999);
    expect(counter.secondsWatched(1, 7)).toBe(59);
  });
});
