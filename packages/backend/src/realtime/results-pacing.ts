/**
 * Paces the results of each poll: at most one frame per `intervalMs` for each poll and
 * audience, however fast votes arrive on however many processes. Results that come sooner
 * wait, and newer ones replace them, so the last count always goes out. Results with a lower
 * total than ones already let through are older counts overtaken on the bus: dropped.
 */
export class ResultsPacing<Entry> {
  private readonly lastSent = new Map<string, { at: number; total: number }>();
  private readonly waiting = new Map<string, { entry: Entry; total: number; timer: NodeJS.Timeout | null }>();
  /** Keys whose last frame is still on its way to some sockets (SlicedWrites). */
  private readonly leavingNow = new Set<string>();

  constructor(
    private readonly intervalMs: number,
    private readonly release: (entry: Entry) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when `entry` may go now; otherwise it waits its turn (or is dropped as stale). */
  admit(key: string, total: number, entry: Entry): boolean {
    const last = this.lastSent.get(key);
    if (last && total < last.total) return false;
    const held = this.waiting.get(key);
    if (held) {
      if (total >= held.total) Object.assign(held, { entry, total });
      return false;
    }
    const now = this.now();
    if (this.leavingNow.has(key)) {
      this.waiting.set(key, { entry, total, timer: null });
      return false;
    }
    if (!last || now - last.at >= this.intervalMs) {
      this.lastSent.set(key, { at: now, total });
      return true;
    }
    const timer = setTimeout(() => this.releaseWhenDue(key), last.at + this.intervalMs - now);
    this.waiting.set(key, { entry, total, timer });
    return false;
  }

  /**
   * Tells that results admitted for `key` start to leave now, in a frame that may take a few
   * turns of the event loop to reach every socket: nothing more for `key` is let through until
   * `reached`. A room queues what it admits for a few milliseconds (coalescing) and a busy
   * event loop may delay that more, so pacing from the admission alone could let two frames
   * reach a socket closer together than the interval.
   */
  leaving(key: string) {
    this.leavingNow.add(key);
  }

  /** Tells that the frame of `leaving(key)` reached its last socket: the next waits a whole interval from now. */
  reached(key: string) {
    if (!this.leavingNow.delete(key)) return;
    const last = this.lastSent.get(key);
    if (last) last.at = Math.max(last.at, this.now());
    const held = this.waiting.get(key);
    if (!held) return;
    if (held.timer) clearTimeout(held.timer);
    held.timer = setTimeout(() => this.releaseWhenDue(key), this.intervalMs);
  }

  private releaseWhenDue(key: string) {
    const due = this.waiting.get(key);
    if (!due) return;
    if (this.leavingNow.has(key)) {
      due.timer = null; // reached() sets it again
      return;
    }
    const wait = (this.lastSent.get(key)?.at ?? -Infinity) + this.intervalMs - this.now();
    if (wait > 0) {
      due.timer = setTimeout(() => this.releaseWhenDue(key), wait);
      return;
    }
    this.waiting.delete(key);
    this.lastSent.set(key, { at: this.now(), total: due.total });
    this.release(due.entry);
  }

  /** Drops the results held for `key`: the attendees' of a poll whose results were hidden again. */
  drop(key: string) {
    const held = this.waiting.get(key);
    if (held?.timer) clearTimeout(held.timer);
    this.waiting.delete(key);
  }

  /** Forgets a poll that was deleted. */
  forget(pollId: number) {
    for (const key of [...this.lastSent.keys(), ...this.waiting.keys()]) {
      if (!key.startsWith(`${pollId}:`)) continue;
      this.lastSent.delete(key);
      this.leavingNow.delete(key);
      this.drop(key);
    }
  }

  dispose() {
    for (const held of this.waiting.values()) if (held.timer) clearTimeout(held.timer);
    this.waiting.clear();
    this.leavingNow.clear();
  }
}
