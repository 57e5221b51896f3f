import { CloseCode, ErrorCode, errorText } from '@palco/sdk/protocol';
import type { Connection } from './connection.js';

/**
 * The keep-alive interval is cut in this many slices, each pinging its share of the sockets:
 * a ping costs a socket write, and 10 000 of them in one loop would hold up the frames.
 */
const slices = 10;

/**
 * Finds dead connections and expired sessions. Every socket gets a protocol ping once per
 * interval; one that did not answer the previous ping is dropped, and one whose session
 * expired is closed with 4001 (sign in again), even mid-event.
 */
export class KeepAlive {
  private readonly sliceOf = new WeakMap<Connection, number>();
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;
  private tracked = 0;

  constructor(
    intervalMs: number,
    private readonly connections: () => Iterable<Connection>,
  ) {
    this.timer = setInterval(() => this.tick(), intervalMs / slices);
    this.timer.unref();
  }

  /** Spreads the sockets over the slices in the order they arrive. */
  track(connection: Connection) {
    this.sliceOf.set(connection, this.tracked++ % slices);
  }

  stop() {
    clearInterval(this.timer);
  }

  private tick() {
    const slice = this.ticks++ % slices;
    // Token expiry is wall-clock time, whatever clock the hub's analytics run on.
    const now = Date.now();
    for (const connection of [...this.connections()]) {
      if (this.sliceOf.get(connection) !== slice) continue;
      if (connection.sessionEndsAt <= now) {
        connection.close(CloseCode.notAuthenticated, errorText(ErrorCode.notAuthenticated, connection.lang));
      } else if (!connection.alive) {
        connection.terminate();
      } else {
        connection.alive = false;
        connection.socket.ping();
      }
    }
  }
}
