import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createStaff, eventId } from '../support/accounts.js';
import { api, registerAttendee } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('admin API on $name', (target) => {
  let admin: string;
  const server = useServer(target);
  beforeAll(async () => {
    admin = await adminToken(server.url);
  });

  const asAdmin = (path: string, init: { method?: string; body?: unknown } = {}) =>
    api(server.url, `/api/admin${path}`, { ...init, token: admin });

  it('creates an event (201), refuses a taken slug (409) and an invalid one (422)', async () => {
    const body = { slug: 'lanzamiento', title: 'Lanzamiento', allowed_email_domains: ['acme.com'], access_code: 'acme-2050' };
    const created = await asAdmin('/events', { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'lanzamiento',
      title: 'Lanzamiento',
      is_active: true,
      allowed_email_domains: ['acme.com'],
      has_access_code: true,
      slow_mode_seconds: 0,
    });
    expect(created.body.embed_secret).toMatch(/^[0-9a-f]{64}$/);
    const taken = await asAdmin('/events', { body });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ error: 'slug_taken', message: 'Ya existe un evento con esa dirección.' });
    const invalid = await asAdmin('/events', { body: { ...body, slug: 'Mal Slug!' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toBe('invalid_input');
    expect(invalid.body.fields).toEqual({ slug: 'Usa de 2 a 63 letras minúsculas, números o guiones.' });
    const listed = await asAdmin('/events');
    expect(listed.body.map((event: { slug: string }) => event.slug)).toEqual(expect.arrayContaining(['lanzamiento', 'demo-fast']));
  });

  it('patches an event: slow mode, domains, close and reopen', async () => {
    const { body: event } = await asAdmin('/events', { body: { slug: 'patchable', title: 'Patchable', access_code: 'patch-2050' } });
    const slowed = await asAdmin(`/events/${event.id}`, { method: 'PATCH', body: { slow_mode_seconds: 10 } });
    expect(slowed.status).toBe(200);
    expect((await api(server.url, '/api/events/patchable')).body.slow_mode_seconds).toBe(10);

    expect((await registerAttendee(server.url, 'patchable', 'anywhere.org')).user.email).toMatch(/@anywhere\.org$/);
    await asAdmin(`/events/${event.id}`, { method: 'PATCH', body: { allowed_email_domains: ['Acme.com'] } });
    expect((await api(server.url, '/api/events/patchable')).body.allowed_email_domains).toEqual(['acme.com']);
    await expect(registerAttendee(server.url, 'patchable', 'anywhere.org')).rejects.toThrow(/403/);
    await registerAttendee(server.url, 'patchable', 'acme.com');

    const closed = await asAdmin(`/events/${event.id}`, { method: 'PATCH', body: { is_active: false } });
    expect(closed.body.is_active).toBe(false);
    await expect(registerAttendee(server.url, 'patchable', 'acme.com')).rejects.toThrow(/registration_closed/);
    const reopened = await asAdmin(`/events/${event.id}`, { method: 'PATCH', body: { is_active: true } });
    expect(reopened.body.is_active).toBe(true);
    await registerAttendee(server.url, 'patchable', 'acme.com');
  });

  it('creates, lists, edits and deletes staff; a password reset ends the old session', async () => {
    const id = await eventId(server.url, 'demo-fast');
    const moderator = await createStaff(server.url, admin, 'demo-fast', {
      name: 'Nora',
      email: 'nora@staff.test',
      role: 'moderador',
      password: 'nora-password-1',
    });
    expect(moderator).toMatchObject({ name: 'Nora', email: 'nora@staff.test', role: 'moderador', event_id: id });
    expect(moderator).not.toHaveProperty('password');
    const duplicate = await asAdmin(`/events/${id}/staff`, {
      body: { name: 'Nora', email: 'nora@staff.test', role: 'speaker', password: 'another-pass' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toBe('email_taken');
    const wrongRole = await asAdmin(`/events/${id}/staff`, {
      body: { name: 'Z', email: 'z@staff.test', role: 'administrador', password: 'another-pass' },
    });
    expect(wrongRole.status).toBe(422);
    expect(wrongRole.body.fields.role).toBe('Elige moderador o speaker.');

    const listed = await asAdmin(`/events/${id}/staff`);
    expect(listed.body.map((member: { email: string }) => member.email)).toContain('nora@staff.test');

    const login = (password: string) =>
      api(server.url, '/api/events/demo-fast/login', { body: { email: 'nora@staff.test', password } });
    const oldSession = await login('nora-password-1');
    const patched = await asAdmin(`/events/${id}/staff/${moderator.id}`, {
      method: 'PATCH',
      body: { name: 'Nora B', role: 'speaker', password: 'nora-password-2' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Nora B', role: 'speaker' });
    expect((await api(server.url, '/api/me', { token: oldSession.body.token })).status).toBe(401);
    expect((await login('nora-password-1')).status).toBe(401);
    const newSession = await login('nora-password-2');
    expect(newSession.status).toBe(200);
    expect(newSession.body.redirect).toBe('/e/demo-fast/speaker');

    expect((await asAdmin(`/events/${id}/staff/${moderator.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(server.url, '/api/me', { token: newSession.body.token })).status).toBe(401);
    expect((await login('nora-password-2')).status).toBe(401);
    expect((await asAdmin(`/events/${id}/staff/${moderator.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses attendees and staff with 403 and anonymous callers with 401', async () => {
    const attendee = await registerAttendee(server.url);
    await createStaff(server.url, admin, 'demo-fast', { name: 'Leo', email: 'leo@staff.test', role: 'moderador', password: 'leo-password' });
    const moderator = await api(server.url, '/api/events/demo-fast/login', { body: { email: 'leo@staff.test', password: 'leo-password' } });
    for (const token of [attendee.token, moderator.body.token]) {
      const response = await api(server.url, '/api/admin/events', { token });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ error: 'forbidden', message: 'No tienes permiso para hacer esto.' });
      expect((await api(server.url, '/api/admin/events', { token, body: { slug: 'nope', title: 'Nope' } })).status).toBe(403);
    }
    const anonymous = await api(server.url, '/api/admin/events');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('not_authenticated');
  });
});
