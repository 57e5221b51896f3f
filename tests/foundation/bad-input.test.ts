import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createStaff, eventId } from '../support/accounts.js';
import { api, registerAttendee, type JsonResponse } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

function expectClientError(response: JsonResponse, context: string) {
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(response.status, context).toBeLessThan(500);
  expect(typeof response.body?.error, `${context}: ${JSON.stringify(response.body)}`).toBe('string');
  expect(typeof response.body?.message, context).toBe('string');
  expect(JSON.stringify(response.body), context).not.toMatch(/at .*\.(ts|js):\d+/);
}

const wrongTypes: unknown[] = [123, 0, true, null, [], ['a'], {}, { $gt: '' }];
const huge = 'x'.repeat(10_000);

describe.each(databaseTargets)('bad input on every endpoint on $name', (target) => {
  let admin: string;
  let demoId: number;
  let staffId: number;
  let attendeeToken: string;
  /** Every endpoint that takes a body, with a valid body to spoil field by field. */
  let endpoints: Array<{ method: string; path: string; valid: Record<string, unknown>; token?: string }>;

  const server = useServer(target);
  beforeAll(async () => {
    admin = await adminToken(server.url);
    demoId = await eventId(server.url, 'demo-fast');
    staffId = (await createStaff(server.url, admin, 'demo-fast', { name: 'Eva', email: 'eva@staff.test', role: 'speaker', password: 'eva-password' })).id;
    attendeeToken = (await registerAttendee(server.url)).token;
    endpoints = [
      { method: 'POST', path: '/api/events/demo-fast/register', valid: { name: 'Ana', email: 'bad@produccionesfast.com', phone: '+34 600 000 000' } },
      { method: 'POST', path: '/api/events/demo-fast/login', valid: { email: 'bad@produccionesfast.com', password: 'produccionesfast2050' } },
      { method: 'POST', path: '/api/events/demo-fast/identity', valid: { identity: 'a.b.c' } },
      { method: 'POST', path: '/api/auth/login', valid: { email: 'nobody@palco.test', password: 'whatever-1' } },
      { method: 'POST', path: '/api/admin/events', valid: { slug: 'bad-input', title: 'Bad input' }, token: admin },
      { method: 'PATCH', path: `/api/admin/events/${demoId}`, valid: { title: 'Demo' }, token: admin },
      {
        method: 'POST',
        path: `/api/admin/events/${demoId}/staff`,
        valid: { name: 'Bad', email: 'bad@staff.test', role: 'moderador', password: 'bad-password' },
        token: admin,
      },
      { method: 'PATCH', path: `/api/admin/events/${demoId}/staff/${staffId}`, valid: { name: 'Eva' }, token: admin },
    ];
  });

  const send = (endpoint: (typeof endpoints)[number], init: { body?: unknown; rawBody?: string; headers?: Record<string, string> }) =>
    api(server.url, endpoint.path, { method: endpoint.method, ...(endpoint.token ? { token: endpoint.token } : {}), ...init });

  it('refuses missing fields with invalid_input naming each field', async () => {
    for (const endpoint of endpoints.filter((candidate) => candidate.method === 'POST')) {
      const response = await send(endpoint, { body: {} });
      expectClientError(response, `${endpoint.path} {}`);
      expect(response.status).toBe(422);
      expect(Object.keys(response.body.fields).sort(), endpoint.path).toEqual(
        Object.keys(endpoint.valid).sort(),
      );
    }
  });

  it('refuses wrong types in every field', async () => {
    for (const endpoint of endpoints) {
      for (const field of Object.keys(endpoint.valid)) {
        for (const value of wrongTypes) {
          const response = await send(endpoint, { body: { ...endpoint.valid, [field]: value } });
          const context = `${endpoint.method} ${endpoint.path} ${field}=${JSON.stringify(value)}`;
          expectClientError(response, context);
          expect(response.status, context).toBe(422);
          expect(response.body.fields, context).toHaveProperty(field);
        }
      }
    }
  });

  it('refuses 10 000-character values', async () => {
    for (const endpoint of endpoints) {
      for (const field of Object.keys(endpoint.valid)) {
        const response = await send(endpoint, { body: { ...endpoint.valid, [field]: huge } });
        expectClientError(response, `${endpoint.path} ${field} huge`);
      }
    }
  });

  it('refuses malformed JSON, non-object JSON and unsupported bodies', async () => {
    for (const endpoint of endpoints) {
      // An empty PATCH is a valid no-op; an empty POST is missing every field.
      const bodies = ['{"name":', '{name: 1}', '[]', '[1,2]', '"text"', 'null', '42', ...(endpoint.method === 'POST' ? [''] : [])];
      for (const rawBody of bodies) {
        expectClientError(await send(endpoint, { rawBody }), `${endpoint.path} ${JSON.stringify(rawBody)}`);
      }
      const xml = await send(endpoint, { rawBody: '<a/>', headers: { 'content-type': 'application/xml' } });
      expectClientError(xml, `${endpoint.path} xml`);
      expect(xml.status).toBe(415);
    }
    const malformed = await api(server.url, '/api/events/demo-fast/register', { rawBody: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: 'malformed_json', message: 'La solicitud no es JSON válido.' });
  });

  it('refuses a body over 64 KiB with 413 payload_too_large', async () => {
    const rawBody = JSON.stringify({ name: 'y'.repeat(70 * 1024), email: 'big@produccionesfast.com', phone: '+34 600' });
    for (const endpoint of endpoints) {
      const response = await send(endpoint, { rawBody });
      expectClientError(response, `${endpoint.path} big`);
      expect(response.status).toBe(413);
      expect(response.body.error).toBe('payload_too_large');
    }
    const form = await api(server.url, '/e/demo-fast', {
      rawBody: `name=${'z'.repeat(70 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(413);
  });

  it('answers unknown slugs with 404 event_not_found', async () => {
    for (const slug of ['no-such-event', 'DROP TABLE', '..', '%00', 'a'.repeat(300), 'ñandú']) {
      for (const path of ['', '/register', '/login', '/identity', '/chat', '/questions']) {
        const method = ['/register', '/login', '/identity'].includes(path) ? 'POST' : 'GET';
        const response = await api(server.url, `/api/events/${encodeURIComponent(slug)}${path}`, {
          method,
          ...(method === 'POST' ? { body: { name: 'A', email: 'a@b.com', phone: '+34 600 000', password: 'x', identity: 'x' } } : {}),
          token: attendeeToken,
        });
        expectClientError(response, `${slug}${path}`);
        expect(response.status, `${slug}${path}`).toBe(404);
      }
    }
  });

  it('answers absurd ids with 404', async () => {
    for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999', '1e3', '%20', 'null']) {
      for (const [method, path] of [
        ['GET', `/api/admin/events/${id}`],
        ['PATCH', `/api/admin/events/${id}`],
        ['GET', `/api/admin/events/${id}/staff`],
        ['POST', `/api/admin/events/${id}/staff`],
        ['PATCH', `/api/admin/events/${demoId}/staff/${id}`],
        ['DELETE', `/api/admin/events/${demoId}/staff/${id}`],
      ] as const) {
        const response = await api(server.url, path, { method, token: admin, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
        expectClientError(response, `${method} ${path}`);
        expect(response.status, `${method} ${path}`).toBe(404);
      }
    }
  });

  it('refuses strange query strings on the history endpoints', async () => {
    for (const query of ['after=-1', 'after=abc', 'after=1e5', 'limit=abc', 'limit=0', 'limit=-5', 'limit=100000', 'limit=1&limit=2', 'after=99999999999999999999']) {
      for (const resource of ['chat', 'questions']) {
        const response = await api(server.url, `/api/events/demo-fast/${resource}?${query}`, { token: attendeeToken });
        expectClientError(response, `${resource}?${query}`);
        expect(response.status, `${resource}?${query}`).toBe(422);
      }
    }
    const fine = await api(server.url, '/api/events/demo-fast/chat?after=0&limit=10&unknown=1', { token: attendeeToken });
    expect(fine.status).toBe(200);
  });

  it('answers unknown paths and methods with 4xx JSON', async () => {
    expectClientError(await api(server.url, '/api/nothing-here'), '/api/nothing-here');
    const wrongMethod = await api(server.url, '/api/events/demo-fast', { method: 'DELETE' });
    expectClientError(wrongMethod, 'DELETE event');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('GET');
    expectClientError(await api(server.url, '/api/me', { token: 'x'.repeat(5000) }), 'long token');
  });

  it('keeps SQL metacharacters and unicode exactly as sent', async () => {
    const name = `Robert'); DROP TABLE users;-- "ñandú" 🎉 مرحبا بالعالم \\ % _`;
    const registered = await api(server.url, '/api/events/demo-fast/register', {
      body: { name, email: "o.brien+test@produccionesfast.com", phone: '+34 (600) 000-000' },
    });
    expect(registered.status).toBe(201);
    const me = await api(server.url, '/api/me', { token: registered.body.token });
    expect(me.body.user.name).toBe(name);
    expect(me.body.user.email).toBe("o.brien+test@produccionesfast.com");
    const title = `Evento «ñ» 🎤 עברית ' OR 1=1 --`;
    const created = await api(server.url, '/api/admin/events', { token: admin, body: { slug: 'unicode', title } });
    expect(created.status).toBe(201);
    expect((await api(server.url, '/api/events/unicode')).body.title).toBe(title);
    const login = await api(server.url, '/api/events/demo-fast/login', {
      body: { email: "x' OR '1'='1@produccionesfast.com", password: "' OR '1'='1" },
    });
    expectClientError(login, 'injection login');
  });
});
