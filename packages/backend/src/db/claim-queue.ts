import { randomBytes } from 'node:crypto';
import { Op, type Model, type ModelStatic, type WhereOptions } from 'sequelize';
import type { Logger } from '../log.js';

/** The two statuses every queued row passes through; what follows them is the table's own. */
export const QueueStatus = { pending: 'pending', sending: 'sending' } as const;

export interface ClaimQueueOptions {
  /** A table whose rows have `id`, `status` and the due column. */
  model: ModelStatic<Model>;
  /** Pending: when the row is due. Sending: when the claim expires (its process may have died). */
  dueColumn: string;
  /** Rows attempted at once, per process. */
  concurrency: number;
  /**
   * The rows that may be attempted at once right now, at most `concurrency`: lower while the
   * process has more urgent work. Asked before each claim; `concurrency` when absent.
   */
  concurrencyNow?: () => number;
  /**
   * A column (string, 32 characters) the claim writes a random token into. With it, the due
   * rows found are claimed by one UPDATE and read back by their token; without it (webhook
   * deliveries), each row is claimed by an UPDATE of its own. Either way a row is claimed
   * only while it is claimable, so two processes never hold the same row.
   */
  claimTokenColumn?: string;
  /**
   * Rows someone is waiting for: due ones matching it are claimed before any other, whatever
   * their due time (the outbox's sign-in links, behind a registration storm's confirmations),
   * but for half of each claim at most (by turns when only one row fits): anyone may ask for
   * sign-in links, and a flood of them kept due must not hold back the rest for good.
   * Each claim then costs one more query, which an index on its columns keeps short.
   */
  first?: WhereOptions;
  /** How often due rows (retries, rows a stopped process left) are looked for. */
  pollIntervalMs: number;
  /**
   * How long a claim holds before another process may take the row over. The claiming process
   * renews its claims every third of this while their attempts run, so only a process that
   * stopped (or lost its database for that long) loses a row it is still sending.
   */
  claimMs: number;
  /** Sends one claimed row and records the outcome; the queue never looks at the outcome. */
  attempt(id: number, shutdown: AbortSignal): Promise<void>;
  /**
   * The clock rows fall due by, in ms since the epoch; tests move it. A claim's expiry is
   * measured on the wall clock instead: it says whether a process is still alive, and a
   * schedule moved forward must not make a message being sent look abandoned.
   */
  now(): number;
  logger: Logger;
  /** Names the queue in logs ("webhook deliveries", "mail"). */
  label: string;
}

/**
 * The outbox loop shared by webhook deliveries and mail: every message is a row first, so
 * retries and a restart pick up where things stood, and rows are claimed with an atomic
 * UPDATE, so several processes sharing the database never send one twice.
 */
export class ClaimQueue {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private pollTimer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  /** The rows this process holds while their attempts run, with the token of their claim (null without a token column). */
  private readonly held = new Map<number, string | null>();
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  /** Whether the rows matching `first` take the odd row of the next claim both kinds of row compete for. */
  private firstTakesOddRow = true;

  constructor(private readonly options: ClaimQueueOptions) {}

  /** Starts sending: what is due now, including what a stopped process left pending, then every poll interval. */
  start() {
    if (this.pollTimer || this.shutdown.signal.aborted) return;
    this.pollTimer = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.pollTimer.unref();
    this.renewTimer = setInterval(() => void this.renew(), this.options.claimMs / 3);
    this.renewTimer.unref();
    this.kick();
  }

