import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** The narrowest and widest coalescing windows, in ms. */
export interface WindowRange {
  minMs: number;
  maxMs: number;
}

/** Below this share of its time busy, the process keeps the narrowest window. */
export const calmUtilization = 0.5;
/** From this share of its time busy on, it uses the widest. */
export const busyUtilization = 0.9;

/**
 * The coalescing window for an event-loop utilization (0 to 1, the share of the last sample
 * the process spent running code): the narrowest while calm, the widest when busy, linear in
 * between, rounded to whole ms. A wider window puts more of one event's messages in each
 * frame, so a busy process writes fewer frames; a calm one keeps the latency low.
 */
export function windowFor(utilization: number, { minMs, maxMs }: WindowRange): number {
  const top = Math.max(minMs, maxMs);
  const share = Math.min(1, Math.max(0, (utilization - calmUtilization) / (busyUtilization - calmUtilization)));
  return Math.round(minMs + (top - minMs) * share);
}

/**
 * The coalescing window every room of this process uses now, resampled every `sampleMs` from
 * the event loop's utilization over that sample. Owns its timer.
 */
export class CoalescingWindow {
  ms: number;
  private readonly timer: NodeJS.Timeout | null = null;
  private last: EventLoopUtilization;

  constructor(
    private readonly range: WindowRange,
    sampleMs = 1_000,
    private readonly measure: (since?: EventLoopUtilization) => EventLoopUtilization = (since) => performance.eventLoopUtilization(since),
  ) {
    this.ms = range.minMs;
    this.last = measure();
    if (range.maxMs > range.minMs) {
      this.timer = setInterval(() => this.sample(), sampleMs);
      this.timer.unref();
    }
  }

  /** Takes the utilization since the previous sample. */
  sample() {
    this.ms = windowFor(this.measure(this.last).utilization, this.range);
    this.last = this.measure();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }
}
