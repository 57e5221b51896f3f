import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type PalcoClient } from './create-client.js';
import { PalcoError } from './errors.js';
import { memoryStorage, tokenStorageKey, type TokenStorage } from './storage.js';

interface Reply {
  status: number;
  body?: unknown;
  contentType?: string;
}

let server: Server;
let baseUrl: string;
let requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
let reply: (method: string, url: string) => Reply;

beforeEach(async () => {
  requests = [];
  reply = () => ({ status: 200, body: {} });
  server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    requests.push({ method: request.method!, url: request.url!, headers: request.headers, body });
    const { status, body: replyBody, contentType = 'application/json' } = reply(request.method!, request.url!);
    response.writeHead(status, { 'content-type': contentType });
    response.end(typeof replyBody === 'string' ? replyBody : replyBody === undefined ? '' : JSON.stringify(replyBody));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const clientWith = (storage: TokenStorage = memoryStorage(), lang: 'es' | 'en' = 'es'): PalcoClient =>
  createClient({ baseUrl: `${baseUrl}/`, event: 'demo-fast', storage, lang });

const authResult = {
  token: 'jwt-1',
  user: { id: 3, name: 'Mo', email: 'mo@example.com', phone: null, role: 'moderador', event_id: 1,
    chat_blocked: false, qa_blocked: false, banned: false },
  redirect: '/e/demo-fast/mod',
};

describe('REST errors', () => {
  it('turns an invalid_input body into a PalcoError with its fields', async () => {
    reply = () => ({ status: 422, body: { error: 'invalid_input', message: 'Revisa', fields: { email: 'required' } } });
    const error = await clientWith().register({ name: 'A', email: '', phone: '123456' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(PalcoError);
    expect(error).toMatchObject({ code: 'invalid_input', status: 422, message: 'Revisa', fields: { email: 'required' } });
  });

  it('carries retry_after and login_url', async () => {
    reply = () => ({ status: 429, body: { error: 'rate_limited', message: 'Espera', retry_after: 30 } });
    await expect(clientWith().login({ email: 'a@b.co', password: 'x' })).rejects.toMatchObject({
      code: 'rate_limited', status: 429, retryAfter: 30,
    });
    reply = () => ({ status: 409, body: { error: 'already_registered', message: 'Inicia sesión', login_url: '/e/demo-fast/login' } });
    await expect(clientWith().register({ name: 'A', email: 'a@b.co', phone: '123456' })).rejects.toMatchObject({
      code: 'already_registered', status: 409, loginUrl: '/e/demo-fast/login',
    });
  });

  it('names a failure without a JSON body by its status, in the client language', async () => {
    reply = () => ({ status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' });
    await expect(clientWith(memoryStorage(), 'en').getEvent()).rejects.toMatchObject({
      code: 'service_unavailable', status: 502, message: 'The service is unavailable right now. Please try again in a few seconds.',
    });
  });

  it('reports an unreachable server as network_error', async () => {
    const client = createClient({ baseUrl: 'http://127.0.0.1:1', event: 'demo-fast', fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await expect(client.me()).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });
});

describe('session', () => {
  it('keeps the token from login per API origin and event, and sends it as a bearer token', async () => {
    const storage = memoryStorage();
    reply = (method, url) => (url.endsWith('/login') ? { status: 200, body: authResult } : { status: 200, body: { user: authResult.user, event: null } });
    const client = clientWith(storage, 'en');
    await client.login({ email: 'mo@example.com', password: 'secret-password' });

    expect(storage.getItem(tokenStorageKey(baseUrl, 'demo-fast'))).toBe('jwt-1');
    expect(client.token).toBe('jwt-1');
    await client.me();
    const [login, me] = requests;
    expect(login).toMatchObject({ method: 'POST', url: '/api/events/demo-fast/login' });
    expect(JSON.parse(login!.body)).toEqual({ email: 'mo@example.com', password: 'secret-password' });
    expect(login!.headers.authorization).toBeUndefined();
    expect(me).toMatchObject({ method: 'GET', url: '/api/me' });
    expect(me!.headers).toMatchObject({ authorization: 'Bearer jwt-1', 'accept-language': 'en' });
    expect(clientWith(storage).token).toBe('jwt-1');
  });

  it('forgets the token on logout, even when the server already revoked it', async () => {
    const storage = memoryStorage();
    storage.setItem(tokenStorageKey(baseUrl, 'demo-fast'), 'old');
    reply = () => ({ status: 401, body: { error: 'not_authenticated', message: 'Inicia sesión' } });
    const client = clientWith(storage);
    await expect(client.logout()).rejects.toMatchObject({ code: 'not_authenticated' });
    expect(client.token).toBeNull();

    client.setToken('new');
    reply = () => ({ status: 204 });
    await client.logout();
    expect(requests.at(-1)).toMatchObject({ method: 'POST', url: '/api/auth/logout' });
    expect(client.token).toBeNull();
  });
});

describe('REST paths', () => {
  it('pages history with after and limit', async () => {
    reply = () => ({ status: 200, body: { items: [], has_more: false } });
    const client = clientWith();
    await client.chatHistory({ after: 40, limit: 10 });
    await client.questionHistory();
    await client.moderationLog({ after: 2 });
    expect(requests.map((request) => request.url)).toEqual([
      '/api/events/demo-fast/chat?after=40&limit=10',
      '/api/events/demo-fast/questions',
      '/api/events/demo-fast/moderation-log?after=2',
    ]);
  });

  it('returns the CSV exports as text', async () => {
    reply = () => ({ status: 200, body: 'name,email\nAna,ana@example.com\n', contentType: 'text/csv' });
    await expect(clientWith().reportCsv('participants')).resolves.toBe('name,email\nAna,ana@example.com\n');
    expect(requests[0]!.url).toBe('/api/events/demo-fast/reports/participants.csv');
  });

  it('sends the admin calls to their paths and methods', async () => {
    reply = (method) => (method === 'DELETE' ? { status: 204 } : { status: 200, body: {} });
    const { admin } = clientWith();
    await admin.listEvents();
    await admin.updateEvent(4, { is_active: false });
    await admin.createStaff(4, { name: 'Mo', email: 'mo@example.com', role: 'moderador', password: 'long-enough' });
    await admin.updateStaff(4, 9, { role: 'speaker' });
    await expect(admin.deleteStaff(4, 9)).resolves.toBeUndefined();
    expect(requests.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET /api/admin/events',
      'PATCH /api/admin/events/4',
      'POST /api/admin/events/4/staff',
      'PATCH /api/admin/events/4/staff/9',
      'DELETE /api/admin/events/4/staff/9',
    ]);
    expect(JSON.parse(requests[1]!.body)).toEqual({ is_active: false });
  });
});
