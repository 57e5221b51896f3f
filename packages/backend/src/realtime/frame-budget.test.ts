import { describe, expect, it } from 'vitest';
import { FrameBudgets, TokenBucket } from './frame-budget.js';

const clock = () => {
  const state = { now: 0 };
  return { state, now: () => state.now };
};

const takeAll = (take: () => boolean, max = 10_000) => {
  let taken = 0;
  while (taken < max && take()) taken += 1;
  return taken;
};

describe('TokenBucket', () => {
  it('gives a burst at once, then refills at its rate and never beyond the burst', () => {
    const { state, now } = clock();
    const bucket = new TokenBucket({ burst: 10, perSecond: 4 }, now);
    expect(takeAll(() => bucket.take())).toBe(10);
    state.now += 500;
    expect(takeAll(() => bucket.take())).toBe(2);
    state.now += 60_000;
    expect(bucket.isFull).toBe(true);
    expect(takeAll(() => bucket.take())).toBe(10);
  });
});

describe('FrameBudgets', () => {
  const settings = {
    perSocket: { burst: 5, perSecond: 1 },
    perUser: { burst: 8, perSecond: 1 },
    perAddress: { burst: 12, perSecond: 1 },
    quiet: { burst: 1, perSecond: 1 },
  };

  it("draws an admitted socket's frames from its user's budget, shared by every socket of that user", () => {
    const { now } = clock();
    const budgets = new FrameBudgets(settings, now);
    const [first, second] = [budgets.forSocket('a'), budgets.forSocket('a')];
    first!.admitted(7);
    second!.admitted(7);
    expect(takeAll(() => first!.take())).toBe(5);
    expect(takeAll(() => second!.take())).toBe(3);
  });

  it('draws frames before admission from the socket and its address only', () => {
    const { now } = clock();
    const budgets = new FrameBudgets(settings, now);
    const sockets = [budgets.forSocket('a'), budgets.forSocket('a'), budgets.forSocket('a')];
    expect(sockets.map((socket) => takeAll(() => socket.take()))).toEqual([5, 5, 2]);
    const elsewhere = budgets.forSocket('b');
    expect(takeAll(() => elsewhere.take())).toBe(5);
  });

  it("lets a quiet socket's frames through once busy sockets of its address spent the address's budget", () => {
    const { state, now } = clock();
    const budgets = new FrameBudgets(settings, now);
    const busy = [budgets.forSocket('a'), budgets.forSocket('a'), budgets.forSocket('a')];
    expect(busy.map((socket) => takeAll(() => socket.take()))).toEqual([5, 5, 2]);
    const quiet = budgets.forSocket('a');
    expect(quiet.take()).toBe(true);
    // No longer quiet: it pays like the others, and the address has nothing left.
    expect(quiet.take()).toBe(false);
    state.now += 1_000;
    expect(budgets.forSocket('a').take()).toBe(true);
  });

  it('forgets refilled buckets on a sweep, but not one still being spent', () => {
    const { state, now } = clock();
    const budgets = new FrameBudgets(settings, now);
    const socket = budgets.forSocket('a');
    socket.admitted(7);
    takeAll(() => socket.take());
    budgets.sweep();
    const again = budgets.forSocket('a');
    again.admitted(7);
    expect(takeAll(() => again.take())).toBe(3);
    state.now += 60_000;
    budgets.sweep();
    const later = budgets.forSocket('a');
    later.admitted(7);
    expect(takeAll(() => later.take())).toBe(5);
  });
});
