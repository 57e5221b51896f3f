import type { PageSignals, Timers } from './environment.js';

/**
 * Pings the server on a fixed interval while the page is visible, and once right away when it
 * becomes visible again: the server counts watch time from these pings, so a hidden tab
 * must not earn any.
 */
export class Heartbeat {
  private timer: unknown = null;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly timers: Timers,
    private readonly page: PageSignals,
    private readonly sendPing: () => void,
  ) {}

  start(intervalMs: number): void {
    this.stop();
    const tick = () => {
      if (this.page.isVisible()) this.sendPing();
      this.timer = this.timers.setTimeout(tick, intervalMs);
    };
    this.timer = this.timers.setTimeout(tick, intervalMs);
    this.stopListening = this.page.onVisible(() => this.sendPing());
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.stopListening?.();
    this.stopListening = null;
  }
}
