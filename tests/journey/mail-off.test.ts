import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultMailSettings, loadConfig } from '../../packages/backend/src/config.js';
import { MailOutboxRow } from '../../packages/backend/src/db/models.js';
import { adminToken } from '../support/accounts.js';
import { useServer } from '../support/fixture.js';
import { api } from '../support/http.js';
import { sleep } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';

describe('PALCO_MAIL', () => {
  it('is on unless set to off, and refuses any other value with a message naming it', () => {
    expect(loadConfig({}).mail.enabled).toBe(true);
    expect(loadConfig({ PALCO_MAIL: 'on' }).mail.enabled).toBe(true);
    expect(loadConfig({ PALCO_MAIL: 'off' }).mail.enabled).toBe(false);
    expect(() => loadConfig({ PALCO_MAIL: 'no' })).toThrow('PALCO_MAIL must be on or off, got "no"');
  });
});

describe.each(databaseTargets)('a Palco with PALCO_MAIL=off on $name', (target) => {
  const server = useServer(target, { mail: { ...defaultMailSettings, enabled: false, smtpUrl: null, from: 'Palco <eventos@palco.test>' } });
  const slug = 'sin-correo';
  beforeAll(async () => {
    const created = await api(server.url, '/api/admin/events', { token: await adminToken(server.url), body: { slug, title: 'Sin correo' } });
    expect(created.status).toBe(201);
    expect(created.body.sign_in).toBe('access_code');
  });

  it('refuses an event whose attendees would need an inbox: sign-in by link or a required confirmation, on that field', async () => {
    const token = await adminToken(server.url);
    const byLink = await api(server.url, '/api/admin/events', { token, body: { slug: 'por-enlace', title: 'Por enlace', sign_in: 'link' } });
    expect(byLink.status).toBe(422);
    expect(Object.keys(byLink.body.fields)).toEqual(['sign_in']);
    expect(byLink.body.fields.sign_in).toContain('no envía correos');
    const confirming = await api(server.url, `/api/admin/events/${(await api(server.url, `/api/events/${slug}`)).body.id}`, {
      method: 'PATCH',
      token,
      body: { require_confirmation: true },
      headers: { 'accept-language': 'en' },
    });
    expect(confirming.status).toBe(422);
    expect(Object.keys(confirming.body.fields)).toEqual(['require_confirmation']);
    expect(confirming.body.fields.require_confirmation).toContain('sends no email');
    expect((await api(server.url, '/api/events/por-enlace')).status).toBe(404);
  });

  it('registers an attendee with a session at once and queues no message for them, nor writes a file', async () => {
    const registered = await api(server.url, `/api/events/${slug}/register`, { body: { name: 'Lía', email: 'lia@sin-correo.test', phone: '+34 600 000 000' } });
    expect(registered.status).toBe(201);
    expect(registered.body.token).toEqual(expect.any(String));
    await sleep(300);
    expect(await MailOutboxRow.count()).toBe(0);
    expect(existsSync(join(server.config.dataDir, 'mail'))).toBe(false);
  });

  it('answers a sign-in link request 503 mail_off in the reader\'s language, instead of promising an email that never comes', async () => {
    const english = await api(server.url, `/api/events/${slug}/sign-in-link`, { body: { email: 'lia@sin-correo.test' }, headers: { 'accept-language': 'en' } });
    expect(english.status).toBe(503);
    expect(english.body).toMatchObject({ error: 'mail_off', message: expect.stringContaining('sends no email') });
    expect(await MailOutboxRow.count()).toBe(0);
  });
});
