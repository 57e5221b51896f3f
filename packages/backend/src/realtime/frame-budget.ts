/** A budget of frames: `burst` at once, refilled at `perSecond`. */
export interface BucketSize {
  burst: number;
  perSecond: number;
}

/**
 * What one socket, one attendee and one client address may send, every frame counted
 * (commands, pings, malformed frames, frames before `auth`). An attendee may hold several
 * sockets and an address thousands (an office behind one NAT), so each has its own bucket.
 */
export interface FrameBudgetSettings {
  perSocket: BucketSize;
  perUser: BucketSize;
  perAddress: BucketSize;
}

/**
 * A token bucket. Ours rather than rate-limiter-flexible's: it is asked once per frame, on the
 * path that reads frames, and must answer synchronously before the next frame is parsed.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly size: BucketSize,
    private readonly now: () => number,
  ) {
    this.tokens = size.burst;
    this.updatedAt = now();
  }

  /** Takes one token; false when none is left. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Full again: nothing spent is remembered, so the bucket may be forgotten. */
  get isFull(): boolean {
    this.refill();
    return this.tokens >= this.size.burst;
  }

  private refill() {
    const now = this.now();
    this.tokens = Math.min(this.size.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.size.perSecond);
    this.updatedAt = now;
  }
}

/** The buckets one socket draws from; the attendee's joins once the socket is admitted. */
export class SocketBudget {
  private userId: number | null = null;

  constructor(
    private readonly budgets: FrameBudgets,
    private readonly own: TokenBucket,
    private readonly address: string,
  ) {}

  admitted(userId: number) {
    this.userId = userId;
  }

  /** Pays for one frame; false when the socket, its user or its address has spent its budget. */
  take(): boolean {
    return this.own.take() && this.budgets.take(this.address, this.userId);
  }
}

/** Every frame budget of one process. Flooding targets one process's sockets, so the buckets live in it. */
export class FrameBudgets {
  private readonly byUser = new Map<number, TokenBucket>();
  private readonly byAddress = new Map<string, TokenBucket>();

  constructor(
    private readonly settings: FrameBudgetSettings,
    private readonly now: () => number = () => performance.now(),
  ) {}

  forSocket(address: string): SocketBudget {
    return new SocketBudget(this, new TokenBucket(this.settings.perSocket, this.now), address);
  }

  /** Pays for one frame of an address and, once admitted, of a user. */
  take(address: string, userId: number | null): boolean {
    if (!bucketOf(this.byAddress, address, this.settings.perAddress, this.now).take()) return false;
    return userId === null || bucketOf(this.byUser, userId, this.settings.perUser, this.now).take();
  }

  /** Forgets the buckets that refilled: the maps stay as small as the set of clients sending now. */
  sweep() {
    for (const buckets of [this.byUser, this.byAddress] as Array<Map<unknown, TokenBucket>>) {
      for (const [key, bucket] of buckets) if (bucket.isFull) buckets.delete(key);
    }
  }
}

function bucketOf<K>(buckets: Map<K, TokenBucket>, key: K, size: BucketSize, now: () => number): TokenBucket {
  let bucket = buckets.get(key);
  if (!bucket) buckets.set(key, (bucket = new TokenBucket(size, now)));
  return bucket;
}
