import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage } from '@palco/sdk/protocol';
import { adminToken, createStaff } from '../support/accounts.js';
import { api, loginAs } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('audit log on $name', (target) => {
  let admin: string;
  let adminId: number;
  const server = useServer(target);
  beforeAll(async () => {
    admin = await adminToken(server.url);
    adminId = (await api(server.url, '/api/me', { token: admin })).body.user.id;
  });

  const asAdmin = <T = any>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    api<T>(server.url, `/api/admin${path}`, { ...init, token: admin });
  const audit = async (query: string) => {
    const response = await asAdmin<AuditPage>(`/audit?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('records who created, changed, closed and reopened an event, with each field before and after', async () => {
    const created = await asAdmin('/events', { body: { slug: 'auditada', title: 'Auditada', access_code: 'codigo-2050' } });
    const id = created.body.id;
    await asAdmin(`/events/${id}`, { method: 'PATCH', body: { title: 'Auditada 2', slow_mode_seconds: 5 } });
    await asAdmin(`/events/${id}`, { method: 'PATCH', body: { is_active: false } });
    await asAdmin(`/events/${id}`, { method: 'PATCH', body: { is_active: true, rotate_embed_secret: true } });
    await asAdmin(`/events/${id}`, { method: 'PATCH', body: { access_code: 'otro-codigo-2050' } });

    const { items } = await audit(`event_id=${id}`);
    expect(items.map((entry) => entry.action)).toEqual(['event_changed', 'event_opened', 'event_closed', 'event_changed', 'event_created']);
    for (const entry of items) expect(entry).toMatchObject({ actor_id: adminId, actor_name: expect.any(String), target_type: 'event', target_id: id });
    const [code, reopened, closed, renamed, creation] = items as [AuditEntry, AuditEntry, AuditEntry, AuditEntry, AuditEntry];
    expect(renamed.changes).toEqual({ title: { before: 'Auditada', after: 'Auditada 2' }, slow_mode_seconds: { before: 0, after: 5 } });
    expect(closed.changes).toEqual({ is_active: { before: true, after: false } });
    // Secrets are named as changed, never written.
    expect(reopened.changes).toMatchObject({ is_active: { before: false, after: true }, embed_secret: { before: '[secret]', after: '[secret]' } });
    expect(code.changes).toEqual({ access_code: { after: '[secret]' } });
    expect(creation.changes).toMatchObject({ title: { after: 'Auditada' }, slug: { after: 'auditada' }, embed_secret: { after: '[secret]' } });
    expect(JSON.stringify(items)).not.toContain(created.body.embed_secret);
  });

  it('records staff added, renamed, given a new password and removed', async () => {
    const event = (await asAdmin('/events', { body: { slug: 'equipo-auditado', title: 'Equipo', access_code: 'codigo-2050' } })).body;
    const staff = await createStaff(server.url, admin, event.slug, { name: 'Mora', email: 'mora@staff.test', role: 'moderador', password: 'mora-password-1' });
    await asAdmin(`/events/${event.id}/staff/${staff.id}`, { method: 'PATCH', body: { name: 'Mora R.', password: 'nueva-password-1' } });
    await asAdmin(`/events/${event.id}/staff/${staff.id}`, { method: 'DELETE' });

    const { items } = await audit(`event_id=${event.id}`);
    const staffEntries = items.filter((entry) => entry.target_type === 'staff');
    expect(staffEntries.map((entry) => [entry.action, entry.changes])).toEqual([
      ['staff_removed', { name: { before: 'Mora R.' }, email: { before: 'mora@staff.test' }, role: { before: 'moderador' } }],
      ['staff_password_reset', { password: { after: '[secret]' } }],
      ['staff_changed', { name: { before: 'Mora', after: 'Mora R.' } }],
      ['staff_added', { name: { after: 'Mora' }, email: { after: 'mora@staff.test' }, role: { after: 'moderador' } }],
    ]);
    expect(JSON.stringify(items)).not.toContain('nueva-password-1');
  });

  it('records webhook changes and every export, by whoever of the staff took it', async () => {
    const event = (await asAdmin('/events', { body: { slug: 'ganchos-auditados', title: 'Ganchos', access_code: 'codigo-2050' } })).body;
    const hook = await asAdmin(`/events/${event.id}/webhooks`, { body: { url: 'https://93.184.215.14/hook', topics: ['user_registered'] } });
    expect(hook.status).toBe(201);
    await asAdmin(`/events/${event.id}/webhooks/${hook.body.id}`, { method: 'PATCH', body: { active: false } });
    await asAdmin(`/events/${event.id}/webhooks/${hook.body.id}`, { method: 'DELETE' });
    await createStaff(server.url, admin, event.slug, { name: 'Nora', email: 'nora@ganchos.test', role: 'moderador', password: 'nora-password-1' });
    const moderator = await loginAs(server.url, event.slug, 'nora@ganchos.test', 'nora-password-1');
    expect((await api(server.url, `/api/events/${event.slug}/reports/participants.csv`, { token: moderator.token })).status).toBe(200);
    expect((await api(server.url, `/api/events/${event.slug}/reports/chat.xlsx`, { token: admin })).status).toBe(200);

    const { items } = await audit(`event_id=${event.id}`);
    expect(items.filter((entry) => ['webhook', 'report'].includes(entry.target_type)).map((entry) => [entry.action, entry.actor_id, entry.changes])).toEqual([
      ['report_exported', adminId, { export: 'chat.xlsx' }],
      ['report_exported', moderator.user.id, { export: 'participants.csv' }],
      ['webhook_removed', adminId, expect.objectContaining({ url: { before: 'https://93.184.215.14/hook' }, secret: { before: '[secret]' } })],
      ['webhook_changed', adminId, { active: { before: true, after: false } }],
      ['webhook_added', adminId, expect.objectContaining({ topics: { after: 'user_registered' }, active: { after: true } })],
    ]);
  });

  it('filters by action, actor and time, pages newest first, and refuses a bad filter in the reader’s language', async () => {
    const closings = await audit('action=event_closed');
    expect(closings.items.length).toBeGreaterThan(0);
    expect(closings.items.every((entry) => entry.action === 'event_closed')).toBe(true);
    const byAdmin = await audit(`actor_id=${adminId}&limit=2`);
    expect(byAdmin.items).toHaveLength(2);
    expect(byAdmin.has_more).toBe(true);
    const next = await audit(`actor_id=${adminId}&limit=2&before=${byAdmin.items[1]!.id}`);
    expect(next.items[0]!.id).toBeLessThan(byAdmin.items[1]!.id);
    expect((await audit('from=2000-01-01T00:00:00Z&to=2000-12-31T00:00:00Z')).items).toEqual([]);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await audit(`from=2000-01-01T00:00:00Z&to=${future}`)).items.length).toBeGreaterThan(0);

    const bad = await asAdmin('/audit?action=everything&from=yesterday', { headers: { 'accept-language': 'en' } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      error: 'invalid_input',
      fields: { action: 'Unknown action.', from: 'Enter an ISO 8601 date.' },
    });
  });

  it('is for administrators only', async () => {
    await createStaff(server.url, admin, 'demo-fast', { name: 'Mod', email: 'mod@audit.test', role: 'moderador', password: 'mod-password-1' });
    const moderator = await loginAs(server.url, 'demo-fast', 'mod@audit.test', 'mod-password-1');
    expect((await api(server.url, '/api/admin/audit', { token: moderator.token })).status).toBe(403);
    expect((await api(server.url, '/api/admin/audit')).status).toBe(401);
  });
});
