import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from '../realtime/support.js';
import { eventually, sleep } from '../support/poll.js';

const sessionTtlSeconds = 2;

/** Resolves with the close code, or rejects if the socket is still open after a second. */
function closedWithinASecond(socket: TestSocket): Promise<number> {
  return Promise.race([
    socket.closed.then((closed) => closed.code),
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error('socket still open after 1 s')), 1_000)),
  ]);
}

describe('session lifetime', () => {
  let event: Awaited<ReturnType<typeof createEvent>>;

  // A short session and a fast sweep, so an expiry happens within the test.
  const server = useRealtimeServer(databaseTargets[0]!, { keepAliveMs: 200 }, { sessionTtlSeconds });
  beforeAll(async () => {
    event = await createEvent(server, 'sesiones');
  });

  it('session kept alive past its expiry: refused over HTTP and its open socket closed with 4001, however busy it was', async () => {
    const ana = await attendeeOf(server, event.slug, 'Ana');
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    const expiresAt = (jwt.decode(ana.token) as { exp: number }).exp * 1000;
    // Used without pause right up to its expiry: use does not extend a session.
    while (Date.now() < expiresAt - 100) {
      expect((await api(server.url, '/api/me', { token: ana.token })).status).toBe(200);
      socket.send({ type: 'ping' });
      await sleep(100);
    }
    await eventually(async () => (await api(server.url, '/api/me', { token: ana.token })).status, (status) => status === 401);
    expect((await socket.closed).code).toBe(CloseCode.notAuthenticated);
  });

  it('token issued for longer than the configured lifetime: refused once older than PALCO_SESSION_TTL_SECONDS', async () => {
    const ana = await attendeeOf(server, event.slug, 'Ana larga');
    const issuedAt = Math.floor(Date.now() / 1000) - sessionTtlSeconds - 1;
    const claims = jwt.decode(ana.token) as Record<string, unknown>;
    const longLived = jwt.sign({ ...claims, iat: issuedAt, exp: issuedAt + 3600 }, server.config.secret, { algorithm: 'HS256' });
    expect((await api(server.url, '/api/me', { token: longLived })).status).toBe(401);
  });

});

describe('session rotation and revocation', () => {
  let event: Awaited<ReturnType<typeof createEvent>>;

  const server = useRealtimeServer(databaseTargets[0]!);
  beforeAll(async () => {
    event = await createEvent(server, 'revocaciones');
  });

  it('session fixation: signing in issues a fresh token and replaces a cookie planted beforehand', async () => {
    const ana = await attendeeOf(server, event.slug, 'Ana fija');
    const planted = `palco_e${event.id}=${ana.token}`;
    const login = () =>
      api(server.url, `/api/events/${event.slug}/login`, {
        body: { email: `mod@${event.slug}.test`, password: 'staff-password-1' },
        headers: { cookie: planted },
      });
    const first = await login();
    const second = await login();
    expect(first.status).toBe(200);
    expect(new Set([ana.token, first.body.token, second.body.token]).size).toBe(3);
    expect(first.headers.get('set-cookie')).toMatch(new RegExp(`^palco_e${event.id}=${first.body.token};`));
  });

  it('revocation by logout: the token stops working and every socket of the user closes with 4001 within a second', async () => {
    const ana = await attendeeOf(server, event.slug, 'Ana sale');
    const tabs = [await connect(server, { event: event.slug, token: ana.token }), await connect(server, { event: event.slug, token: ana.token })];
    expect((await api(server.url, '/api/auth/logout', { method: 'POST', token: ana.token })).status).toBe(204);
    for (const { socket } of tabs) expect(await closedWithinASecond(socket)).toBe(CloseCode.notAuthenticated);
    expect((await api(server.url, '/api/me', { token: ana.token })).status).toBe(401);
  });

  it('revocation by ban: every socket of the user closes with 4003 within a second, and the token is dead', async () => {
    const ana = await attendeeOf(server, event.slug, 'Ana vetada');
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'banned' });
    expect(await closedWithinASecond(socket)).toBe(CloseCode.forbidden);
    expect((await api(server.url, '/api/me', { token: ana.token })).status).toBe(401);
    await moderator.close();
  });

  it('revocation by password change: an administrator changing a moderator password closes their sockets within a second', async () => {
    const staff = await createEvent(server, 'sesiones-clave');
    const { socket } = await connect(server, { event: staff.slug, token: staff.moderator.token });
    const change = await api(server.url, `/api/admin/events/${staff.id}/staff/${staff.moderator.user.id}`, {
      method: 'PATCH',
      token: staff.admin,
      body: { password: 'una-clave-nueva-1' },
    });
    expect(change.status).toBe(200);
    expect(await closedWithinASecond(socket)).toBe(CloseCode.notAuthenticated);
    expect((await api(server.url, '/api/me', { token: staff.moderator.token })).status).toBe(401);
  });
});

describe('production start with unsafe settings', () => {
  const cli = fileURLToPath(new URL('../../packages/backend/dist/cli.js', import.meta.url));
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'palco-prod-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const serve = (env: Record<string, string>) =>
    spawnSync(process.execPath, [cli, 'serve'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PALCO_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it.each([
    ['missing PALCO_SECRET', {}, /PALCO_SECRET is required/],
    ['short PALCO_SECRET', { PALCO_SECRET: 'abc123' }, /PALCO_SECRET is too weak/],
    ['well-known PALCO_SECRET', { PALCO_SECRET: 'changeme' }, /PALCO_SECRET is too weak/],
  ])('weak secret in production (%s): refuses to start', (_name, env, message) => {
    const result = serve(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it("demo event's public access code in production: refuses to start until it is changed", () => {
    const strong = { PALCO_SECRET: randomBytes(32).toString('hex'), PALCO_DEMO: '1', ADMIN_EMAIL: 'admin@palco.test', ADMIN_PASSWORD: 'admin-password-123' };
    const result = serve(strong);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/public demo access code/);
  });
});
