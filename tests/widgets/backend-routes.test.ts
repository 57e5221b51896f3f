import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createStaff, setEventActive } from '../support/accounts.js';
import { api, loginAs, registerAttendee } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from './built-widgets.js';

const producer = 'http://producer.example:8080';

describe.each(databaseTargets)('embed.js, hosted pages and CORS on $name', (target) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(target);
    admin = await adminToken(server.url);
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: {
        slug: 'lanzamiento',
        title: 'Lanzamiento <script>window.__xss=1</script>',
        allowed_email_domains: [],
        access_code: 'codigo-2050',
        allowed_origins: [producer],
      },
    });
    expect(created.status).toBe(201);
    await createStaff(server.url, admin, 'lanzamiento', { name: 'Mod', email: 'mod@acme.com', role: 'moderador', password: 'mod-password-1' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const page = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers, redirect: 'manual' });

  it('serves embed.js gzipped, cacheable, revalidated with an ETag, loadable from any site', async () => {
    const response = await page('/embed.js', { 'Accept-Encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('max-age=300');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toContain('palco-chat');
    // fetch marks a conditional request no-cache, which forbids a 304; a browser's cache does not.
    const revalidated = await new Promise<number | undefined>((resolve, reject) =>
      get(`${server.url}/embed.js`, { headers: { 'If-None-Match': etag } }, (reply) => {
        reply.resume();
        resolve(reply.statusCode);
      }).on('error', reject),
    );
    expect(revalidated).toBe(304);
  });

  it('serves hls.js as a separate module with CORS, for the player to import', async () => {
    const response = await page('/embed/hls.js', { 'Accept-Encoding': 'identity' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toContain('MANIFEST_PARSED');
  });

  it('serves the QR code renderer as a separate module with CORS, for the speaker board to import', async () => {
    const response = await page('/embed/qr-code.js', { 'Accept-Encoding': 'identity' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toContain('BitMatrix size must be defined');
  });

  it('sends a visitor without a session from /watch to registration, and /mod to sign-in', async () => {
    expect((await page('/e/lanzamiento/watch')).headers.get('location')).toBe('/e/lanzamiento?lang=es');
    expect((await page('/e/lanzamiento/mod?lang=en')).headers.get('location')).toBe('/e/lanzamiento/login?lang=en');
    expect((await page('/e/nada/watch')).status).toBe(404);
  });

  it('renders the watch shell for an attendee with their cookie: the script, the elements, the title escaped', async () => {
    const attendee = await registerAttendee(server.url, 'lanzamiento', 'acme.com');
    const cookie = `palco_e${attendee.user.event_id}=${attendee.token}`;
    const response = await page('/e/lanzamiento/watch', { Cookie: cookie });
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<script src="/embed.js" defer');
    for (const tag of ['palco-player', 'palco-chat', 'palco-qa']) expect(html).toContain(`<${tag} event="lanzamiento" lang="es">`);
    expect(html).not.toContain('<script>window.__xss');
    expect(html).toContain('&lt;script>window.__xss=1&lt;/script>');
    // An attendee at a staff page is told whom it is for, with the way back to their own.
    const staffPage = await page('/e/lanzamiento/mod', { Cookie: cookie });
    expect(staffPage.status).toBe(403);
    expect(await staffPage.text()).toContain('<a href="/e/lanzamiento/watch?lang=es">');
  });

  it('renders /mod and /speaker for a moderator', async () => {
    const moderator = await loginAs(server.url, 'lanzamiento', 'mod@acme.com', 'mod-password-1');
    const cookie = `palco_e${moderator.user.event_id}=${moderator.token}`;
    expect(await (await page('/e/lanzamiento/mod?lang=en', { Cookie: cookie })).text()).toContain(
      '<palco-mod-queue event="lanzamiento" lang="en">',
    );
    expect(await (await page('/e/lanzamiento/speaker', { Cookie: cookie })).text()).toContain('<palco-speaker-board');
  });

  it('allows exactly the event’s allowed origins across origins', async () => {
    const allowed = await api(server.url, '/api/events/lanzamiento', { headers: { Origin: producer } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(producer);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    for (const origin of [`${producer}.evil.com`, 'http://producer.example', 'http://evil.com']) {
      const refused = await api(server.url, '/api/events/lanzamiento', { headers: { Origin: origin } });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
    const otherEvent = await api(server.url, '/api/events/demo-fast', { headers: { Origin: producer } });
    expect(otherEvent.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers the preflight of a registration from the producer’s site', async () => {
    const response = await fetch(`${server.url}/api/events/lanzamiento/register`, {
      method: 'OPTIONS',
      headers: { Origin: producer, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(producer);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  });

  it('allows /api/me and /api/auth from the producer’s site for a token of that event only', async () => {
    const attendee = await registerAttendee(server.url, 'lanzamiento', 'acme.com');
    const me = await api(server.url, '/api/me', { token: attendee.token, headers: { Origin: producer } });
    expect(me.status).toBe(200);
    expect(me.headers.get('access-control-allow-origin')).toBe(producer);
    const demo = await registerAttendee(server.url);
    const foreign = await api(server.url, '/api/me', { token: demo.token, headers: { Origin: producer } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${server.url}/api/auth/logout`, {
      method: 'OPTIONS',
      headers: { Origin: producer, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(producer);
  });

  it('still renders the shell of a closed event, where the widgets show it ended', async () => {
    const attendee = await registerAttendee(server.url, 'lanzamiento', 'acme.com');
    await setEventActive(server.url, admin, 'lanzamiento', false);
    try {
      const response = await page('/e/lanzamiento/watch', { Cookie: `palco_e${attendee.user.event_id}=${attendee.token}` });
      expect(response.status).toBe(200);
    } finally {
      await setEventActive(server.url, admin, 'lanzamiento', true);
    }
  });

  it('serves admin.js like embed.js, and one strict shell for /admin/events and every view below it', async () => {
    const script = await page('/admin.js', { 'Accept-Encoding': 'gzip' });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('etag')).toMatch(/^".+"$/);
    expect(await script.text()).toContain('palco-admin');

    for (const [path, lang] of [['/admin/events', 'es'], ['/admin/events/12/staff?lang=en', 'en']] as const) {
      const shell = await page(path);
      expect(shell.status).toBe(200);
      expect(shell.headers.get('cache-control')).toBe('no-store');
      const policy = shell.headers.get('content-security-policy')!;
      expect(policy).toContain("script-src 'self'");
      // One stylesheet for every hosted page, from our own origin; no inline style to allow.
      expect(policy).toMatch(/style-src 'self'(;|$)/);
      const html = await shell.text();
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain('<script src="/admin.js" defer>');
      expect(html).toContain(`<palco-admin lang="${lang}" base="/admin/events">`);
    }
    const bare = await page('/admin?lang=en');
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/admin/events?lang=en');
  });
});
