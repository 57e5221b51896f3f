import { QueryTypes } from 'sequelize';
import type { AppDeps } from '../context.js';
import { SessionAnalyticsRow, ViewerSampleRow } from '../db/models.js';

export type AnalyticsDeps = Pick<AppDeps, 'db' | 'logger' | 'now'>;

/** One attendee watching one event on this process, over any number of tabs. */
interface Viewing {
  eventId: number;
  userId: number;
  /** Between the first socket of a stretch and the last one gone (attendance says when). */
  watching: boolean;
  /** The first socket of the first stretch opened then. */
  since: number;
  /**
   * Spans of time already credited (start, end), disjoint, reaching back no further than one
   * capped ping: seconds that two tabs vouch for are paid once.
   */
  credited: Array<[number, number]>;
  lastPing: number;
  /** Counted but not yet written. */
  unwrittenMs: number;
  /** Counted during this stretch, for the moderators' audience list. */
  countedMs: number;
  /** The total already stored when this stretch began, once the first write has read it. */
  storedSeconds: number;
  needsRow: boolean;
  dirty: boolean;
}

/** Rows per statement, well under both databases' limits on placeholders. */
const chunkSize = 400;

/**
 * Watch time from heartbeats (docs/architecture.md "Watch time"). Each `ping {visible_ms}`
 * says how long its page was visible since that socket's previous ping; the server credits
 * that, capped by the time that really passed on its own clock since then and by
 * `capSeconds`, and nothing for a close, so a hidden tab and a sleeping laptop earn nothing.
 * The milliseconds one ping vouches for are taken as the last ones before it, and those two
 * tabs both vouch for are credited once. The time is kept in memory and written every few
 * seconds in a handful of statements per event, not one UPDATE per heartbeat.
 */
