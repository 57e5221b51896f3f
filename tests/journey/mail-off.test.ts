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
    const created = await api(server.url, '/api/admin/events', { token: await adminToken(server.url), body: { slug, title: 'Sin correo', require_confirmation: true } });
    expect(created.status).toBe(201);
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
