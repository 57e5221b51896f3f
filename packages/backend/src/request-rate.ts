import { performance as nodePerformance } from 'node:perf_hooks';

/**
 * How many HTTP requests and socket upgrades this process received over the last second,
 * sliding: the count of the current second plus the previous second's, weighted by how much
 * of it still lies within the last 1 000 ms. Work that can wait (email) asks it whether a
 * storm of arrivals is under way, and yields the CPU to them.
 */
export class RequestRate {
  private bucketStart: number;
  private current = 0;
  private previous = 0;

  /** `now`: milliseconds on a monotonic clock (performance.now by default); tests move it. */
  constructor(private readonly now: () => number = () => performance.now()) {
    this.bucketStart = now();
  }

  /** One request or upgrade arrived now. */
  readonly hit = () => {
    this.roll();
    this.current += 1;
  };

  /** Arrivals over the last second (a sliding estimate), per second. */
  perSecond(): number {
    this.roll();
    const intoBucket = (this.now() - this.bucketStart) / 1000;
    return this.current + this.previous * (1 - intoBucket);
  }

  private roll() {
    const elapsed = this.now() - this.bucketStart;
    if (elapsed < 1000) return;
    // A whole second or more without a roll: the previous second is the one just ended, or empty.
    this.previous = elapsed < 2000 ? this.current : 0;
    this.current = 0;
    this.bucketStart += Math.floor(elapsed / 1000) * 1000;
  }
}

/** Cumulative milliseconds the event loop spent running code and waiting (perf_hooks' eventLoopUtilization). */
export type LoopTimes = () => { active: number; idle: number };

/**
 * The share of the last stretch of at least `windowMs` that the event loop spent running code,
 * 0–1 (Node's `performance.eventLoopUtilization`). Arrivals alone do not make a process busy:
 * a hundred cheap requests a second (`/healthz`, refused ones) cost almost nothing, and must not
 * slow what waits behind a real storm.
 */
export class EventLoopLoad {
  private last: { active: number; idle: number };
  private lastAt: number;
  private share = 0;

  constructor(
    private readonly windowMs = 500,
    private readonly times: LoopTimes = () => nodePerformance.eventLoopUtilization(),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = times();
    this.lastAt = now();
  }

  /** The share measured over the last complete window (0 until one has passed). */
  utilization(): number {
    if (this.now() - this.lastAt < this.windowMs) return this.share;
    const current = this.times();
    const active = current.active - this.last.active;
    const total = active + (current.idle - this.last.idle);
    this.share = total > 0 ? active / total : 0;
    this.last = current;
    this.lastAt = this.now();
    return this.share;
  }
}
