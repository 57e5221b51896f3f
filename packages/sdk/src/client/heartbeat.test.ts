import { describe, expect, it } from 'vitest';
import type { PageSignals, Timers } from './environment.js';
import { Heartbeat } from './heartbeat.js';

/** A clock and timers the test moves by hand; `sleep` moves the clock without running any timer. */
class ManualTimers implements Timers {
  time = 1_000_000;
  private queue: Array<{ at: number; callback: () => void; handle: number }> = [];
  private handles = 0;

  now = () => this.time;

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = (this.handles += 1);
    this.queue.push({ at: this.time + ms, callback, handle });
    return handle;
  }

  clearTimeout(handle: unknown) {
    this.queue = this.queue.filter((timer) => timer.handle !== handle);
  }

  /** Runs every timer due within the next `ms`, in order, moving the clock to each. */
  advance(ms: number) {
    const until = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > until) break;
      this.queue.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = until;
  }

  /** A laptop asleep: the clock moves, no timer runs until it wakes. */
  sleep(ms: number) {
    this.time += ms;
    for (const timer of this.queue) timer.at = Math.max(timer.at, this.time);
  }
}

class ManualPage implements PageSignals {
  visible = true;
  private visibleListeners = new Set<() => void>();
  private hiddenListeners = new Set<() => void>();

  isVisible = () => this.visible;
  onVisible(listener: () => void) {
    this.visibleListeners.add(listener);
    return () => this.visibleListeners.delete(listener);
  }
  onHidden(listener: () => void) {
    this.hiddenListeners.add(listener);
    return () => this.hiddenListeners.delete(listener);
  }
  onOnline() {
    return () => {};
  }
  show() {
    this.visible = true;
    for (const listener of this.visibleListeners) listener();
  }
  hide() {
    this.visible = false;
    for (const listener of this.hiddenListeners) listener();
  }
}

const interval = 60_000;

function heartbeat(visible: boolean) {
  const timers = new ManualTimers();
  const page = new ManualPage();
  page.visible = visible;
  const pings: number[] = [];
  const beat = new Heartbeat(timers, page, (visibleMs) => pings.push(visibleMs));
  beat.start(interval);
  return { timers, page, pings, beat };
}

describe('the heartbeat reports visible time', () => {
  it('claims every second of a page visible all along, one interval per ping', () => {
    const { timers, pings } = heartbeat(true);
    timers.advance(3 * interval);
    expect(pings).toEqual([interval, interval, interval]);
  });

  it('reports the visible time not yet reported when the attendee leaves on purpose, then falls silent', () => {
    const { timers, pings, beat } = heartbeat(true);
    timers.advance(interval + 30_000);
    beat.flush();
    expect(pings).toEqual([interval, 30_000]);
    timers.advance(3 * interval);
    expect(pings).toEqual([interval, 30_000]);
  });

  it('claims nothing, and sends nothing, for a page hidden all along', () => {
    const { timers, pings } = heartbeat(false);
    timers.advance(45_000);
    timers.advance(3 * interval);
    expect(pings).toEqual([]);
  });

  it('claims only the visible part of a page that switches, and reports it as soon as it is hidden', () => {
    const { timers, page, pings } = heartbeat(false);
    timers.advance(20_000);
    page.show();
    timers.advance(10_000);
    page.hide();
    expect(pings).toEqual([10_000]);
    timers.advance(20_000);
    page.show();
    // The interval since the ping at the hide ends 40 s after the page came back.
    timers.advance(40_000);
    expect(pings).toEqual([10_000, 40_000]);
  });

  it('claims nothing for the time a laptop slept with the page open', () => {
    const { timers, pings } = heartbeat(true);
    timers.advance(30_000);
    timers.sleep(3_600_000);
    // Awake, the first tick finds the interval long past: it reports the 30 s before the sleep.
    timers.advance(interval);
    expect(pings).toEqual([30_000, interval]);
  });

  it('stops pinging when stopped', () => {
    const { timers, pings, beat } = heartbeat(true);
    timers.advance(interval);
    beat.stop();
    timers.advance(3 * interval);
    expect(pings).toEqual([interval]);
  });
});
