/**
 * Writes queued for a room's sockets, a slice per turn of the event loop.
 *
 * Poll results and reactions go to every socket of a room a few times a second, and with
 * 10 000 sockets one frame is ~10 000 socket writes (20–40 µs each on the bench machine,
 * docs/performance.md "Polls and reactions"): written in one loop, that holds every vote
 * and ack behind it for 200–400 ms. In slices of `perTurn`, the votes read in between.
 *
 * Order holds per socket: writes leave in the order they were added, and `finish` writes the
 * rest at once before a frame that must not wait (chat, moderation, a close).
 * Each `add` carries a callback, called once its last write is done (`reached`): pacing
 * counts from there, so the last socket of one frame and the first of the next are as far
 * apart as the frames.
 */
export class SlicedWrites<T> {
  private writes: T[] = [];
  private next = 0;
  private marks: Array<{ end: number; reached: () => void }> = [];
  private turn: NodeJS.Immediate | null = null;

  /**
   * @param perTurn writes per turn of the event loop (500 on the server: the vote storm's
   *   median p99 went from 329 to 169–220 ms, docs/performance.md "Polls and reactions")
   * @param write writes one item; the caller counts what it wrote
   */
  constructor(
    private readonly perTurn: number,
    private readonly write: (item: T) => void,
  ) {}

  /** True while writes wait for a later turn. */
  get busy(): boolean {
    return this.next < this.writes.length;
  }

  /** Queues `items` behind what waits; writes the first slice now if nothing waited. */
  add(items: T[], reached: () => void) {
    const wasBusy = this.busy;
    for (const item of items) this.writes.push(item);
    this.marks.push({ end: this.writes.length, reached });
    if (!wasBusy) this.writeSlice(this.perTurn);
  }

  /** Writes everything that waits, now. */
  finish() {
    this.writeSlice(Infinity);
  }

  /** Drops what waits, without calling back. */
  dispose() {
    if (this.turn) clearImmediate(this.turn);
    this.turn = null;
    this.writes = [];
    this.marks = [];
    this.next = 0;
  }

  private writeSlice(limit: number) {
    if (this.turn) clearImmediate(this.turn);
    this.turn = null;
    const end = Math.min(this.writes.length, this.next + limit);
    while (this.next < end) this.write(this.writes[this.next++]!);
    const reached: Array<() => void> = [];
    while (this.marks.length > 0 && this.marks[0]!.end <= this.next) reached.push(this.marks.shift()!.reached);
    if (this.next < this.writes.length) {
      // What was written goes: frames may keep coming before the queue ever empties.
      this.writes.splice(0, this.next);
      for (const mark of this.marks) mark.end -= this.next;
      this.next = 0;
      this.turn = setImmediate(() => this.writeSlice(this.perTurn));
    } else {
      this.writes = [];
      this.next = 0;
    }
    // Last, so that a callback adding writes finds the queue in order.
    for (const callback of reached) callback();
  }
}
