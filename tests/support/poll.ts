export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Polls `probe` until `accept` holds for what it returns (by default: until it is truthy) and
 * returns that value. After `timeoutMs` it fails, naming `what` (a text, or a function that
 * describes the state at that moment) and the last value seen.
 */
export function eventually<T>(probe: () => Promise<T> | T, accept?: undefined, timeoutMs?: number, what?: string | (() => string)): Promise<Truthy<T>>;
export function eventually<T>(probe: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs?: number, what?: string | (() => string)): Promise<T>;
export async function eventually<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean = Boolean,
  timeoutMs = 10_000,
  what: string | (() => string) = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`not in time (${timeoutMs} ms): ${described}; last value ${JSON.stringify(value)}`);
    }
    await sleep(25);
  }
}
