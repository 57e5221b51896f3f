import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { EventRow } from '../db/models.js';
import { EventCache } from './event-cache.js';

describe('event cache', () => {
  let db: Database;
  let reads = 0;
  let now = 0;
  const clock = { now: () => now };
  let serial = 0;

  beforeAll(async () => {
    db = await openDatabase('sqlite::memory:');
    await EventRow.sync();
    EventRow.addHook('beforeFind', () => {
      reads += 1;
    });
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(() => {
    reads = 0;
    now = 1_000_000;
  });

  const newEvent = () => {
    serial += 1;
    return EventRow.create({ slug: `cache-${serial}`, title: `Evento ${serial}`, embed_secret: 'x'.repeat(64) });
  };
  const retitle = (event: EventRow, title: string) => EventRow.update({ title }, { where: { id: event.id } });

  it('answers a burst of reads of one event with one query', async () => {
    const event = await newEvent();
    const cache = new EventCache(clock);
    const bySlug = await Promise.all(Array.from({ length: 50 }, () => cache.bySlug(event.slug)));
    const byId = await Promise.all(Array.from({ length: 50 }, () => cache.byId(event.id)));
    expect(new Set([...bySlug].map((row) => row!.id))).toEqual(new Set([event.id]));
    expect(new Set(byId).size).toBe(1);
    expect(reads).toBe(2);
  });

  it('reads a known event again only once it is five seconds old', async () => {
    const event = await newEvent();
    const cache = new EventCache(clock);
    expect((await cache.bySlug(event.slug))!.title).toBe(event.title);
    await retitle(event, 'Cambiado por otra herramienta');
    now += 4_900;
    expect((await cache.bySlug(event.slug))!.title).toBe(event.title);
    now += 200;
    expect((await cache.bySlug(event.slug))!.title).toBe('Cambiado por otra herramienta');
    expect(reads).toBe(2);
  });

  it('reads a forgotten event again at once, by id and by its new slug', async () => {
    const event = await newEvent();
    const cache = new EventCache(clock);
    await cache.byId(event.id);
    await cache.bySlug(event.slug);
    await EventRow.update({ title: 'Nuevo título', slug: `${event.slug}-nuevo` }, { where: { id: event.id } });
    cache.forget(event.id);
    expect((await cache.byId(event.id))!.title).toBe('Nuevo título');
    expect(await cache.bySlug(event.slug)).toBeNull();
    expect((await cache.bySlug(`${event.slug}-nuevo`))!.id).toBe(event.id);
  });

  it('answers a read that was in flight when its event was forgotten, but does not keep it', async () => {
    const event = await newEvent();
    const cache = new EventCache(clock);
    const inFlight = cache.byId(event.id);
    cache.forget(event.id);
    await retitle(event, 'Después del olvido');
    expect((await inFlight)!.id).toBe(event.id);
    expect((await cache.byId(event.id))!.title).toBe('Después del olvido');
  });

  it('does not remember an event that does not exist yet', async () => {
    const cache = new EventCache(clock);
    expect(await cache.bySlug('cache-todavia-no')).toBeNull();
    await EventRow.create({ slug: 'cache-todavia-no', title: 'Ahora sí', embed_secret: 'y'.repeat(64) });
    expect((await cache.bySlug('cache-todavia-no'))!.title).toBe('Ahora sí');
    await expect(cache.bySlugOr404('cache-nunca')).rejects.toMatchObject({ status: 404, code: 'event_not_found' });
  });

  it('answers malformed slugs and ids without a query', async () => {
    const cache = new EventCache(clock);
    expect(await cache.bySlug("x' OR 1=1 --")).toBeNull();
    expect(await cache.bySlug('A'.repeat(65))).toBeNull();
    expect(await cache.byId(-1)).toBeNull();
    expect(await cache.byId(Number.NaN)).toBeNull();
    expect(reads).toBe(0);
  });

  it('gives a row of its own to change, never the shared one', async () => {
    const event = await newEvent();
    const cache = new EventCache(clock);
    const shared = await cache.byId(event.id);
    const own = await cache.forChange(event.id);
    expect(own).not.toBe(shared);
    expect(own.id).toBe(event.id);
  });
});
