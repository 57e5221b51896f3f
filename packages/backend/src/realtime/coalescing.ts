import { EventLoopLoad } from '../request-rate.js';

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
 * The coalescing window every room of this process uses now, from the event loop's
 * utilization over the last complete `EventLoopLoad` window (1 s here), read when a room
 * schedules a flush. No timer of its own.
 */
export class CoalescingWindow {
  constructor(
    private readonly range: WindowRange,
    private readonly load: Pick<EventLoopLoad, 'utilization'> = new EventLoopLoad(1_000),
  ) {}

  get ms(): number {
    return this.range.maxMs > this.range.minMs ? windowFor(this.load.utilization(), this.range) : this.range.minMs;
  }
}
