import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, Limits } from '@palco/sdk/protocol';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, openSocket, useRealtimeServer } from '../realtime/support.js';

/** An HTTP request with the path sent exactly as written: fetch would resolve dots and escapes first. */
function rawRequest(
  server: TestServer,
  init: { method?: string; path: string; headers?: Record<string, string>; chunks?: Buffer[] },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port: server.port, method: init.method ?? 'GET', path: init.path, headers: init.headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
    });
    outgoing.on('error', reject);
    for (const chunk of init.chunks ?? []) outgoing.write(chunk);
    outgoing.end();
  });
}

describe('oversize bodies and frames', () => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  const big = 'x'.repeat(Limits.maxBodyBytes + 1024);

  const server = useRealtimeServer(databaseTargets[0]!);
  beforeAll(async () => {
    event = await createEvent(server, 'grande');
  });

  it('oversize HTTP body: 413 payload_too_large with a message on every kind of endpoint', async () => {
    const admin = await adminToken(server.url);
    for (const [path, token] of [[`/api/events/${event.slug}/register`, undefined], ['/api/admin/events', admin], ['/api/auth/login', undefined]] as const) {
      const response = await api(server.url, path, { body: { name: big, email: 'a@b.co', phone: '600000000' }, token });
      expect([path, response.status, response.body.error]).toEqual([path, 413, 'payload_too_large']);
      expect(response.body.message).toEqual(expect.any(String));
    }
    const form = await fetch(`${server.url}/e/${event.slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: big, email: 'a@b.co', phone: '600000000' }).toString(),
    });
    // A person posting the hosted form gets a page that says what happened, not JSON.
    expect(form.status).toBe(413);
    expect(form.headers.get('content-type')).toContain('text/html');
    const page = await form.text();
    expect(page).toContain('<html');
    expect(page).toContain('La solicitud es demasiado grande.');
    expect(page).not.toContain('payload_too_large');
  });

  it('oversize HTTP body sent chunked, without a Content-Length: 413 all the same', async () => {
    const chunk = Buffer.from('x'.repeat(16 * 1024));
    const response = await rawRequest(server, {
      method: 'POST',
      path: `/api/events/${event.slug}/register`,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: [Buffer.from('{"name":"'), chunk, chunk, chunk, chunk, chunk, Buffer.from('"}')],
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'payload_too_large' });
  });

  it('oversize socket frame: closed with 1009 before and after authenticating, other sockets unharmed', async () => {
    const frame = JSON.stringify({ type: 'chat', message: 'y'.repeat(Limits.maxFrameBytes) });
    const anonymous = await openSocket(server, { event: event.slug });
    anonymous.sendRaw(frame);
    expect((await anonymous.closed).code).toBe(CloseCode.messageTooBig);

    const bystander = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    const { socket } = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    socket.sendRaw(frame);
    expect((await socket.closed).code).toBe(CloseCode.messageTooBig);
    expect((await bystander.socket.request({ type: 'chat', message: 'sigo aquí' })).type).toBe('ack');
    await bystander.socket.close();
  });
});

describe('path traversal on static files', () => {
  const server = useRealtimeServer(databaseTargets[0]!);

  const attempts = [
    '/embed.js/../package.json',
    '/embed/../package.json',
    '/embed/../../../../../../etc/passwd',
    '/embed/..%2fpackage.json',
    '/embed/%2e%2e/%2e%2e/package.json',
    '/embed/%2e%2e%2f%2e%2e%2fpackage.json',
    '/embed/%252e%252e%252fpackage.json',
    '/embed/..\\..\\package.json',
    '/embed/..%5c..%5cpackage.json',
    '/embed/%c0%ae%c0%ae/package.json',
    '/embed/....//....//package.json',
    '/embed/hls.js%00.json',
    '/embed/hls.js%00',
    '/embed.js%00',
    '/embed.js%2f..%2f..%2fpackage.json',
    '/embed/hls.js/..%2f..%2f..%2fpackage.json',
    '/assets/pages.css/../../package.json',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '//etc/passwd',
    '/embed/index.js',
    '/embed/embed.js.map',
  ];

  it.each(attempts)('path traversal %s: 404, no file outside what is served', async (path) => {
    const response = await rawRequest(server, { path });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'not_found' });
    expect(response.body).not.toMatch(/root:|"workspaces"|"dependencies"|sourceMappingURL/);
  });

  it('path traversal baseline: the real files are served', async () => {
    for (const path of ['/embed.js', '/embed/hls.js', '/assets/pages.css']) expect((await rawRequest(server, { path })).status).toBe(200);
  });
});
