import { CloseCode, ErrorCode, errorText, type EventState, type Role } from '@palco/sdk/protocol';
import type { BusEnvelope } from '../bus/bus.js';
import { refusals, type Refusal } from './admission-rules.js';
import { isAttendeeRole, type Connection } from './connection.js';
import type { Room } from './room.js';

/** Closes and bans are remembered this long, for admissions that read the database before they happened. */
const memoryMs = 60_000;

export interface RevocationsDeps {
  /** One person's sockets of one event on this process (attendance). */
  socketsOf(eventId: number, userId: number): Iterable<Connection>;
  room(eventId: number): Room | undefined;
  eventIds(): Iterable<number>;
}

/**
 * Bans, revoked sessions, closed events and other changes of an event's state, as they arrive
 * over the bus: the sockets they concern are closed at once, and each is remembered a while
 * with when it came (performance.now), because an admission that read its user or event just
 * before would otherwise still let the socket in, or welcome it with the state it had.
 */
export class Revocations {
  private readonly users = new Map<number, { at: number; refusal: Refusal }>();
  private readonly closedEvents = new Map<number, number>();
  private readonly stateChanges = new Map<number, { at: number; state: EventState }>();

  constructor(private readonly deps: RevocationsDeps) {}

  /** A user's sessions were revoked (ban, logout, password change): 4003 for a ban, else 4001. */
  disconnectUser(envelope: Extract<BusEnvelope, { kind: 'disconnect_user' }>) {
    const refusal = envelope.code === CloseCode.forbidden ? refusals.forbidden() : refusals.notAuthenticated();
    this.remember(envelope.userId, refusal);
    const eventIds = envelope.eventId === null ? [...this.deps.eventIds()] : [envelope.eventId];
    for (const eventId of eventIds) {
      for (const connection of [...this.deps.socketsOf(eventId, envelope.userId)]) {
        connection.close(envelope.code, errorText(refusal.errorCode, connection.lang));
      }
    }
  }

  /**
   * A user's moderation flags changed: their sockets may do less (or more) from now on; a ban
   * closes them, once what is already queued (the notice with the moderator's reason) went out.
   */
  userFlags(envelope: Extract<BusEnvelope, { kind: 'user_flags' }>) {
    if (envelope.banned) {
      this.remember(envelope.userId, refusals.banned());
      this.deps.room(envelope.eventId)?.flushAll();
    }
    for (const connection of [...this.deps.socketsOf(envelope.eventId, envelope.userId)]) {
      connection.member.chat_blocked = envelope.chat_blocked;
      connection.member.qa_blocked = envelope.qa_blocked;
      connection.member.banned = envelope.banned;
      connection.member.chat_blocked_until = envelope.chat_blocked_until;
      connection.member.qa_blocked_until = envelope.qa_blocked_until;
      if (envelope.banned) connection.close(CloseCode.forbidden, errorText(ErrorCode.banned, connection.lang));
    }
  }

  /** Everything already queued goes out first, then `event_closed`, then the close (4010). */
  closeEvent(eventId: number) {
    this.forgetOld();
    this.closedEvents.set(eventId, performance.now());
    const room = this.deps.room(eventId);
    if (!room) return;
    room.flushAll();
    for (const connection of [...room.connections]) {
      const message = errorText(ErrorCode.eventClosed, connection.lang);
      connection.send({ type: 'event_closed', message });
      connection.close(CloseCode.eventClosed, message);
    }
  }

  /** An `event_state` broadcast came: the rooms tell their sockets, welcomes read before it take it in. */
  stateChanged(eventId: number, state: EventState) {
    this.forgetOld();
    this.stateChanges.set(eventId, { at: performance.now(), state });
  }

  /**
   * The state a welcome carries: `stateRead`, read at `eventReadAt`, unless a change came over
   * the bus since (the room may have told its sockets already, or had no socket to tell).
   */
  stateSince(eventId: number, stateRead: EventState, eventReadAt: number): EventState {
    const change = this.stateChanges.get(eventId);
    return change && change.at >= eventReadAt ? change.state : stateRead;
  }

  /** Throws the refusal that overtook an admission whose rows were read at these times. */
  check(userId: number, role: Role, eventId: number, readAt: { userReadAt: number; eventReadAt: number }) {
    const revoked = this.users.get(userId);
    if (revoked && revoked.at >= readAt.userReadAt) throw revoked.refusal;
    const closedAt = this.closedEvents.get(eventId);
    if (closedAt !== undefined && closedAt >= readAt.eventReadAt && isAttendeeRole(role)) throw refusals.eventClosed();
  }

  private remember(userId: number, refusal: Refusal) {
    this.forgetOld();
    this.users.set(userId, { at: performance.now(), refusal });
  }

  private forgetOld() {
    const before = performance.now() - memoryMs;
    for (const [userId, revoked] of this.users) if (revoked.at < before) this.users.delete(userId);
    for (const [eventId, at] of this.closedEvents) if (at < before) this.closedEvents.delete(eventId);
    for (const [eventId, change] of this.stateChanges) if (change.at < before) this.stateChanges.delete(eventId);
  }
}