  /** Stops polling, interrupts the attempts in flight and waits for them to record themselves. */
  async close() {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
    this.shutdown.abort();
    await this.draining;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Looks for due rows now (something was queued or became due). */
  kick() {
    if (this.shutdown.signal.aborted) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error) => this.options.logger.error({ err: error }, `${this.options.label} could not be read`))
      .finally(() => {
        this.draining = null;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kick();
        }
      });
  }

  /** Resolves once nothing is being read or attempted: for tests and graceful stops. */
  async idle() {
    while (this.draining || this.inFlight.size > 0) {
      await this.draining;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /** Claims due rows until the concurrency limit is reached or none is left. */
  private async drain() {
    const limit = () => Math.min(this.options.concurrency, this.options.concurrencyNow?.() ?? Infinity);
    for (;;) {
      const room = limit() - this.inFlight.size;
      if (this.shutdown.signal.aborted || room <= 0) return;
      const ids = await this.dueIds(room);
      if (ids.length === 0 || this.shutdown.signal.aborted) return;
      const token = this.options.claimTokenColumn ? randomBytes(16).toString('hex') : null;
      const claimed = this.options.claimTokenColumn ? await this.claimBatch(ids, this.options.claimTokenColumn, token!) : await this.claimEach(ids);
      for (const id of claimed) {
        this.held.set(id, token);
        const attempt = this.options
          .attempt(id, this.shutdown.signal)
          .catch((error) => {
            // The claim expires on its own, and the row is tried again then.
            this.options.logger.error({ err: error, id }, `${this.options.label}: attempt could not be recorded`);
          })
          .finally(() => {
            this.held.delete(id);
            this.inFlight.delete(attempt);
            this.kick();
          });
        this.inFlight.add(attempt);
      }
      // Another process took all of it: the next poll looks again.
      if (claimed.length === 0) return;
    }
  }

  /**
   * Up to `room` claimable rows' ids: those matching `first` take half of them (the odd one by
   * turns), the oldest due take the rest, and either fills what the other leaves.
   */
  private async dueIds(room: number): Promise<number[]> {
    const { model, dueColumn, first } = this.options;
    const claimableNow = claimable(dueColumn, this.options.now());
    const find = async (where: WhereOptions, limit: number) => {
      const due = await model.findAll({ attributes: ['id'], where, order: [[dueColumn, 'ASC'], ['id', 'ASC']], limit });
      return due.map((row) => row.get('id') as number);
    };
    const oldest = await find(claimableNow, room);
    if (!first || oldest.length === 0) return oldest;
    const urgent = await find({ [Op.and]: [first, claimableNow] }, room);
    const firstShare = Math.floor((room + (this.firstTakesOddRow ? 1 : 0)) / 2);
    if (urgent.length > 0 && oldest.some((id) => !urgent.includes(id))) this.firstTakesOddRow = !this.firstTakesOddRow;
    const picked = new Set(urgent.slice(0, firstShare));
    for (const id of [...oldest, ...urgent]) if (picked.size < room) picked.add(id);
    return [...picked];
  }

  /** Claims `ids` one UPDATE each; answers those this process now holds. */
  private async claimEach(ids: number[]): Promise<number[]> {
    const claimed: number[] = [];
    for (const id of ids) {
      if (this.shutdown.signal.aborted) break;
      if (await this.claim(id)) claimed.push(id);
    }
    return claimed;
  }

  private async claim(id: number): Promise<boolean> {
    const { model, dueColumn, claimMs } = this.options;
    const [changed] = await model.update(
      { status: QueueStatus.sending, [dueColumn]: new Date(Date.now() + claimMs) },
      { where: { id, ...claimable(dueColumn, this.options.now()) } },
    );
    return changed === 1;
  }

  /**
   * Claims whichever of `ids` are still claimable in one UPDATE that stamps them with a fresh
   * token, and answers those this process now holds: all of them when the UPDATE changed as
   * many rows as it was given, else the ones that carry the token (another process claimed
   * the rest first, under its own token).
   */
  private async claimBatch(ids: number[], tokenColumn: string, token: string): Promise<number[]> {
    const { model, dueColumn, claimMs } = this.options;
    const [changed] = await model.update(
      { status: QueueStatus.sending, [dueColumn]: new Date(Date.now() + claimMs), [tokenColumn]: token },
      { where: { id: ids, ...claimable(dueColumn, this.options.now()) } },
    );
    if (changed === 0) return [];
    if (changed === ids.length) return ids;
    const held = await model.findAll({ attributes: ['id'], where: { id: ids, [tokenColumn]: token }, order: [['id', 'ASC']] });
    return held.map((row) => row.get('id') as number);
  }

  /**
   * Moves the expiry of every claim this process still holds to `claimMs` from now: an attempt
   * may outlast its claim (an SMTP server answering each command just within its timeout, a
   * message waiting for a pooled connection), and another process must not send it again
   * meanwhile. A claim is renewed only while it is still this process's own: under its token,
   * or, without a token column, while it has not expired.
   */
  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const { model, dueColumn, claimMs, claimTokenColumn } = this.options;
    const byToken = new Map<string | null, number[]>();
    for (const [id, token] of this.held) {
      const ids = byToken.get(token);
      if (ids) ids.push(id);
      else byToken.set(token, [id]);
    }
    const expiry = new Date(Date.now() + claimMs);
    try {
      for (const [token, ids] of byToken) {
        const own = claimTokenColumn && token ? { [claimTokenColumn]: token } : { [dueColumn]: { [Op.gte]: new Date() } };
        await model.update({ [dueColumn]: expiry }, { where: { id: ids, status: QueueStatus.sending, ...own } });
      }
    } catch (error) {
      // The next renewal tries again; the claims hold for a whole `claimMs` from the last one.
      this.options.logger.warn({ err: error }, `${this.options.label}: claims could not be renewed`);
    }
  }
}

/**
 * Pending and due at `now` (the queue's clock), or claimed by a process that has not finished
 * within its claim (it may have died), on the wall clock. One column serves both: a pending
 * row holds its due time, a sending row its claim's expiry.
 */
function claimable(dueColumn: string, now: number): WhereOptions {
  return {
    [Op.or]: [
      { status: QueueStatus.pending, [dueColumn]: { [Op.lte]: new Date(now) } },
      { status: QueueStatus.sending, [dueColumn]: { [Op.lt]: new Date(Date.now()) } },
    ],
  };
}

/** When a failed row is tried again: the delay for its attempt count, or null once they are spent. */
export function retryAt(attempts: number, retryDelaysMs: readonly number[], now: number): Date | null {
  const delay = retryDelaysMs[attempts - 1];
  return delay === undefined ? null : new Date(now + delay);
}
