import { describe, expect, it } from 'vitest';
import { defaultMailSettings } from './config.js';
import { mailConcurrency } from './mail/outbox.js';
import { EventLoopLoad, RequestRate } from './request-rate.js';

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

describe('EventLoopLoad', () => {
  it('measures the share of each half second the loop ran code, and keeps it until the next half second', () => {
    let now = 0;
    let times = { active: 0, idle: 0 };
    const load = new EventLoopLoad(500, () => times, () => now);
    expect(load.utilization()).toBe(0);
    now = 500;
    times = { active: 400, idle: 100 };
    expect(load.utilization()).toBeCloseTo(0.8);
    now = 700;
    times = { active: 400, idle: 300 };
    expect(load.utilization()).toBeCloseTo(0.8);
    now = 1_000;
    times = { active: 450, idle: 550 };
    expect(load.utilization()).toBeCloseTo(0.1);
  });
});

describe('mailConcurrency', () => {
  const settings = { ...defaultMailSettings, concurrency: 32, busyConcurrency: 1, busyRequestsPerSecond: 100, busyEventLoopShare: 0.5 };

  it('yields to a storm of arrivals that keeps the event loop busy', () => {
    expect(mailConcurrency(settings, 700, 0.9)).toBe(1);
  });

  it('does not yield to many cheap requests on an idle loop, nor to a busy loop without a storm', () => {
    // A hundred and fifty /healthz a second, or refused requests, barely run the loop.
    expect(mailConcurrency(settings, 150, 0.05)).toBe(32);
    // Mail's own work (or a report being built) keeps the loop busy, but nobody is arriving.
    expect(mailConcurrency(settings, 3, 0.99)).toBe(32);
  });
});
