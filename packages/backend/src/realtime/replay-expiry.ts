import { CloseCode, ErrorCode, EventState, errorText } from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import type { Logger } from '../log.js';
import { stateOf } from '../services/serialize.js';
import type { Room } from './room.js';

/**
 * Ends the replay for the sockets still watching it when `on_demand_until` passes
 * (docs/journey.md "State changes on open sockets"). Nothing is published when a window ends
 * by itself, so each process looks at its own rooms every `intervalMs`: in a room of a closed
 * event that is now `ended` (read from the event cache, at the server's clock), every
 * attendee's socket gets `event_closed` and is closed with 4010. Staff stay, as they may enter
 * an ended event. Writes are refused from the moment the window ends (write-gate.ts); this
 * only closes the sockets left reading.
 */
export class ReplayExpiry {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly deps: Pick<AppDeps, 'events' | 'now'> & { logger: Logger },
    private readonly rooms: () => Iterable<Room>,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
  }

  /** Closes the attendees' sockets of every room whose replay window has passed; how many were closed. */
  async sweep(): Promise<number> {
    let closed = 0;
    try {
      for (const room of [...this.rooms()]) {
        const attendees = [...room.connections].filter((connection) => connection.isAttendee);
        if (attendees.length === 0) continue;
        const event = await this.deps.events.byId(room.eventId);
        if (!event || event.is_active || stateOf(event, this.deps.now()) !== EventState.ended) continue;
        room.flushAll();
        for (const connection of attendees) {
          const message = errorText(ErrorCode.eventClosed, connection.lang);
          connection.send({ type: 'event_closed', message });
          connection.close(CloseCode.eventClosed, message);
          closed += 1;
        }
      }
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message }, 'replay expiry sweep failed; trying again at the next');
    }
    return closed;
  }
}
