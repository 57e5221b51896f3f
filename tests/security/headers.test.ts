import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { createEvent, useRealtimeServer } from '../realtime/support.js';
import { useServer } from '../support/fixture.js';

const producer = 'https://producer.example';

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('security headers on every hosted page and response', () => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  const cookieOf = (token: string) => `palco_e${event.id}=${token}`;

  const server = useRealtimeServer(databaseTargets[0]!);
  beforeAll(async () => {
    event = await createEvent(server, 'cabeceras', { allowed_origins: [producer] });
  });

  /** Every kind of response: what may frame it (null: nobody) and whether it must allow our own script. */
  const pages: Array<{ name: string; path: () => string; cookie?: () => string; framedBy: string[] | null }> = [
    { name: 'landing page', path: () => '/', framedBy: ["'self'"] },
    { name: 'registration page', path: () => `/e/${event.slug}`, framedBy: ["'self'", producer] },
    { name: 'sign-in page', path: () => `/e/${event.slug}/login`, framedBy: ["'self'", producer] },
    { name: 'message page (unknown event)', path: () => '/e/no-existe', framedBy: ["'self'"] },
    { name: 'watch shell', path: () => `/e/${event.slug}/watch`, cookie: () => cookieOf(event.moderator.token), framedBy: ["'self'", producer] },
    { name: 'speaker shell', path: () => `/e/${event.slug}/speaker`, cookie: () => cookieOf(event.speaker.token), framedBy: ["'self'", producer] },
    { name: 'moderation shell', path: () => `/e/${event.slug}/mod`, cookie: () => cookieOf(event.moderator.token), framedBy: ["'self'"] },
    { name: 'reports shell', path: () => `/e/${event.slug}/reports`, cookie: () => cookieOf(event.moderator.token), framedBy: ["'self'"] },
    { name: 'admin shell', path: () => '/admin/events', framedBy: ["'self'"] },
    { name: 'redirect to registration', path: () => `/e/${event.slug}/watch`, framedBy: ["'self'", producer] },
    { name: 'API JSON', path: () => `/api/events/${event.slug}`, framedBy: null },
    { name: 'API error', path: () => '/api/no-existe', framedBy: null },
    { name: 'embed.js', path: () => '/embed.js', framedBy: null },
    { name: 'stylesheet', path: () => '/assets/pages.css', framedBy: ["'self'"] },
  ];

  it.each(pages)('$name: CSP without unsafe-inline scripts, nosniff, Referrer-Policy, framing only as intended, no HSTS over HTTP', async (page) => {
    const response = await fetch(server.url + page.path(), { headers: page.cookie ? { cookie: page.cookie() } : {}, redirect: 'manual' });
    const policy = directives(response.headers.get('content-security-policy'));
    const scripts = policy['script-src'] ?? policy['default-src'];
    expect(scripts).toBeDefined();
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts!.every((source) => source === "'self'" || source === "'none'")).toBe(true);
    expect(policy['object-src'] ?? policy['default-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(page.framedBy ?? ["'none'"]);
    const frameOptions = response.headers.get('x-frame-options');
    expect(frameOptions).toBe(page.framedBy === null ? 'DENY' : page.framedBy.length > 1 ? null : 'SAMEORIGIN');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toMatch(/^(no-referrer|strict-origin-when-cross-origin)$/);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('frame-ancestors follow the event: a new allowed origin may frame its pages at once, another event’s origin never', async () => {
    const other = await createEvent(server, 'cabeceras-otra', { allowed_origins: ['https://otro.example'] });
    const own = directives((await fetch(`${server.url}/e/${other.slug}`)).headers.get('content-security-policy'));
    expect(own['frame-ancestors']).toEqual(["'self'", 'https://otro.example']);
    const first = directives((await fetch(`${server.url}/e/${event.slug}`)).headers.get('content-security-policy'));
    expect(first['frame-ancestors']).not.toContain('https://otro.example');
  });
});

describe.each([
  { proxy: true, https: true },
  { proxy: false, https: false },
])('HSTS and Secure cookies with TRUST_PROXY=$proxy', ({ proxy, https }) => {
  const server = useServer(databaseTargets[0]!, { trustProxy: proxy });

  it(`HTTPS downgrade: X-Forwarded-Proto https ${https ? 'brings' : 'is ignored without a trusted proxy, so no'} HSTS and Secure cookies`, async () => {
    const viaProxy = { 'x-forwarded-proto': 'https' };
    const page = await fetch(`${server.url}/e/demo-fast`, { headers: viaProxy });
    const hsts = page.headers.get('strict-transport-security');
    const registered = await api(server.url, '/api/events/demo-fast/register', {
      body: { name: 'Ana', email: `ana-${proxy}@produccionesfast.com`, phone: '600000000' },
      headers: viaProxy,
    });
    const cookie = registered.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
    if (https) {
      expect(hsts).toBe('max-age=31536000; includeSubDomains');
      expect(cookie).toMatch(/;\s*secure/i);
    } else {
      expect(hsts).toBeNull();
      expect(cookie).not.toMatch(/;\s*secure/i);
    }
    const plain = await fetch(`${server.url}/e/demo-fast`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});
