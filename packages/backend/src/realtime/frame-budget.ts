/**
 * A frame costs one token per this many bytes, at least one: parsing is paid by the byte, and
 * a frame just under the 16 KiB cap costs 8. The SDK's frames (a ping, a chat line of 500
 * characters, a question of 1 000 in any script) fit in one or two.
 */
export const frameCostBytes = 2048;

/** The tokens a frame of `bytes` costs. */
export const frameCost = (bytes: number) => Math.max(1, Math.ceil(bytes / frameCostBytes));

/** A budget of frames: `burst` at once, refilled at `perSecond` (in tokens: see frameCost). */
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
  /**
   * What a socket may have sent lately and still count as quiet. Everyone behind one address
   * (an office, a carrier's NAT) shares its budget, and anonymous sockets can spend it: once
   * they have, a quiet socket's frames still pass, and only the busy ones are closed.
   */
  quiet: BucketSize;
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

  /** Takes `count` tokens; false, taking none, when fewer are left. */
  take(count = 1): boolean {
    this.refill();
    if (this.tokens < count) return false;
    this.tokens -= count;
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
    private readonly quiet: TokenBucket,
    private readonly address: string,
  ) {}

  admitted(userId: number) {
    this.userId = userId;
  }

  /**
   * Pays for one frame of `bytes` (frameCost); false when the socket or its user has spent its
   * budget, or its address has and this socket has not been quiet lately.
   */
  take(bytes = 0): boolean {
    const cost = frameCost(bytes);
    // Drawn on every frame, so it measures what this socket sent lately.
    const quiet = this.quiet.take(cost);
    if (!this.own.take(cost) || !this.budgets.takeUser(this.userId, cost)) return false;
    return this.budgets.takeAddress(this.address, cost) || quiet;
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
    return new SocketBudget(this, new TokenBucket(this.settings.perSocket, this.now), new TokenBucket(this.settings.quiet, this.now), address);
  }

  /** Pays `cost` tokens of a user; a socket not yet admitted has none to pay. */
  takeUser(userId: number | null, cost: number): boolean {
    return userId === null || bucketOf(this.byUser, userId, this.settings.perUser, this.now).take(cost);
  }

  /** Pays `cost` tokens of an address. */
  takeAddress(address: string, cost: number): boolean {
    return bucketOf(this.byAddress, address, this.settings.perAddress, this.now).take(cost);
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