export class WatchTime {
  private readonly viewings = new Map<string, Viewing>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: AnalyticsDeps,
    private readonly capSeconds: number,
    /**
     * Whether the event's replay is what is watched now (the event is closed): its seconds
     * go to `on_demand_seconds`, else to `live_seconds`. Asked at each write, so a second is
     * filed under the phase of the write that stores it (a few seconds apart at most).
     */
    private readonly watchingReplay: (eventId: number) => Promise<boolean> = async () => false,
  ) {}

  /** The attendee's first socket opened: a stretch of watching begins. */
  start(eventId: number, userId: number) {
    const key = `${eventId}:${userId}`;
    const now = this.deps.now();
    const viewing = this.viewings.get(key);
    if (viewing) {
      // Arriving is a sign of life too: last_ping says when the attendee was last seen.
      viewing.watching = true;
      viewing.lastPing = now;
      viewing.dirty = true;
      return;
    }
    this.viewings.set(key, {
      eventId,
      userId,
      watching: true,
      since: now,
      credited: [],
      lastPing: now,
      unwrittenMs: 0,
      countedMs: 0,
      storedSeconds: 0,
      needsRow: true,
      dirty: true,
    });
  }

  /**
   * Credits a ping's `visibleMs`, at most `elapsedMs` (since that socket's previous ping or
   * its welcome, on the server's clock) and at most the cap; returns the milliseconds credited.
   */
  heartbeat(eventId: number, userId: number, visibleMs: number, elapsedMs: number): number {
    const viewing = this.viewings.get(`${eventId}:${userId}`);
    if (!viewing?.watching) return 0;
    const now = this.deps.now();
    const capMs = this.capSeconds * 1000;
    const span = Math.max(0, Math.min(visibleMs, elapsedMs, capMs));
    if (span === 0) return 0;
    const credited = creditSpan(viewing.credited, now - span, now, now - capMs);
    viewing.lastPing = now;
    viewing.unwrittenMs += credited;
    viewing.countedMs += credited;
    viewing.dirty = true;
    return credited;
  }

  /**
   * The attendee's last socket closed: the stretch ends, and the time since its last ping,
   * which nobody vouched for, earns nothing. Its remainder is rounded with the next write.
   */
  end(eventId: number, userId: number) {
    const viewing = this.viewings.get(`${eventId}:${userId}`);
    if (!viewing?.watching) return;
    viewing.watching = false;
    viewing.dirty = true;
  }

  /** Attendees whose counted watch time is not written yet. */
  get pending(): number {
    let count = 0;
    for (const viewing of this.viewings.values()) if (viewing.dirty) count += 1;
    return count;
  }

  /** Seconds watched in total, stored and not yet stored. */
  secondsWatched(eventId: number, userId: number): number {
    const viewing = this.viewings.get(`${eventId}:${userId}`);
    return viewing ? viewing.storedSeconds + Math.floor(viewing.countedMs / 1000) : 0;
  }

  /** Writes what was counted since the last write; one write runs at a time. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeDirty());
    return this.writing;
  }

  private async writeDirty() {
    const byEvent = new Map<number, Viewing[]>();
    for (const viewing of this.viewings.values()) {
      if (!viewing.dirty) continue;
      const list = byEvent.get(viewing.eventId) ?? [];
      list.push(viewing);
      byEvent.set(viewing.eventId, list);
    }
    for (const [eventId, viewings] of byEvent) {
      for (let start = 0; start < viewings.length; start += chunkSize) {
        await this.writeChunk(eventId, viewings.slice(start, start + chunkSize));
      }
    }
  }

  private async writeChunk(eventId: number, viewings: Viewing[]) {
    const items = viewings.map((viewing) => {
      const ended = !viewing.watching;
      const { seconds, takenMs } = wholeSeconds(viewing.unwrittenMs, ended);
      viewing.unwrittenMs -= takenMs;
      viewing.dirty = false;
      return { viewing, seconds, takenMs, needsRow: viewing.needsRow, lastPing: new Date(viewing.lastPing) };
    });
    // No transaction: each statement is atomic and a retry repeats both safely (rows already
    // created are found, seconds are added by the one UPDATE). On SQLite a transaction would
    // open a second connection whose write lock stalls every chat insert behind it.
    try {
      await this.createMissingRows(eventId, items.filter((item) => item.needsRow).map((item) => item.viewing));
      await this.addSeconds(eventId, items, await this.watchingReplay(eventId));
    } catch (error) {
      for (const item of items) {
        item.viewing.unwrittenMs += item.takenMs;
        item.viewing.dirty = true;
      }
      this.deps.logger.warn({ err: (error as Error).message, eventId }, 'watch time not written; retrying with the next write');
      return;
    }
    for (const { viewing } of items) {
      viewing.needsRow = false;
      if (!viewing.watching && !viewing.dirty) this.viewings.delete(`${viewing.eventId}:${viewing.userId}`);
    }
  }

  /** The row of (user, event) appears on first connect; an existing row's total is remembered. */
  private async createMissingRows(eventId: number, viewings: Viewing[]) {
    if (viewings.length === 0) return;
    const existing = await SessionAnalyticsRow.findAll({
      attributes: ['user_id', 'total_seconds'],
      where: { event_id: eventId, user_id: viewings.map((viewing) => viewing.userId) },
    });
    const stored = new Map(existing.map((row) => [row.user_id, row.total_seconds]));
    for (const viewing of viewings) viewing.storedSeconds = stored.get(viewing.userId) ?? 0;
    const missing = viewings.filter((viewing) => !stored.has(viewing.userId));
    if (missing.length === 0) return;
    await SessionAnalyticsRow.bulkCreate(
      missing.map((viewing) => ({
        user_id: viewing.userId,
        event_id: eventId,
        start_time: new Date(viewing.since),
        last_ping: new Date(viewing.since),
        total_seconds: 0,
        total_minutes: 0,
      })),
      // Another process may have created it meanwhile: the UNIQUE(user_id, event_id) row stands.
      { ignoreDuplicates: true },
    );
  }

  /** One UPDATE for the chunk: seconds and last_ping per user through CASE. */
  private async addSeconds(
    eventId: number,
    items: Array<{ viewing: Viewing; seconds: number; lastPing: Date }>,
    replay: boolean,
  ) {
    if (items.length === 0) return;
    const secondsCase = `CASE user_id ${items.map(() => 'WHEN ? THEN ?').join(' ')} ELSE 0 END`;
    const pingCase = `CASE user_id ${items.map(() => 'WHEN ? THEN ?').join(' ')} ELSE last_ping END`;
    const intDiv = this.deps.db.dialect === 'mysql' ? 'DIV' : '/';
    const seconds = items.flatMap((item) => [item.viewing.userId, item.seconds]);
    const phase = replay ? 'on_demand_seconds' : 'live_seconds';
    // total_minutes comes first: MySQL evaluates SET left to right with the new values.
    await this.deps.db.sequelize.query(
      `UPDATE session_analytics
          SET total_minutes = (total_seconds + ${secondsCase}) ${intDiv} 60,
              total_seconds = total_seconds + ${secondsCase},
              ${phase} = ${phase} + ${secondsCase},
              last_ping = ${pingCase}
        WHERE event_id = ? AND user_id IN (${items.map(() => '?').join(',')})`,
      {
        replacements: [
          ...seconds,
          ...seconds,
          ...seconds,
          ...items.flatMap((item) => [item.viewing.userId, item.lastPing]),
          eventId,
          ...items.map((item) => item.viewing.userId),
        ],
        type: QueryTypes.UPDATE,
      },
    );
  }
}

