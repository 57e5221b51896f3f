import type { Role } from '@palco/sdk/protocol';
import type { Connection } from './connection.js';

/** An attendee present in an event on this process, over however many sockets. */
export interface Attendee {
  userId: number;
  name: string;
  role: Role;
  /** When the first socket of this stretch opened (the stretch lasts while any is open), in the hub's clock (ms). */
  since: number;
}

/** What builds on attendance: presence (viewers), watch time, the moderators' audience list. */
export interface AttendanceListener {
  /** The first socket of this attendee in this event opened on this process. */
  arrived(eventId: number, attendee: Attendee): void;
  /** Their last socket of this event on this process closed. */
  left(eventId: number, userId: number): void;
}

/**
 * Who is connected to which event on this process, counted once: every member's sockets by
 * event and user (to reach one person's tabs), and for attendees the two moments everything
 * else is built on, the first socket of a person in an event and the last one gone.
 * Staff sockets are indexed too but raise nothing: viewers and watch time are attendees'.
 */
export class Attendance {
  /** eventId → userId → their sockets, and when the first of this stretch opened. */
  private readonly byEvent = new Map<number, Map<number, { since: number; sockets: Set<Connection> }>>();

  constructor(private readonly listeners: readonly AttendanceListener[]) {}

  add(connection: Connection) {
    const { eventId, member } = connection;
    let people = this.byEvent.get(eventId);
    if (!people) this.byEvent.set(eventId, (people = new Map()));
    let person = people.get(member.id);
    if (!person) people.set(member.id, (person = { since: connection.connectedAt, sockets: new Set() }));
    person.sockets.add(connection);
    if (person.sockets.size > 1 || !connection.isAttendee) return;
    const attendee = { userId: member.id, name: member.name, role: member.role, since: person.since };
    for (const listener of this.listeners) listener.arrived(eventId, attendee);
  }

  remove(connection: Connection) {
    const { eventId, member } = connection;
    const people = this.byEvent.get(eventId);
    const sockets = people?.get(member.id)?.sockets;
    if (!people || !sockets?.delete(connection) || sockets.size > 0) return;
    people.delete(member.id);
    if (people.size === 0) this.byEvent.delete(eventId);
    if (connection.isAttendee) for (const listener of this.listeners) listener.left(eventId, member.id);
  }

  /** The sockets of one person in one event, on this process. */
  socketsOf(eventId: number, userId: number): ReadonlySet<Connection> {
    return this.byEvent.get(eventId)?.get(userId)?.sockets ?? new Set();
  }

  /** The attendees of an event on this process, each once. */
  *attendees(eventId: number): Generator<Attendee> {
    for (const { since, sockets } of this.byEvent.get(eventId)?.values() ?? []) {
      const [connection] = sockets;
      if (!connection?.isAttendee) continue;
      const { member } = connection;
      yield { userId: member.id, name: member.name, role: member.role, since };
    }
  }
}
