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
