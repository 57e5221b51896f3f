import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../packages/backend/src/db/database.js';
import { EventRow } from '../../packages/backend/src/db/models.js';
import { api, registerAttendee } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { serverSuite } from '../support/suite.js';

describe.each(databaseTargets)('event schedule on $name', (target) => {
  const suite = serverSuite(target);

  const asAdmin = (path: string, init: { method?: string; body?: unknown } = {}) =>
    api(suite.server.url, `/api/admin${path}`, { ...init, token: suite.admin });
  const patch = (id: number, body: unknown) => asAdmin(`/events/${id}`, { method: 'PATCH', body });

  it('publishes the schedule in UTC with its zone, and the event waits as scheduled until it goes live', async () => {
    const created = await asAdmin('/events', {
      body: {
        slug: 'lanzamiento-2050',
        title: 'Lanzamiento 2050',
        starts_at: '2050-03-01T12:00:00-06:00',
        ends_at: '2050-03-01T13:30:00-06:00',
        time_zone: 'America/Mexico_City',
        description: 'La presentación del año.',
      },
    });
    expect(created.status).toBe(201);
    const event = (await api(suite.server.url, '/api/events/lanzamiento-2050')).body;
    expect(event).toMatchObject({
      starts_at: '2050-03-01T18:00:00.000Z',
      ends_at: '2050-03-01T19:30:00.000Z',
      time_zone: 'America/Mexico_City',
      description: 'La presentación del año.',
      live_at: null,
      sign_in: 'link',
      require_confirmation: false,
      state: 'scheduled',
      registration_open: true,
    });
    expect(event).not.toHaveProperty('embed_secret');

    suite.server.deps.now = () => Date.parse('2050-03-01T17:58:00Z');
    const live = await patch(created.body.id, { live: true });
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ state: 'live', live_at: '2050-03-01T17:58:00.000Z' });
    // A second "go live" keeps the first start: the broadcast began once.
    suite.server.deps.now = () => Date.parse('2050-03-01T18:05:00Z');
    expect((await patch(created.body.id, { live: true })).body.live_at).toBe('2050-03-01T17:58:00.000Z');
    expect((await patch(created.body.id, { live: false })).body).toMatchObject({ state: 'scheduled', live_at: null });
    suite.server.deps.now = () => Date.now();
  });

  it('keeps an event without a start time live while open, as adopted events always were', async () => {
    await asAdmin('/events', { body: { slug: 'sin-fecha', title: 'Sin fecha' } });
    expect((await api(suite.server.url, '/api/events/sin-fecha')).body).toMatchObject({ state: 'live', starts_at: null, time_zone: 'UTC' });
  });

  it('offers the replay on demand after closing until its window ends, with registration as the producer chose', async () => {
    const { body: event } = await asAdmin('/events', { body: { slug: 'con-repeticion', title: 'Con repetición' } });
    const closed = await patch(event.id, {
      is_active: false,
      replay_url: 'https://video.example/replay.m3u8',
      on_demand_until: '2050-04-01T00:00:00Z',
    });
    expect(closed.body).toMatchObject({ state: 'on_demand', registration_open: false });
    await expect(registerAttendee(suite.server.url, 'con-repeticion', 'example.org')).rejects.toThrow(/registration_closed/);
    expect((await patch(event.id, { replay_registration: true })).body.registration_open).toBe(true);
    expect((await registerAttendee(suite.server.url, 'con-repeticion', 'example.org')).user.email).toMatch(/@example\.org$/);

    suite.server.deps.now = () => Date.parse('2050-04-01T00:00:01Z');
    expect((await api(suite.server.url, '/api/events/con-repeticion')).body).toMatchObject({ state: 'ended', registration_open: false });
    suite.server.deps.now = () => Date.now();
  });

  it('refuses an end before the start, also when only one end is patched, and an unknown time zone', async () => {
    const backwards = await asAdmin('/events', {
      body: { slug: 'al-reves', title: 'Al revés', starts_at: '2050-03-01T12:00:00Z', ends_at: '2050-03-01T11:00:00Z' },
    });
    expect(backwards.status).toBe(422);
    expect(backwards.body.fields).toEqual({ ends_at: 'El final debe ser posterior al inicio.' });

    const { body: event } = await asAdmin('/events', {
      body: { slug: 'a-tiempo', title: 'A tiempo', starts_at: '2050-03-01T12:00:00Z', ends_at: '2050-03-01T13:00:00Z' },
    });
    const moved = await patch(event.id, { starts_at: '2050-03-01T14:00:00Z' });
    expect(moved.status).toBe(422);
    expect(moved.body.fields).toEqual({ ends_at: 'El final debe ser posterior al inicio.' });
    expect((await api(suite.server.url, '/api/events/a-tiempo')).body.starts_at).toBe('2050-03-01T12:00:00.000Z');

    const zone = await api(suite.server.url, `/api/admin/events/${event.id}?lang=en`, {
      method: 'PATCH',
      token: suite.admin,
      body: { time_zone: 'Mars/Olympus_Mons', starts_at: 'mañana', sign_in: 'password' },
    });
    expect(zone.status).toBe(422);
    expect(zone.body.fields).toEqual({
      time_zone: 'Enter an IANA time zone (e.g. America/Mexico_City).',
      starts_at: 'Enter a date and time with its offset (e.g. 2026-12-01T18:00:00Z).',
      sign_in: 'Choose link or access_code.',
    });
  });
});

describe('palco create-event', () => {
  const cli = fileURLToPath(new URL('../../packages/backend/dist/cli.js', import.meta.url));
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'palco-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('signs attendees in with the access code given on the command line, else by emailed link', async () => {
    const env = { PATH: process.env.PATH, PALCO_DATA_DIR: dataDir, PALCO_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' };
    const create = (...args: string[]) => spawnSync(process.execPath, [cli, 'create-event', ...args], { env, encoding: 'utf8' });
    expect(create('--slug', 'con-codigo', '--title', 'Con código', '--access-code', 'codigo-2050').status).toBe(0);
    expect(create('--slug', 'con-enlace', '--title', 'Con enlace').status).toBe(0);
    const db = await openDatabase(`sqlite:${join(dataDir, 'palco.sqlite')}`);
    try {
      const events = await EventRow.findAll({ attributes: ['slug', 'sign_in'], order: [['slug', 'ASC']], raw: true });
      expect(events).toEqual([
        { slug: 'con-codigo', sign_in: 'access_code' },
        { slug: 'con-enlace', sign_in: 'link' },
      ]);
    } finally {
      await db.close();
    }
  });
});
