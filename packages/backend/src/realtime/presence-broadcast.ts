import type { ActiveSession } from '@palco/sdk/protocol';
import type { EventBus } from '../bus/bus.js';
import type { RealtimeSettings } from '../config.js';
import type { Logger } from '../log.js';
import type { Attendee, AttendanceListener } from './attendance.js';
import type { Presence } from './presence.js';
import type { Room } from './room.js';

/** Audience lists are for a moderator's screen, not an export: the count is exact, the list capped. */
const maxActiveSessionsListed = 500;

export interface PresenceBroadcastDeps {
  bus: EventBus;
  presence: Presence;
  /** The attendees of an event on this process (attendance). */
  attendees(eventId: number): Iterable<Attendee>;
  logger: Logger;
  settings: Pick<RealtimeSettings, 'viewersThrottleMs' | 'activeSessionsThrottleMs' | 'presenceHeartbeatMs'>;
  /** The room of an event on this process, and every event that has one. */
  room(eventId: number): Room | undefined;
  eventIds(): Iterable<number>;
  secondsWatched(eventId: number, userId: number): number;
}

interface Throttles {
  viewers: NodeJS.Timeout | null;
  sessions: NodeJS.Timeout | null;
  /** The count this process last told its sockets, so an unchanged count is not sent again. */
  lastViewersSent: number;
}

/**
 * Tells each event's sockets how many viewers it has (`viewers`) and its moderators who they
 * are (`active_sessions`), throttled. Attendance says when an attendee arrives or leaves here;
 * every process is then told over the bus to read the shared presence again, and each tells
 * its own sockets, so one change anywhere makes one `viewers` frame per socket. It owns its
 * timers: the throttles per event and the presence heartbeat.
 */
export class PresenceBroadcast implements AttendanceListener {
  private readonly throttles = new Map<number, Throttles>();
  private readonly heartbeatTimer: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly deps: PresenceBroadcastDeps) {
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), deps.settings.presenceHeartbeatMs);
    this.heartbeatTimer.unref();
  }

  arrived(eventId: number) {
    this.viewersChanged(eventId);
  }

  left(eventId: number) {
    this.viewersChanged(eventId);
  }

  /** A moderator's socket joined: it needs the audience list. */
  moderatorJoined(eventId: number) {
    this.scheduleActiveSessions(eventId);
  }

  /** Reads the shared presence of an event and tells this process's sockets what changed. */
  async update(eventId: number) {
    if (!this.deps.room(eventId)) return;
    await this.deps.presence.refresh(eventId);
    const room = this.deps.room(eventId);
    if (!room || this.stopped) return;
    const count = this.deps.presence.viewers(eventId);
    const throttles = this.throttlesOf(eventId);
    if (count !== throttles.lastViewersSent) {
      throttles.lastViewersSent = count;
      room.enqueue({ kind: 'everyone' }, { type: 'viewers', count });
    }
    this.scheduleActiveSessions(eventId);
  }

  /** The event's room went: its timers go with it. */
  forget(eventId: number) {
    const throttles = this.throttles.get(eventId);
    if (throttles?.viewers) clearTimeout(throttles.viewers);
    if (throttles?.sessions) clearTimeout(throttles.sessions);
    this.throttles.delete(eventId);
  }

  stop() {
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    for (const eventId of [...this.throttles.keys()]) this.forget(eventId);
  }

  private throttlesOf(eventId: number): Throttles {
    let throttles = this.throttles.get(eventId);
    if (!throttles) this.throttles.set(eventId, (throttles = { viewers: null, sessions: null, lastViewersSent: -1 }));
    return throttles;
  }

  /** Attendees came or went here: at most once per interval, every process is told to count again. */
  private viewersChanged(eventId: number) {
    this.scheduleActiveSessions(eventId);
    const throttles = this.throttlesOf(eventId);
    if (throttles.viewers || this.stopped) return;
    throttles.viewers = setTimeout(() => {
      throttles.viewers = null;
      this.deps.bus.publish({ kind: 'presence_changed', eventId }).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'bus publish failed'));
    }, this.deps.settings.viewersThrottleMs);
  }

  private scheduleActiveSessions(eventId: number) {
    const throttles = this.throttlesOf(eventId);
    if (throttles.sessions || this.stopped || !this.deps.room(eventId)?.hasModerators()) return;
    throttles.sessions = setTimeout(() => {
      throttles.sessions = null;
      const room = this.deps.room(eventId);
      if (!room?.hasModerators()) return;
      // Every process lists the whole audience to its own moderators.
      room.enqueue({ kind: 'moderators' }, { type: 'active_sessions', count: this.deps.presence.viewers(eventId), sessions: this.activeSessions(eventId) });
    }, this.deps.settings.activeSessionsThrottleMs);
  }

  /** The attendees connected now to any process, each once, earliest first. */
  private activeSessions(eventId: number): ActiveSession[] {
    const sessions: ActiveSession[] = [];
    const listed = new Set<number>();
    const list = (attendee: Attendee, secondsWatched: number) => {
      if (sessions.length >= maxActiveSessionsListed || listed.has(attendee.userId)) return;
      listed.add(attendee.userId);
      sessions.push({
        user_id: attendee.userId,
        name: attendee.name,
        role: attendee.role,
        connected_since: new Date(attendee.since).toISOString(),
        minutes_watched: Math.floor(secondsWatched / 60),
      });
    };
    for (const attendee of this.deps.attendees(eventId)) list(attendee, this.deps.secondsWatched(eventId, attendee.userId));
    for (const session of this.deps.presence.remoteSessions(eventId)) list(session, session.secondsWatched);
    return sessions.sort((a, b) => a.connected_since.localeCompare(b.connected_since));
  }

  /** Renews this process's part of the shared presence, then counts again what the others hold. */
  private async heartbeat() {
    await this.deps.presence.heartbeat(this.deps.secondsWatched);
    for (const eventId of [...this.deps.eventIds()]) void this.update(eventId);
  }
}
