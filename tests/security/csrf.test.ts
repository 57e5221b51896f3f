import { beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { adminToken, eventId } from '../support/accounts.js';
import { api } from '../support/http.js';
import { submitForm } from '../support/pages.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { useServer } from '../support/fixture.js';

/** Registers an attendee and returns the session cookie the browser would keep. */
async function cookieSession(server: TestServer, email: string) {
  const response = await api(server.url, '/api/events/demo-fast/register', {
    body: { name: 'Ana', email, phone: '+34 600 000 000' },
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^palco_e\d+=/);
  return { cookie, token: response.body.token as string };
}

describe('CSRF on cookie sessions', () => {
  const server = useServer(databaseTargets[0]!);

  it('refuses a state change carried by the cookie from a foreign Origin', async () => {
    const { cookie, token } = await cookieSession(server, 'csrf1@produccionesfast.com');
    const forged = await api(server.url, '/api/auth/logout?event=demo-fast', {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error).toBe('forbidden');
    expect((await api(server.url, '/api/me', { token })).status).toBe(200);
  });

  it('refuses a cross-site request as the browser labels it with Sec-Fetch-Site', async () => {
    const { cookie } = await cookieSession(server, 'csrf2@produccionesfast.com');
    const forged = await api(server.url, '/api/auth/logout?event=demo-fast', {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
  });

  it('refuses an Origin of null (a sandboxed frame or a data: page) and a sibling site labelled same-site', async () => {
    const { cookie, token } = await cookieSession(server, 'csrf5@produccionesfast.com');
    const forgeries: Array<Record<string, string>> = [{ origin: 'null' }, { 'sec-fetch-site': 'same-site', origin: 'https://otra.produccionesfast.com' }];
    for (const headers of forgeries) {
      const forged = await api(server.url, '/api/auth/logout?event=demo-fast', { method: 'POST', headers: { cookie, ...headers } });
      expect(forged.status).toBe(403);
    }
    expect((await api(server.url, '/api/me', { token })).status).toBe(200);
  });

  it("refuses an administrator's cookie changing an event from a foreign page", async () => {
    const login = await api(server.url, '/api/auth/login', { body: { email: server.adminEmail, password: server.adminPassword } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^palco_admin=/);
    const id = (await api(server.url, '/api/events/demo-fast')).body.id as number;
    const forged = await api(server.url, `/api/admin/events/${id}`, {
      method: 'PATCH',
      body: { is_active: false },
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
    expect((await api(server.url, '/api/events/demo-fast')).body.is_active).toBe(true);
  });

  it('accepts the same change from the backend\'s own pages', async () => {
    const { cookie, token } = await cookieSession(server, 'csrf3@produccionesfast.com');
    const own = await api(server.url, '/api/auth/logout?event=demo-fast', {
      method: 'POST',
      headers: { cookie, origin: server.url.replace('localhost', '127.0.0.1'), 'sec-fetch-site': 'same-origin' },
    });
    expect(own.status).toBe(204);
    expect((await api(server.url, '/api/me', { token })).status).toBe(401);
  });

  it('lets bearer-token requests from a producer\'s site through, since they carry no ambient authority', async () => {
    const { token } = await cookieSession(server, 'csrf4@produccionesfast.com');
    const response = await api(server.url, '/api/auth/logout', {
      method: 'POST',
      token,
      headers: { origin: 'https://producer.example' },
    });
    expect(response.status).toBe(204);
  });
});

/** How browsers label a post a foreign page made, with and without Fetch Metadata. */
const crossSiteLabels: Array<[string, Record<string, string>]> = [
  ['Sec-Fetch-Site cross-site and a foreign Origin', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
  ['only a foreign Origin (no Fetch Metadata)', { origin: 'https://evil.example' }],
  ['Origin null (a sandboxed frame or a data: page)', { origin: 'null' }],
  ['a sibling site labelled same-site', { 'sec-fetch-site': 'same-site', origin: 'https://otra.produccionesfast.com' }],
  ['an allowed origin posting its own copy of the form', { 'sec-fetch-site': 'cross-site', origin: 'https://producer.example' }],
];

describe.each(databaseTargets)('login CSRF on $name', (target) => {
  let embedSecret: string;
  let serial = 0;
  const server = useServer(target);
  beforeAll(async () => {
    const admin = await adminToken(server.url);
    const id = await eventId(server.url, 'demo-fast');
    const event = await api(server.url, `/api/admin/events/${id}`, {
      method: 'PATCH',
      token: admin,
      body: { allowed_origins: ['https://producer.example'] },
    });
    embedSecret = event.body.embed_secret;
  });

  const attackerEmail = () => `atacante${++serial}@produccionesfast.com`;
  const registration = (email: string) => ({ name: 'Atacante', email, phone: '+34 600 000 000' });

  it.each(crossSiteLabels)('refuses a cross-site registration form post without a cookie (%s): no account, no session', async (_label, headers) => {
    const email = attackerEmail();
    const forged = await submitForm(server.url, '/e/demo-fast', registration(email), headers);
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
    expect(forged.headers.get('location')).toBeNull();
    expect(forged.html).toContain('Abre la página del evento para registrarte o iniciar sesión.');
    // Nothing was created: the same person registers afterwards from the page itself.
    const own = await submitForm(server.url, '/e/demo-fast', registration(email), { 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(303);
  });

  it.each(crossSiteLabels)('refuses a cross-site sign-in form post without a cookie (%s)', async (_label, headers) => {
    const email = attackerEmail();
    expect((await api(server.url, '/api/events/demo-fast/register', { body: registration(email) })).status).toBe(201);
    const forged = await submitForm(server.url, '/e/demo-fast/login', { email, password: 'produccionesfast2050' }, headers);
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
    expect(forged.html).toContain('Abre la página del evento para registrarte o iniciar sesión.');
  });

  it('refuses a cross-site sign-in form post that carries a cookie too, as a page', async () => {
    const email = attackerEmail();
    const victim = await api(server.url, '/api/events/demo-fast/register', { body: registration(attackerEmail()) });
    const cookie = (victim.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^palco_e\d+=/);
    const forged = await submitForm(server.url, '/e/demo-fast', registration(email), { cookie, 'sec-fetch-site': 'cross-site' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toContain('text/html');
    expect(forged.headers.get('set-cookie')).toBeNull();
  });

  it('sets no session cookie when a foreign page posts a form to the sign-in API', async () => {
    const headers = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' };
    const email = attackerEmail();
    const identity = jwt.sign({ email: attackerEmail(), name: 'Atacante' }, embedSecret, { algorithm: 'HS256', audience: 'demo-fast', expiresIn: 300 });
    const posts: Array<[string, Record<string, string>]> = [
      ['/api/events/demo-fast/register', registration(email)],
      ['/api/events/demo-fast/login', { email, password: 'produccionesfast2050' }],
      ['/api/events/demo-fast/identity', { identity }],
      ['/api/auth/login', { email: server.adminEmail, password: server.adminPassword }],
    ];
    for (const [path, fields] of posts) {
      const response = await api(server.url, path, { method: 'POST', rawBody: new URLSearchParams(fields).toString(), headers });
      expect([path, response.status < 300, response.headers.get('set-cookie')]).toEqual([path, true, null]);
    }
  });

  it("accepts the form inside a frame an allowed origin shows: it is Palco's own page posting to Palco", async () => {
    const framed = { 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'iframe', origin: server.url };
    const response = await submitForm(server.url, '/e/demo-fast', registration(attackerEmail()), framed);
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^palco_e\d+=/);
  });

  it('still signs in a form posted by a client that sends no browser headers at all', async () => {
    const response = await submitForm(server.url, '/e/demo-fast', registration(attackerEmail()));
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^palco_e\d+=/);
  });
});
