import type { AppDeps } from '../context.js';
import type { RealtimeSettings } from '../config.js';
import { sampleMinute, ViewerSamples, WatchTime } from '../services/analytics.js';
import type { AttendanceListener } from './attendance.js';
import type { Connection } from './connection.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes what the sockets of this process measure: watch time (counted from heartbeats,
 * per attendee from their first socket to their last) and the concurrency curve (viewers
 * sampled each minute). It owns the timers of both writes.
 */
export class AnalyticsRecorder {
  readonly watchTime: WatchTime;
  /** Watch time starts and ends with attendance. */
  readonly attendance: AttendanceListener;
  private readonly viewerSamples = new ViewerSamples();
  private readonly timers: NodeJS.Timeout[];
  /** Events whose last sample was above zero: they get a closing zero when their room goes. */
  private sampledEvents = new Set<number>();

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'logger' | 'now' | 'presence' | 'events'>,
    settings: Pick<RealtimeSettings, 'heartbeatCapSeconds' | 'watchTimeFlushMs' | 'viewerSampleMs'>,
    /** Events with a room on this process. */
    private readonly eventIds: () => Iterable<number>,
  ) {
    // A closed event still watched is watched on demand (its replay).
    const watchingReplay = async (eventId: number) => (await deps.events.byId(eventId))?.is_active === false;
    const watchTime = new WatchTime(deps, settings.heartbeatCapSeconds, watchingReplay);
    this.watchTime = watchTime;
    this.attendance = {
      arrived: (eventId, attendee) => watchTime.start(eventId, attendee.userId),
      left: (eventId, userId) => watchTime.end(eventId, userId),
    };
    const every = (ms: number, task: () => unknown) => {
      const timer = setInterval(task, ms);
      timer.unref();
      return timer;
    };
    this.timers = [every(settings.watchTimeFlushMs, () => void this.flushWatchTime()), every(settings.viewerSampleMs, () => void this.sampleViewers())];
  }

  /** An attendee's `ping {visible_ms}`: credits what it vouches for, up to the time since that socket's previous one. */
  heartbeat(connection: Connection, visibleMs: number) {
    const now = this.deps.now();
    this.watchTime.heartbeat(connection.eventId, connection.member.id, visibleMs, now - connection.lastHeartbeatAt);
    connection.lastHeartbeatAt = now;
  }

  /** Writes the watch time counted so far. */
  async flushWatchTime() {
    try {
      await this.watchTime.flush();
    } catch (error) {
      this.deps.logger.error({ err: error }, 'watch time flush failed');
    }
  }

  /**
   * Adds this minute's point of every live event's concurrency curve: the viewers on every
   * process, written by the one process that claims the event's minute.
   */
  async sampleViewers() {
    const { presence } = this.deps;
    const events = new Set([...this.eventIds(), ...this.sampledEvents]);
    await Promise.all([...events].map((eventId) => presence.refresh(eventId)));
    const counts = new Map([...events].map((eventId) => [eventId, presence.viewers(eventId)]));
    this.sampledEvents = new Set([...counts].filter(([, viewers]) => viewers > 0).map(([eventId]) => eventId));
    const at = this.deps.now();
    const claimed = await Promise.all([...counts].map(async ([eventId]) => (await presence.claimSample(eventId, sampleMinute(at))) && eventId));
    for (const eventId of counts.keys()) if (!claimed.includes(eventId)) counts.delete(eventId);
    try {
      await this.viewerSamples.record(counts, at);
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message }, 'viewer samples not written; kept for the next write');
    }
  }

  stopTimers() {
    for (const timer of this.timers) clearInterval(timer);
  }

  /** Writes everything counted, retrying until `deadline` (Date.now()) while the database is away. */
  async writeAll(deadline: number): Promise<boolean> {
    for (;;) {
      await this.flushWatchTime();
      await this.viewerSamples.flush().catch(() => undefined);
      const pending = { watchTime: this.watchTime.pending, viewerSamples: this.viewerSamples.pending };
      if (pending.watchTime === 0 && pending.viewerSamples === 0) return true;
      if (Date.now() + 500 > deadline) {
        this.deps.logger.error(pending, 'analytics not written before the shutdown deadline');
        return false;
      }
      await sleep(500);
    }
  }
}
