import type { RawData } from 'ws';

/** Frames a socket sends before it is admitted: a few are kept, in order, for after the welcome. */
export class Inbox {
  private readonly frames: RawData[] = [];
  private waiter: ((frame: RawData | null) => void) | null = null;

  constructor(private readonly capacity: number) {}

  /** False when the inbox is full and the frame was dropped. */
  put(frame: RawData): boolean {
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter(frame);
      return true;
    }
    if (this.frames.length >= this.capacity) return false;
    this.frames.push(frame);
    return true;
  }

  /** The next frame, or null once `deadline` (a timestamp of performance.now) passes or the socket closes. */
  take(deadline: number): Promise<RawData | null> {
    const queued = this.frames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, Math.max(0, deadline - performance.now()));
      this.waiter = (frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
    });
  }

  /** Wakes a waiting take() with null: the socket went away. */
  close() {
    this.waiter?.(null);
    this.waiter = null;
  }

  drain(): RawData[] {
    return this.frames.splice(0);
  }
}
