import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Role } from '@palco/sdk/protocol';
import type { Logger } from '../log.js';
import type { Attendee } from './attendance.js';
import type { AttendeeSession, Presence } from './presence.js';

export interface RedisPresenceOptions {
  /** A client that fails fast while Redis is away (no offline queue), such as the bus's publisher. */
  client: Redis;
  prefix: string;
  /** This process, as the others know it. */
  processId: string;
  /** A process that stops telling who it holds is forgotten after this long, with its viewers. */
  ttlMs: number;
  /** Reads of one event's presence are at least this far apart. */
  readIntervalMs: number;
  logger: Logger;
}

/** What the other processes hold of one event, as last read. */
interface RemoteView {
  sessions: Map<number, AttendeeSession>;
  /** How many of those attendees have no socket on this process: viewers = local ones + these. */
  notLocal: number;
  /** When (Date.now) the last read began. */
  readAt: number;
  firstRead: Promise<void> | null;
  /** The read waiting for its turn; callers that come meanwhile share it. */
  queued: Promise<void> | null;
  running: Promise<void> | null;
}

type StoredSession = [name: string, role: Role, since: number, secondsWatched: number];

/** A sample lock outlives its minute, so a late process cannot take it again. */
const sampleLockMs = 120_000;

/**
 * Presence shared by every process through Redis. Each process keeps, per event, a hash of
 * its own attendees (`{prefix}:presence:{event}:{process}`) with a TTL it renews on every
 * heartbeat, and its name in a sorted set scored by when that renewal runs out. The viewers
 * of an event are the distinct attendees of the live processes' hashes: two tabs on two
 * processes count once, and a process that dies takes its viewers with it within the TTL.
 * While Redis is away each process counts only its own attendees; the next heartbeat
 * writes everything again, so it recovers by itself.
 */
export class RedisPresence implements Presence {
  /** eventId → userId → this process's attendees. */
  private readonly sessions = new Map<number, Map<number, AttendeeSession>>();
  private readonly views = new Map<number, RemoteView>();
  private reachable = true;
  private closed = false;

  constructor(private readonly options: RedisPresenceOptions) {}

  arrived(eventId: number, attendee: Attendee) {
    const session: AttendeeSession = { ...attendee, secondsWatched: 0 };
    let own = this.sessions.get(eventId);
    if (!own) this.sessions.set(eventId, (own = new Map()));
    own.set(session.userId, session);
    const view = this.views.get(eventId);
    if (view?.sessions.has(session.userId)) view.notLocal -= 1;
    const key = this.sessionsKey(eventId, this.options.processId);
    this.write([
      ['hset', key, String(session.userId), encode(session)],
      ['pexpire', key, this.options.ttlMs],
      ['zadd', this.processesKey(eventId), Date.now() + this.options.ttlMs, this.options.processId],
    ]);
  }

  left(eventId: number, userId: number) {
    const own = this.sessions.get(eventId);
    if (!own?.delete(userId)) return;
    if (own.size === 0) this.sessions.delete(eventId);
    const view = this.views.get(eventId);
    if (view?.sessions.has(userId)) view.notLocal += 1;
    this.write([['hdel', this.sessionsKey(eventId, this.options.processId), String(userId)]]);
  }

  viewers(eventId: number): number {
    return (this.sessions.get(eventId)?.size ?? 0) + (this.views.get(eventId)?.notLocal ?? 0);
  }

  remoteSessions(eventId: number): readonly AttendeeSession[] {
    const view = this.views.get(eventId);
    if (!view) return [];
    return [...view.sessions.values()].filter((session) => !this.isHere(eventId, session.userId));
  }

  ready(eventId: number): Promise<void> {
    const view = this.viewOf(eventId);
    view.firstRead ??= this.refresh(eventId);
    return view.firstRead;
  }

  refresh(eventId: number): Promise<void> {
    const view = this.viewOf(eventId);
    view.queued ??= this.readInTurn(eventId, view);
    return view.queued;
  }

  async heartbeat(secondsWatched: (eventId: number, userId: number) => number) {
    const { client, ttlMs, processId } = this.options;
    const now = Date.now();
    for (const [eventId, view] of this.views) {
      if (!view.queued && !this.sessions.has(eventId) && now - view.readAt > ttlMs) this.views.delete(eventId);
    }
    if (this.sessions.size === 0) return;
    // Everything is written again each time: a restarted Redis, or writes lost while it was
    // away, are made good within one heartbeat.
    const transaction = client.multi();
    for (const [eventId, own] of this.sessions) {
      const key = this.sessionsKey(eventId, processId);
      const fields: string[] = [];
      for (const session of own.values()) {
        session.secondsWatched = secondsWatched(eventId, session.userId);
        fields.push(String(session.userId), encode(session));
      }
      const processes = this.processesKey(eventId);
      transaction
        .del(key)
        .hset(key, ...fields)
        .pexpire(key, ttlMs)
        .zremrangebyscore(processes, '-inf', now)
        .zadd(processes, now + ttlMs, processId)
        .pexpire(processes, ttlMs * 2);
    }
    try {
      await transaction.exec();
      this.noteReachable(true);
    } catch (error) {
      this.noteReachable(false, error);
    }
  }