/**
 * The whole seconds of `unwrittenMs` to write now, and the milliseconds they use up. While
 * the attendee watches, the remainder under a second waits for the next write; once their
 * stretch ended it is rounded, so a stretch of 59.6 s is stored as 60 and one of 0.4 s as 0.
 */
export function wholeSeconds(unwrittenMs: number, ended: boolean): { seconds: number; takenMs: number } {
  if (ended) return { seconds: Math.round(unwrittenMs / 1000), takenMs: unwrittenMs };
  const seconds = Math.floor(unwrittenMs / 1000);
  return { seconds, takenMs: seconds * 1000 };
}

/**
 * Adds the span (start, end) to `credited` (disjoint spans, in order) and returns how much of
 * it was not credited before. Spans that ended before `forgetBefore` are dropped: no later
 * span reaches back to them.
 */
export function creditSpan(credited: Array<[number, number]>, start: number, end: number, forgetBefore: number): number {
  let overlap = 0;
  let merged: [number, number] = [start, end];
  const kept: Array<[number, number]> = [];
  for (const span of credited) {
    const [from, to] = span;
    if (to < forgetBefore) continue;
    if (to < start || from > end) {
      kept.push(span);
      continue;
    }
    overlap += Math.max(0, Math.min(to, end) - Math.max(from, start));
    merged = [Math.min(from, merged[0]), Math.max(to, merged[1])];
  }
  kept.push(merged);
  kept.sort((a, b) => a[0] - b[0]);
  credited.splice(0, credited.length, ...kept);
  return end - start - overlap;
}

/** The minute a sample taken at `at` belongs to: its start. */
export function sampleMinute(at: number): Date {
  return new Date(Math.floor(at / 60_000) * 60_000);
}

/** Points of the curve kept while the database is away: a day of minutes for a few hundred events. */
const maxUnwrittenSamples = 100_000;

/**
 * The concurrency curve: one point per event at the start of each minute. A point that
 * cannot be written (the database is away) is kept and written with the next one.
 */
export class ViewerSamples {
  private unwritten: Array<{ event_id: number; sampled_at: Date; viewers: number }> = [];

  get pending(): number {
    return this.unwritten.length;
  }

  async record(counts: Map<number, number>, at: number) {
    const sampledAt = sampleMinute(at);
    for (const [eventId, viewers] of counts) this.unwritten.push({ event_id: eventId, sampled_at: sampledAt, viewers });
    await this.flush();
  }

  async flush() {
    if (this.unwritten.length === 0) return;
    const rows = this.unwritten;
    this.unwritten = [];
    try {
      await ViewerSampleRow.bulkCreate(rows);
    } catch (error) {
      this.unwritten = [...rows, ...this.unwritten].slice(-maxUnwrittenSamples);
      throw error;
    }
  }
}
