import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';

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
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(databaseTargets[0]!);
  });
  afterAll(async () => {
    await server?.stop();
  });

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
