/**
 * Paces the results of each poll: at most one frame per `intervalMs` for each poll and
 * audience, however fast votes arrive on however many processes. Results that come sooner
 * wait, and newer ones replace them, so the last count always goes out. Results with a lower
 * total than ones already let through are older counts overtaken on the bus: dropped.
 */
export class ResultsPacing<Entry> {
  private readonly lastSent = new Map<string, { at: number; total: number }>();
  private readonly waiting = new Map<string, { entry: Entry; total: number; timer: NodeJS.Timeout }>();

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
    if (!last || now - last.at >= this.intervalMs) {
      this.lastSent.set(key, { at: now, total });
      return true;
    }
    const timer = setTimeout(() => {
      const due = this.waiting.get(key);
      this.waiting.delete(key);
      if (!due) return;
      this.lastSent.set(key, { at: this.now(), total: due.total });
      this.release(due.entry);
    }, last.at + this.intervalMs - now);
    this.waiting.set(key, { entry, total, timer });
    return false;
  }

  /** Forgets a poll that was deleted. */
  forget(pollId: number) {
    for (const key of [...this.lastSent.keys(), ...this.waiting.keys()]) {
      if (!key.startsWith(`${pollId}:`)) continue;
      this.lastSent.delete(key);
      const held = this.waiting.get(key);
      if (held) clearTimeout(held.timer);
      this.waiting.delete(key);
    }
  }

  dispose() {
    for (const held of this.waiting.values()) clearTimeout(held.timer);
    this.waiting.clear();
  }
}
