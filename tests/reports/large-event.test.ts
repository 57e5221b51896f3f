import { beforeAll, describe, expect, it } from 'vitest';
import type { EventReport, ParticipantReport, TablePage } from '@palco/sdk/protocol';
import { SessionAnalyticsRow, UserRow } from '../../packages/backend/src/db/models.js';
import { api } from '../support/http.js';
import { useServer } from '../support/fixture.js';
import { databaseTargets } from '../support/server.js';
import { createEvent } from '../realtime/support.js';

const attendeeCount = 50_000;
const batch = 5_000;
const label = (index: number) => String(index).padStart(5, '0');

/** Attendee i watched i % 200 minutes and i seconds more, when i is even; the odd ones never came. */
const secondsOf = (index: number) => (index % 2 === 0 ? (index % 200) * 60 + (index % 60) : null);

describe.each(databaseTargets)('the participants of an event of 50 000 on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  const ids: number[] = [];

  const server = useServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'multitud');
    const registeredAt = Date.parse('2026-03-01T10:00:00Z');
    for (let from = 1; from <= attendeeCount; from += batch) {
      const indexes = Array.from({ length: Math.min(batch, attendeeCount - from + 1) }, (_, offset) => from + offset);
      const users = await UserRow.bulkCreate(
        indexes.map((index) => ({
          name: `Persona ${label(index)}`,
          email: `persona${label(index)}@multitud.test`,
          phone: `+34 6${label(index)}`,
          password: null,
          role: 'visor' as const,
          event_id: event.id,
          created_at: new Date(registeredAt + index * 1000),
        })),
      );
      // MySQL's bulk insert returns ids only for an auto-increment run: read them back by email.
      const stored = await UserRow.findAll({ attributes: ['id', 'email'], where: { event_id: event.id, email: users.map((user) => user.email) } });
      const byEmail = new Map(stored.map((user) => [user.email, user.id]));
      for (const index of indexes) ids[index] = byEmail.get(`persona${label(index)}@multitud.test`)!;
      await SessionAnalyticsRow.bulkCreate(
        indexes
          .filter((index) => secondsOf(index) !== null)
          .map((index) => ({
            user_id: ids[index]!,
            event_id: event.id,
            start_time: new Date(registeredAt),
            last_ping: new Date(registeredAt + secondsOf(index)! * 1000),
            total_seconds: secondsOf(index)!,
            total_minutes: Math.floor(secondsOf(index)! / 60),
          })),
      );
    }
  }, 300_000);

  const page = async (query: string) => {
    const response = await api<TablePage<ParticipantReport>>(server.url, `/api/events/${event.slug}/reports/participants?${query}`, {
      token: event.moderator.token,
    });
    expect(response.status, `${JSON.stringify(response.body)}\n${server.loggedErrors()}`).toBe(200);
    return response.body;
  };

  it('counts everyone in the report without listing them', async () => {
    const response = await api<EventReport>(server.url, `/api/events/${event.slug}/reports`, { token: event.admin });
    expect(response.status).toBe(200);
    expect(response.body.total_participants).toBe(attendeeCount);
    expect(response.body.watch.watchers).toBe(attendeeCount / 2);
    expect(response.body.distribution.reduce((sum, bucket) => sum + bucket.participants, 0)).toBe(attendeeCount);
    // Far from the megabytes a list of 50 000 would weigh.
    expect(JSON.stringify(response.body).length).toBeLessThan(4_000);
  });

  it('returns any page in registration order, the last one included', async () => {
    const first = await page('limit=100');
    expect(first.total).toBe(attendeeCount);
    expect(first.items.map((participant) => participant.name)).toEqual(Array.from({ length: 100 }, (_, i) => `Persona ${label(i + 1)}`));
    const middle = await page('offset=31337&limit=3');
    expect(middle.items.map((participant) => participant.user_id)).toEqual([ids[31338], ids[31339], ids[31340]]);
    const last = await page(`offset=${attendeeCount - 2}&limit=500`);
    expect(last.items.map((participant) => participant.email)).toEqual(['persona49999@multitud.test', 'persona50000@multitud.test']);
    expect((await page(`offset=${attendeeCount}`)).items).toEqual([]);
  });

  it('sorts by minutes watched, by name and by registration, both ways', async () => {
    // The most watched: even i with i % 200 = 198 and the largest i % 60 among them.
    const most = await page('sort=minutes&dir=desc&limit=3');
    const expected = Array.from({ length: attendeeCount }, (_, i) => i + 1)
      .filter((index) => secondsOf(index) !== null)
      .sort((a, b) => secondsOf(b)! - secondsOf(a)! || b - a)
      .slice(0, 3);
    expect(most.items.map((participant) => participant.user_id)).toEqual(expected.map((index) => ids[index]));
    expect(most.items[0]!.total_seconds).toBe(secondsOf(expected[0]!));
    const least = await page('sort=minutes&dir=asc&limit=2');
    // Never came: 0 seconds, the odd ones in id order.
    expect(least.items.map((participant) => [participant.user_id, participant.total_seconds, participant.last_ping])).toEqual([
      [ids[1], 0, null],
      [ids[3], 0, null],
    ]);
    expect((await page('sort=name&dir=desc&limit=1')).items[0]!.name).toBe('Persona 50000');
    expect((await page('sort=registered_at&dir=desc&limit=1')).items[0]!.name).toBe('Persona 50000');
    expect((await page('sort=phone&limit=1')).items[0]!.phone).toBe('+34 600001');
  });

  it('searches name, email and phone across all of them and pages the matches', async () => {
    const matches = await page('q=persona4999&limit=5');
    // The emails persona49990@ … persona49999@ (names have a space, persona04999 a zero).
    expect(matches.total).toBe(10);
    expect(matches.items.map((participant) => participant.name)).toEqual(['49990', '49991', '49992', '49993', '49994'].map((n) => `Persona ${n}`));
    const next = await page('q=persona4999&offset=5&limit=5');
    expect(next.items.map((participant) => participant.name)).toEqual(['49995', '49996', '49997', '49998', '49999'].map((n) => `Persona ${n}`));
    const byPhone = await page(`q=${encodeURIComponent('+34 612345')}`);
    expect(byPhone.items.map((participant) => participant.name)).toEqual(['Persona 12345']);
    expect((await page('q=nadie-se-llama-asi')).total).toBe(0);
  });
});
