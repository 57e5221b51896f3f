import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { UniqueConstraintError } from 'sequelize';
import { PollLimits, type ReactionEmoji } from '@palco/sdk/protocol';
import { consumeOrThrow } from '../auth/rate-limits.js';
import type { AppDeps } from '../context.js';
import { ReactionCountRow } from '../db/models.js';
import type { Member } from '../services/member.js';

export type ReactionDeps = Pick<AppDeps, 'bus' | 'makeLimiter' | 'logger' | 'now'>;

/** How often this process hands its reactions to the bus (ms); each room then sends one frame per PollLimits.reactionsWindowMs. */
const publishEveryMs = 250;
/** How often the per-minute counts are written (ms). */
const writeEveryMs = 5_000;

type Counts = Partial<Record<ReactionEmoji, number>>;

/**
 * Reactions (`react {emoji}`): never one frame per tap. Taps are summed per event on this
 * process and published every 250 ms; every room sums what arrives from every process and
 * sends one `reactions` frame per 500 ms. Each attendee may send PollLimits.reactionsPerAttendee
 * reactions per PollLimits.reactionsPerS seconds (`rate_limited` past that, shared across
 * processes with Redis). Per-minute counts go to `reaction_counts` for the report.
 */
export class ReactionService {
  private readonly limiter: RateLimiterAbstract;
  private window = new Map<number, Counts>();
  private minutes = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[];

  constructor(private readonly deps: ReactionDeps) {
    this.limiter = deps.makeLimiter({ keyPrefix: 'react', points: PollLimits.reactionsPerAttendee, duration: PollLimits.reactionsPerS });
    this.timers = [setInterval(() => void this.publish(), publishEveryMs), setInterval(() => void this.write(), writeEveryMs)];
    for (const timer of this.timers) timer.unref();
  }

  async react(eventId: number, member: Member, emoji: ReactionEmoji): Promise<{ emoji: ReactionEmoji }> {
    await consumeOrThrow(this.limiter, `${eventId}:${member.id}`);
    const counts = this.window.get(eventId) ?? {};
    counts[emoji] = (counts[emoji] ?? 0) + 1;
    this.window.set(eventId, counts);
    const minute = Math.floor(this.deps.now() / 60_000) * 60_000;
    const key = `${eventId}|${minute}|${emoji}`;
    this.minutes.set(key, (this.minutes.get(key) ?? 0) + 1);
    return { emoji };
  }

  /** Sends what was tapped since the last window. */
  async publish() {
    const window = this.window;
    this.window = new Map();
    for (const [eventId, counts] of window) {
      await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'reactions', counts } });
    }
  }

  /** Adds the counts gathered to each minute's row; a row another process created meanwhile is added to. */
  async write() {
    const minutes = this.minutes;
    this.minutes = new Map();
    for (const [key, count] of minutes) {
      const [eventId, minute, emoji] = key.split('|') as [string, string, string];
      const where = { event_id: Number(eventId), minute: new Date(Number(minute)), emoji };
      try {
        await this.addTo(where, count);
      } catch (error) {
        this.deps.logger.error({ err: error, event: eventId }, 'reaction counts not written');
      }
    }
  }

  private async addTo(where: { event_id: number; minute: Date; emoji: string }, count: number) {
    if ((await ReactionCountRow.count({ where })) === 0) {
      try {
        await ReactionCountRow.create({ ...where, count });
        return;
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
      }
    }
    await ReactionCountRow.increment({ count }, { where });
  }

  /** Sends and writes what is gathered, and stops. */
  async stop() {
    for (const timer of this.timers) clearInterval(timer);
    await this.publish();
    await this.write();
  }
}
