import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { answeredWithinSeats, registerAtOnce, storedStatuses } from './support.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('capacity and waitlist on $name', (target) => {
  let admin: string;
  const server = useServer(target, { rateLimits: { ...defaultRateLimits, registrationsPerIp: 1_000_000 } });
  beforeAll(async () => {
    admin = await adminToken(server.url);
  });

  const createEvent = async (slug: string, extra: object) => {
    const created = await api(server.url, '/api/admin/events', { token: admin, body: { slug, title: slug, access_code: 'codigo-2050', sign_in: 'access_code', ...extra } });
    expect(created.status).toBe(201);
    return created.body as { id: number; slug: string };
  };
  const register = (slug: string, email: string) =>
    api(server.url, `/api/events/${slug}/register`, { body: { name: email.split('@')[0], email, phone: '+34 600 000 000' } });
  const participants = async (slug: string) =>
    (await api(server.url, `/api/events/${slug}/reports/participants?sort=registered_at`, { token: admin })).body.items as Array<{
      user_id: number;
      email: string;
      status: string;
    }>;

  it('puts registrations past capacity on the waitlist without a session, and an administrator admits them', async () => {
    const event = await createEvent('con-espera', { capacity: 1, waitlist: true });
    const first = await register(event.slug, 'ana@aforo.test');
    expect(first.status).toBe(201);
    const second = await register(event.slug, 'beto@aforo.test');
    expect(second.status).toBe(202);
    expect(second.body).toEqual({ status: 'waitlisted', user: { id: expect.any(Number), name: 'beto', email: 'beto@aforo.test' } });
    expect(second.body).not.toHaveProperty('token');
    expect(second.headers.get('set-cookie')).toBeNull();

    const login = () => api(server.url, `/api/events/${event.slug}/login`, { body: { email: 'beto@aforo.test', password: 'codigo-2050' } });
    const refused = await login();
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('waitlisted');
    expect((await participants(event.slug)).map((row) => [row.email, row.status])).toEqual([
      ['ana@aforo.test', 'registered'],
      ['beto@aforo.test', 'waitlisted'],
    ]);

    const admit = () => api(server.url, `/api/admin/events/${event.id}/participants/${second.body.user.id}/admit`, { method: 'POST', token: admin });
    const full = await admit();
    expect(full.status).toBe(409);
    expect(full.body.error).toBe('event_full');

    // Ana cancels: her seat goes to the person the administrator admits.
    const cancelled = await api(server.url, `/api/events/${event.slug}/registration`, { method: 'DELETE', token: first.body.token });
    expect(cancelled.status).toBe(204);
    expect((await api(server.url, '/api/me', { token: first.body.token })).status).toBe(401);
    const admitted = await admit();
    expect(admitted.status).toBe(200);
    expect(admitted.body).toEqual({ id: second.body.user.id, status: 'registered' });
    expect((await login()).status).toBe(200);
    expect((await admit()).body.error).toBe('invalid_state');

    const audit = await api(server.url, `/api/admin/audit?event_id=${event.id}&action=waitlist_admitted`, { token: admin });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ target_type: 'participant', target_id: second.body.user.id });
  });

  it('refuses registrations past capacity with event_full where the event keeps no waitlist', async () => {
    const event = await createEvent('sin-espera', { capacity: 1 });
    expect((await register(event.slug, 'uno@aforo.test')).status).toBe(201);
    const refused = await register(event.slug, 'dos@aforo.test');
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: 'event_full', message: 'El evento está completo: ya no quedan plazas.' });
    // A refused address holds nothing: a returning one is still told it is registered.
    expect((await register(event.slug, 'uno@aforo.test')).body.error).toBe('already_registered');
    expect((await participants(event.slug)).map((row) => row.email)).toEqual(['uno@aforo.test']);
  });

  it('counts the attendees already there when a capacity is set later', async () => {
    const event = await createEvent('aforo-tardio', {});
    await register(event.slug, 'a@aforo.test');
    await register(event.slug, 'b@aforo.test');
    const capped = await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: admin, body: { capacity: 2 } });
    expect(capped.body.seats_taken).toBe(2);
    expect((await register(event.slug, 'c@aforo.test')).body.error).toBe('event_full');
  });

  it('admits exactly 100 of 2 000 simultaneous registrations for 100 seats and waitlists the rest', async () => {
    const event = await createEvent('cien-plazas', { capacity: 100, waitlist: true });
    const { statuses } = await registerAtOnce([server.url], event.slug, 2000, 'carrera');
    expect(answeredWithinSeats(statuses, 100, 2000), JSON.stringify(statuses)).toBe(true);
    expect(await storedStatuses(server.url, event.slug, admin)).toEqual({ registered: 100, waitlisted: 1900 });
    expect((await api(server.url, `/api/admin/events/${event.id}`, { token: admin })).body.seats_taken).toBe(100);
  }, 120_000);
});
