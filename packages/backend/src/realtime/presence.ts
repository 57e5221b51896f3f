/**
 * Which attendees hold an open socket of which event: two tabs of one attendee count once.
 * In-process for one backend process; several processes would share it through Redis.
 */
export interface Presence {
  /** Counts one more socket of an attendee; true when the attendee was not counted yet. */
  join(eventId: number, userId: number): boolean;
  /** Counts one socket less; true when it was the attendee's last one. */
  leave(eventId: number, userId: number): boolean;
  /** Distinct attendees with an open socket now. */
  viewers(eventId: number): number;
}

export class LocalPresence implements Presence {
  /** eventId → userId → open sockets. */
  private readonly socketsByEvent = new Map<number, Map<number, number>>();

  join(eventId: number, userId: number): boolean {
    let users = this.socketsByEvent.get(eventId);
    if (!users) this.socketsByEvent.set(eventId, (users = new Map()));
    const sockets = users.get(userId) ?? 0;
    users.set(userId, sockets + 1);
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
}
