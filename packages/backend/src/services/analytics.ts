import { QueryTypes, type Transaction } from 'sequelize';
import type { AppDeps } from '../context.js';
import { SessionAnalyticsRow, ViewerSampleRow } from '../db/models.js';
import { addCredited, creditSpan, readCredited, writeCredited, type Span } from './watch-spans.js';

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
   * Spans credited here (start, end), disjoint, reaching back no further than one capped
   * ping: seconds that two tabs of this process vouch for are counted once.
   */
  credited: Span[];
  /** Spans vouched for here and not yet written: the write credits what no process credited before. */
  unwritten: Span[];
  lastPing: number;
  /** Credited in the database's spans, not yet in its whole seconds. */
  remainderMs: number;
  /** Counted here since `storedSeconds` was read, for the moderators' audience list. */
  countedMs: number;
  /** The attendee's total as this process last wrote it. */
  storedSeconds: number;
  needsRow: boolean;
  dirty: boolean;
}

/** What one write does for one attendee. */
interface Credit {
  viewing: Viewing;
  seconds: number;
  remainderMs: number;
  spans: string;
  total: number;
  lastPing: Date;
}

/** Rows per statement, well under both databases' limits on placeholders. */
const chunkSize = 400;

/**
 * Watch time from heartbeats (docs/architecture.md "Watch time"). Each `ping {visible_ms}`
 * says how long its page was visible since that socket's previous ping; the server credits
 * that, capped by the time that really passed on its own clock since then and by
 * `capSeconds`, and nothing for a close, so a hidden tab and a sleeping laptop earn nothing.
 * The milliseconds one ping vouches for are taken as the last ones before it, and those
 * several tabs vouch for are credited once, whichever processes hold the tabs: each write
 * adds to an attendee's total only what the spans stored with their row do not hold yet. The
 * time is kept in memory and written every few seconds in a handful of statements per event,
 * not one UPDATE per heartbeat.
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
      unwritten: [],
      lastPing: now,
      remainderMs: 0,
      countedMs: 0,
      storedSeconds: 0,
      needsRow: true,
      dirty: true,
    });
  }

  /**
   * Credits a ping's `visibleMs`, at most `elapsedMs` (since that socket's previous ping or
   * its welcome, on the server's clock) and at most the cap; returns the milliseconds this
   * process credited (another process's tab may have vouched for them too: the write decides).
   */
  heartbeat(eventId: number, userId: number, visibleMs: number, elapsedMs: number): number {
    const viewing = this.viewings.get(`${eventId}:${userId}`);
    if (!viewing?.watching) return 0;
    const now = this.deps.now();
    const capMs = this.capSeconds * 1000;
    const span = Math.max(0, Math.min(visibleMs, elapsedMs, capMs));
    if (span === 0) return 0;
    const credited = creditSpan(viewing.credited, now - span, now, now - capMs);
    if (credited > 0) creditSpan(viewing.unwritten, now - span, now, Number.NEGATIVE_INFINITY);
    viewing.lastPing = now;
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

  /** Seconds watched in total, stored and counted here since. */
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
    // Heartbeats that come while this write runs are kept for the next one.
    const taken = viewings.map((viewing) => {
      const snapshot = { viewing, spans: viewing.unwritten, countedMs: viewing.countedMs, ended: !viewing.watching };
      viewing.unwritten = [];
      viewing.dirty = false;
      return snapshot;
    });
    let credits: Credit[];
    try {
      await this.createMissingRows(eventId, viewings.filter((viewing) => viewing.needsRow));
      const replay = await this.watchingReplay(eventId);
      credits = await this.inTurn(async (transaction) => {
        const rows = await SessionAnalyticsRow.findAll({
          attributes: ['user_id', 'total_seconds', 'watch_spans'],
          where: { event_id: eventId, user_id: viewings.map((viewing) => viewing.userId) },
          ...(transaction ? { transaction, lock: true } : {}),
        });
        const byUser = new Map(rows.map((row) => [row.user_id, row]));
        // A row erased meanwhile (the person's data, on request) gets nothing more.
        const found = taken.filter(({ viewing }) => byUser.has(viewing.userId));
        const computed = found.map(({ viewing, spans, ended }) => credit(viewing, byUser.get(viewing.userId)!, spans, ended));
        await this.addSeconds(eventId, computed, replay, transaction);
        return computed;
      });
    } catch (error) {
      for (const { viewing, spans } of taken) {
        for (const [start, end] of spans) creditSpan(viewing.unwritten, start, end, Number.NEGATIVE_INFINITY);
        viewing.dirty = true;
      }
      this.deps.logger.warn({ err: (error as Error).message, eventId }, 'watch time not written; retrying with the next write');
      return;
    }
    const written = new Map(credits.map((item) => [item.viewing, item]));
    for (const { viewing, countedMs } of taken) {
      viewing.needsRow = false;
      const item = written.get(viewing);
      if (item) {
        viewing.remainderMs = item.remainderMs;
        viewing.storedSeconds = item.total;
        // What heartbeats counted while this write ran stays counted on top.
        viewing.countedMs += item.remainderMs - countedMs;
      }
      if (!viewing.watching && !viewing.dirty) this.viewings.delete(`${viewing.eventId}:${viewing.userId}`);
    }
  }

  /**
   * Runs a write's read and update in turn with every other process's: on MySQL in one
   * transaction whose read locks the rows, so two processes adding the same attendee's time
   * take turns. SQLite serves a single process, whose writes already take turns (flush), and
   * a transaction there would open a second connection whose write lock stalls every chat
   * insert behind it.
   */
  private inTurn<T>(work: (transaction: Transaction | null) => Promise<T>): Promise<T> {
    const { db } = this.deps;
    return db.dialect === 'mysql' ? db.sequelize.transaction((transaction) => work(transaction)) : work(null);
  }

  /** The row of (user, event) appears on first connect; another process may have created it already. */
  private async createMissingRows(eventId: number, viewings: Viewing[]) {
    if (viewings.length === 0) return;
    await SessionAnalyticsRow.bulkCreate(
      viewings.map((viewing) => ({
        user_id: viewing.userId,
        event_id: eventId,
        start_time: new Date(viewing.since),
        last_ping: new Date(viewing.since),
        total_seconds: 0,
        total_minutes: 0,
      })),
      // The UNIQUE(user_id, event_id) row stands where it exists.
      { ignoreDuplicates: true },
    );
  }

  /** One UPDATE for the chunk: seconds, spans and last_ping per user through CASE. */
  private async addSeconds(eventId: number, credits: Credit[], replay: boolean, transaction: Transaction | null) {
    if (credits.length === 0) return;
    const byUser = (value: (credit: Credit) => unknown) => credits.flatMap((item) => [item.viewing.userId, value(item)]);
    const whens = credits.map(() => 'WHEN ? THEN ?').join(' ');
    const intDiv = this.deps.db.dialect === 'mysql' ? 'DIV' : '/';
    const seconds = byUser((item) => item.seconds);
    const phase = replay ? 'on_demand_seconds' : 'live_seconds';
    // total_minutes comes first: MySQL evaluates SET left to right with the new values.
    await this.deps.db.sequelize.query(
      `UPDATE session_analytics
          SET total_minutes = (total_seconds + CASE user_id ${whens} ELSE 0 END) ${intDiv} 60,
              total_seconds = total_seconds + CASE user_id ${whens} ELSE 0 END,
              ${phase} = ${phase} + CASE user_id ${whens} ELSE 0 END,
              watch_spans = CASE user_id ${whens} ELSE watch_spans END,
              last_ping = CASE user_id ${whens} ELSE last_ping END
        WHERE event_id = ? AND user_id IN (${credits.map(() => '?').join(',')})`,
      {
        replacements: [
          ...seconds,
          ...seconds,
          ...seconds,
          ...byUser((item) => item.spans),
          ...byUser((item) => item.lastPing),
          eventId,
          ...credits.map((item) => item.viewing.userId),
        ],
        type: QueryTypes.UPDATE,
        ...(transaction ? { transaction } : {}),
      },
    );
  }
}

/** What a write adds for one attendee: `spans` less what the row's spans hold, in whole seconds (see wholeSeconds). */
function credit(viewing: Viewing, row: SessionAnalyticsRow, spans: Span[], ended: boolean): Credit {
  const stored = readCredited(row.watch_spans);
  const creditedMs = viewing.remainderMs + addCredited(stored, spans);
  const { seconds, takenMs } = wholeSeconds(creditedMs, ended);
  return {
    viewing,
    seconds,
    remainderMs: creditedMs - takenMs,
    spans: writeCredited(stored),
    total: row.total_seconds + seconds,
    lastPing: new Date(viewing.lastPing),
  };
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
