import type { PageSignals, Timers } from './environment.js';

/** The page's visibility is sampled at least this often while a heartbeat runs. */
const maxSampleMs = 5_000;
/**
 * A step between two samples longer than this many sample intervals was a sleep: timers do
 * not run while a laptop sleeps, and its page still says "visible" when it wakes.
 */
const sleepSteps = 3;

/**
 * Visible time of the page, added up in steps between samples. A step counts only while the
 * page was visible at its start, and not at all when it is too long to be anything but a sleep.
 */
export class VisibleTime {
  private visible: boolean;
  private mark: number;
  private totalMs = 0;

  constructor(
    private readonly now: () => number,
    private readonly maxStepMs: number,
    visible: boolean,
  ) {
    this.visible = visible;
    this.mark = now();
  }

  /** Adds the step up to now, then notes whether the page is visible from now on. */
  sample(visible: boolean) {
    const now = this.now();
    const step = now - this.mark;
    if (this.visible && step > 0 && step <= this.maxStepMs) this.totalMs += step;
    this.mark = now;
    this.visible = visible;
  }

  /** The visible milliseconds since the previous take, rounded down. */
  take(visible: boolean): number {
    this.sample(visible);
    const taken = Math.floor(this.totalMs);
    this.totalMs = 0;
    return taken;
  }
}

/**
 * Sends `ping {visible_ms}` every interval: how long the page was visible since the previous
 * ping. The server credits exactly that as watch time (capped by the time that really passed),
 * so a hidden tab and a sleeping laptop earn nothing. A page that is hidden sends what it had
 * at once, and then nothing while it stays hidden.
 */
export class Heartbeat {
  private timer: unknown = null;
  private unsubscribe: Array<() => void> = [];
  private visibleTime: VisibleTime | null = null;
  private lastPingAt = 0;

  constructor(
    private readonly timers: Timers,
    private readonly page: PageSignals,
    private readonly sendPing: (visibleMs: number) => void,
  ) {}

  private now(): number {
    return this.timers.now ? this.timers.now() : Date.now();
  }

  /** Starts measuring from now (a welcome): the server counts this socket's time from its welcome too. */
  start(intervalMs: number): void {
    this.stop();
    const sampleMs = Math.min(intervalMs, maxSampleMs);
    this.visibleTime = new VisibleTime(() => this.now(), sampleMs * sleepSteps, this.page.isVisible());
    this.lastPingAt = this.now();
    const tick = () => {
      const visible = this.page.isVisible();
      if (this.now() - this.lastPingAt >= intervalMs) this.ping(visible);
      else this.visibleTime?.sample(visible);
      this.timer = this.timers.setTimeout(tick, sampleMs);
    };
    this.timer = this.timers.setTimeout(tick, sampleMs);
    this.unsubscribe = [
      this.page.onVisible(() => this.visibleTime?.sample(true)),
      this.page.onHidden?.(() => this.ping(false)) ?? (() => {}),
    ];
  }

  /**
   * Reports the visible time not yet reported, then stops: for a deliberate disconnect, whose
   * close the server credits nothing for (the page vouches for its time, the close does not).
   */
  flush(): void {
    this.ping(this.page.isVisible());
    this.stop();
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.unsubscribe = [];
    this.visibleTime = null;
  }

  private ping(visible: boolean) {
    if (!this.visibleTime) return;
    const visibleMs = this.visibleTime.take(visible);
    this.lastPingAt = this.now();
    // A hidden page with nothing to report stays quiet; the socket's keep-alive is the server's.
    if (visible || visibleMs > 0) this.sendPing(visibleMs);
  }
}
