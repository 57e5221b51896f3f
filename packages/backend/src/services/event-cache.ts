import { LRUCache } from 'lru-cache';
import { ErrorCode, Limits } from '@palco/sdk/protocol';
import { EventRow } from '../db/models.js';
import { AppError } from '../errors.js';

/** A change made outside Palco (another tool on the database) shows up within this time. */
const maxAgeMs = 5_000;
/** Events kept at once; far more than run together, so nothing live is evicted. */
const maxEvents = 10_000;

/** A clock in ms, as lru-cache reads it; tests pass one they move by hand. */
export interface CacheClock {
  now(): number;
}

function eventCache<K extends number | string>(read: (key: K) => Promise<EventRow | null>, clock?: CacheClock) {
  return new LRUCache<K, EventRow>({
    max: maxEvents,
    ttl: maxAgeMs,
    // An event that does not exist is not remembered: it may be created the next moment.
    fetchMethod: async (key) => (await read(key)) ?? undefined,
    // A read under way when its event was forgotten still answers its callers, but is not kept.
    ignoreFetchAbort: true,
    // Staleness is judged on every read, not on a clock reading cached for a millisecond, so a
    // clock moved by hand is obeyed at once.
    ttlResolution: 0,
    ...(clock ? { perf: clock } : {}),
  });
}

/**
 * The one way routes, the socket hub and services read an event, so a join storm reads each
 * event once instead of once a request. Reads of one key in flight together make one query.
 * Every change Palco makes to an event is announced on the bus (`event_changed`,
 * `close_event`) and forgets it on every process. The rows handed out are shared: callers read
 * them and never save them (`forChange` gives a row of one's own to change).
 */
export class EventCache {
  private readonly byIdCache: LRUCache<number, EventRow>;
  private readonly bySlugCache: LRUCache<string, EventRow>;

  constructor(clock?: CacheClock) {
    this.byIdCache = eventCache((id: number) => EventRow.findByPk(id), clock);
    this.bySlugCache = eventCache((slug: string) => EventRow.findOne({ where: { slug } }), clock);
  }

  async bySlug(slug: string): Promise<EventRow | null> {
    if (!Limits.slugPattern.test(slug)) return null;
    return (await this.bySlugCache.fetch(slug)) ?? null;
  }

  async byId(id: number): Promise<EventRow | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    return (await this.byIdCache.fetch(id)) ?? null;
  }

  /** 404 `event_not_found` when there is no such event. */
  async bySlugOr404(slug: string): Promise<EventRow> {
    return found(await this.bySlug(slug));
  }

  /** 404 `event_not_found` when there is no such event. */
  async byIdOr404(id: number): Promise<EventRow> {
    return found(await this.byId(id));
  }

  /** A row read from the database for the caller alone, to change and save (then announce the change). */
  async forChange(id: number): Promise<EventRow> {
    return found(Number.isSafeInteger(id) && id > 0 ? await EventRow.findByPk(id) : null);
  }

  /**
   * The event changed (or is gone): the next read goes to the database. Its slug may have
   * changed too, and reads by slug in flight cannot be told apart, so every slug is read again
   * (one query per live event, on an administrator's change).
   */
  forget(eventId: number) {
    this.byIdCache.delete(eventId);
    this.bySlugCache.clear();
  }
}

function found(event: EventRow | null): EventRow {
  if (!event) throw new AppError(404, ErrorCode.eventNotFound);
  return event;
}