  async claimSample(eventId: number, sampledAt: Date): Promise<boolean> {
    const key = `${this.options.prefix}:sample:${eventId}:${sampledAt.getTime()}`;
    try {
      return (await this.options.client.set(key, this.options.processId, 'PX', sampleLockMs, 'NX')) === 'OK';
    } catch (error) {
      // Without Redis each process writes the point it can see rather than none.
      this.noteReachable(false, error);
      return true;
    }
  }

  async close() {
    this.closed = true;
  }

  private viewOf(eventId: number): RemoteView {
    let view = this.views.get(eventId);
    if (!view) {
      view = { sessions: new Map(), notLocal: 0, readAt: 0, firstRead: null, queued: null, running: null };
      this.views.set(eventId, view);
    }
    return view;
  }

  /** Waits for the running read and for the interval since it, then reads. */
  private async readInTurn(eventId: number, view: RemoteView) {
    await view.running;
    const wait = view.readAt + this.options.readIntervalMs - Date.now();
    if (wait > 0) await sleep(wait, undefined, { ref: false });
    view.queued = null;
    view.running = this.read(eventId, view);
    await view.running;
  }

  private async read(eventId: number, view: RemoteView) {
    if (this.closed) return;
    const { client, processId } = this.options;
    view.readAt = Date.now();
    try {
      const live = await client.zrangebyscore(this.processesKey(eventId), view.readAt, '+inf');
      const others = live.filter((process) => process !== processId);
      const replies = others.length === 0 ? [] : ((await client.pipeline(others.map((process) => ['hgetall', this.sessionsKey(eventId, process)])).exec()) ?? []);
      const sessions = new Map<number, AttendeeSession>();
      for (const [error, hash] of replies) {
        if (error) throw error;
        for (const [field, stored] of Object.entries(hash as Record<string, string>)) merge(sessions, decode(Number(field), stored));
      }
      view.sessions = sessions;
      this.noteReachable(true);
    } catch (error) {
      view.sessions = new Map();
      this.noteReachable(false, error);
    }
    let notLocal = 0;
    for (const userId of view.sessions.keys()) if (!this.isHere(eventId, userId)) notLocal += 1;
    view.notLocal = notLocal;
  }

  private isHere(eventId: number, userId: number): boolean {
    return this.sessions.get(eventId)?.has(userId) ?? false;
  }

  /** Sends writes without waiting; one that fails is made good by the next heartbeat. */
  private write(commands: Array<Array<string | number>>) {
    if (this.closed) return;
    this.options.client
      .pipeline(commands)
      .exec()
      .then(
        (replies) => {
          const failed = replies?.find(([error]) => error);
          this.noteReachable(!failed, failed?.[0]);
        },
        (error: unknown) => this.noteReachable(false, error),
      );
  }

  /** Says once when Redis stops answering and once when it is back, not on every command. */
  private noteReachable(reachable: boolean, error?: unknown) {
    if (reachable === this.reachable) return;
    this.reachable = reachable;
    if (reachable) this.options.logger.info('redis presence: reachable again, counting every process');
    else this.options.logger.warn({ err: (error as Error | undefined)?.message }, 'redis presence: unreachable, counting this process only');
  }

  private sessionsKey(eventId: number, processId: string) {
    return `${this.options.prefix}:presence:${eventId}:${processId}`;
  }

  private processesKey(eventId: number) {
    return `${this.options.prefix}:presence:${eventId}:processes`;
  }
}

function encode(session: AttendeeSession): string {
  const stored: StoredSession = [session.name, session.role, session.since, session.secondsWatched];
  return JSON.stringify(stored);
}

function decode(userId: number, stored: string): AttendeeSession | null {
  try {
    const [name, role, since, secondsWatched] = JSON.parse(stored) as StoredSession;
    return Number.isInteger(userId) ? { userId, name, role, since, secondsWatched } : null;
  } catch {
    return null;
  }
}

/** An attendee on two other processes is one session: the earliest start, the most watch time. */
function merge(sessions: Map<number, AttendeeSession>, session: AttendeeSession | null) {
  if (!session) return;
  const known = sessions.get(session.userId);
  if (!known) {
    sessions.set(session.userId, session);
    return;
  }
  known.since = Math.min(known.since, session.since);
  known.secondsWatched = Math.max(known.secondsWatched, session.secondsWatched);
}
