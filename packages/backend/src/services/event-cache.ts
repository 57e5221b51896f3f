import { ErrorCode, Limits } from '@palco/sdk/protocol';
import { EventRow } from '../db/models.js';
import { AppError } from '../errors.js';

/** A change made outside Palco (another tool on the database) shows up within this time. */
const maxAgeMs = 5_000;

interface Entry {
  row: Promise<EventRow | null>;
  loadedAt: number;
}

/**
 * Event rows for the paths every attendee takes (registration, sign-in, socket admission),
 * so a join storm reads each event once instead of once a request. Every change Palco makes
 * to an event is announced on the bus (`event_changed`, `close_event`) and forgets it on
 * every process. The rows handed out are shared: callers read them and never save them.
 */
export class EventCache {
  private readonly entries = new Map<number, Entry>();
  private readonly idBySlug = new Map<string, number>();
  /** Reads by slug under way, so a burst of requests for a slug not yet known makes one query. */
  private readonly loadingBySlug = new Map<string, Promise<EventRow | null>>();
  /** Bumped by every forget: a read that began before it must not be remembered. */
  private generation = 0;

  async bySlug(slug: string): Promise<EventRow | null> {
    if (!Limits.slugPattern.test(slug)) return null;
    const id = this.idBySlug.get(slug);
    const cached = id === undefined ? null : await this.fresh(id);
    // A slug may have moved to another event since it was remembered.
    if (cached?.slug === slug) return cached;
    let loading = this.loadingBySlug.get(slug);
    if (!loading) {
      const generation = this.generation;
      const read = EventRow.findOne({ where: { slug } });
      loading = read;
      this.loadingBySlug.set(slug, read);
      const settled = () => {
        if (this.loadingBySlug.get(slug) === read) this.loadingBySlug.delete(slug);
      };
      read.then((row) => {
        settled();
        if (row && generation === this.generation) this.remember(row);
      }, settled);
    }
    return loading;
  }

  async byId(id: number): Promise<EventRow | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    const cached = this.fresh(id);
    if (cached) return cached;
    const entry: Entry = { row: EventRow.findByPk(id), loadedAt: performance.now() };
    this.entries.set(id, entry);
    const row = await entry.row.catch((error: unknown) => {
      this.forgetEntry(id, entry);
      throw error;
    });
    if (row) this.idBySlug.set(row.slug, id);
    else this.forgetEntry(id, entry);
    return row;
  }

  async bySlugOr404(slug: string): Promise<EventRow> {
    const event = await this.bySlug(slug);
    if (!event) throw new AppError(404, ErrorCode.eventNotFound);
    return event;
  }

  /** The event changed (or is gone): the next read goes to the database. */
  forget(eventId: number) {
    this.generation += 1;
    this.entries.delete(eventId);
    this.loadingBySlug.clear();
  }

  private remember(row: EventRow) {
    this.entries.set(row.id, { row: Promise.resolve(row), loadedAt: performance.now() });
    this.idBySlug.set(row.slug, row.id);
  }

  private fresh(id: number): Promise<EventRow | null> | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (performance.now() - entry.loadedAt > maxAgeMs) {
      this.entries.delete(id);
      return null;
    }
    return entry.row;
  }

  private forgetEntry(id: number, entry: Entry) {
    if (this.entries.get(id) === entry) this.entries.delete(id);
  }
}
