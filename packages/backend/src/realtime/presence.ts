import type { Role } from '@palco/sdk/protocol';

/** One attendee watching one event, as the moderators' audience list shows them. */
export interface AttendeeSession {
  userId: number;
  name: string;
  role: Role;
  /** When their first socket of this stretch opened, in milliseconds since the epoch. */
  since: number;
  secondsWatched: number;
}

/**
 * Which attendees hold an open socket of which event: two tabs of one attendee count once,
 * and so do two tabs on two backend processes. One process keeps it in memory
 * (LocalPresence); several share it through Redis (RedisPresence).
 */
export interface Presence {
  /** Counts one more socket of an attendee; true when this process had not counted them yet. */
  join(eventId: number, session: AttendeeSession): boolean;
  /** Counts one socket less; true when it was the attendee's last one on this process. */
  leave(eventId: number, userId: number): boolean;
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
  /** eventId → userId → open sockets. */
  private readonly socketsByEvent = new Map<number, Map<number, number>>();

  join(eventId: number, session: Pick<AttendeeSession, 'userId'>): boolean {
    let users = this.socketsByEvent.get(eventId);
    if (!users) this.socketsByEvent.set(eventId, (users = new Map()));
    const sockets = users.get(session.userId) ?? 0;
    users.set(session.userId, sockets + 1);
    return sockets === 0;
  }

  leave(eventId: number, userId: number): boolean {
    const users = this.socketsByEvent.get(eventId);
    const sockets = users?.get(userId);
    if (!users || !sockets) return false;
    if (sockets > 1) {
      users.set(userId, sockets - 1);
      return false;
    }
    users.delete(userId);
    if (users.size === 0) this.socketsByEvent.delete(eventId);
    return true;
  }

  viewers(eventId: number): number {
    return this.socketsByEvent.get(eventId)?.size ?? 0;
  }

  /** Whether the attendee holds a socket of the event on this process. */
  has(eventId: number, userId: number): boolean {
    return this.socketsByEvent.get(eventId)?.has(userId) ?? false;
  }

  /** Events with at least one attendee on this process. */
  events(): IterableIterator<number> {
    return this.socketsByEvent.keys();
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
