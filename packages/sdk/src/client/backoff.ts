export interface BackoffOptions {
  /** The cap of the first retry's delay. */
  baseMs: number;
  /** No delay ever exceeds this. */
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 1_000, maxMs: 30_000 };

/**
 * Full-jitter exponential backoff: a uniform delay in [0, min(max, base·2^attempt)).
 * The jitter spreads out the thousands of attendees that lose the same server at once.
 * `attempt` counts from 0; `random` returns a number in [0, 1) like Math.random.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
