import type { Attendee, AttendanceListener } from './attendance.js';

/** One attendee watching one event, as the moderators' audience list shows them. */
export interface AttendeeSession extends Attendee {
  secondsWatched: number;
}

/**
 * Which attendees are present in which event on any process: two tabs of one attendee count
 * once (attendance, on each process), and so do two tabs on two backend processes. One
 * process keeps it in memory (LocalPresence); several share it through Redis (RedisPresence).
 * It hears of this process's attendees from attendance: `arrived` and `left` come once per person.
 */
export interface Presence extends AttendanceListener {
  /** Distinct attendees with an open socket now, on every process as last read. */
  viewers(eventId: number): number;
  /** Attendees on other processes and not on this one, as last read. */
  remoteSessions(eventId: number): readonly AttendeeSession[];
  /** Resolves once what the other processes hold of the event has been read at least once. */
  ready(eventId: number): Promise<void>;
  /** Reads the other processes again (at most a few times a second); resolves after a read begun after the call. */
  refresh(eventId: number): Promise<void>;
  /** Tells the other processes again who is here, with the watch time counted so far. */
  heartbeat(secondsWatched: (eventId: number, userId: number) => number): Promise<void>;
  /** True for exactly one process per event and minute: that one writes the concurrency point. */
  claimSample(eventId: number, sampledAt: Date): Promise<boolean>;
  close(): Promise<void>;
}

export class LocalPresence implements Presence {
  private readonly attendeesByEvent = new Map<number, Set<number>>();

  arrived(eventId: number, attendee: Pick<Attendee, 'userId'>) {
    let attendees = this.attendeesByEvent.get(eventId);
    if (!attendees) this.attendeesByEvent.set(eventId, (attendees = new Set()));
    attendees.add(attendee.userId);
  }

  left(eventId: number, userId: number) {
    const attendees = this.attendeesByEvent.get(eventId);
    attendees?.delete(userId);
    if (attendees?.size === 0) this.attendeesByEvent.delete(eventId);
  }

  viewers(eventId: number): number {
    return this.attendeesByEvent.get(eventId)?.size ?? 0;
  }

  remoteSessions(): readonly AttendeeSession[] {
    return [];
  }

  async ready() {}

  async refresh() {}

  async heartbeat() {}

  async claimSample() {
    return true;
  }

  async close() {}
}
