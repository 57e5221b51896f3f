import jwt from 'jsonwebtoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, createEvent, openSocket, type Member, useRealtimeServer } from '../realtime/support.js';

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');

/** Whether a token opens the HTTP API and the event's socket; how each refuses it. */
async function tryToken(server: TestServer, slug: string, token: string) {
  const http = await api(server.url, `/api/me?event=${slug}`, { token });
  const socket = await openSocket(server, { event: slug, token, via: 'auth' });
  const closed = await socket.closed;
  return { status: http.status, error: http.body?.error as string, closeCode: closed.code };
}

describe('forged and stale session tokens', () => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let other: Awaited<ReturnType<typeof createEvent>>;
  let ana: Member;
  let claims: { sub: string; eid: number; role: string; tv: number };

  const server = useRealtimeServer(databaseTargets[0]!);
  beforeAll(async () => {
    event = await createEvent(server, 'tokens-a');
    other = await createEvent(server, 'tokens-b');
    ana = await attendeeOf(server, event.slug, 'Ana');
    claims = { sub: String(ana.user.id), eid: event.id, role: 'visor', tv: 0 };
  });

  it('alg none token: refused on HTTP (401) and on the socket (4001)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, role: 'administrador', iat: now, exp: now + 600 })}.`;
    expect(await tryToken(server, event.slug, unsigned)).toEqual({ status: 401, error: 'not_authenticated', closeCode: CloseCode.notAuthenticated });
  });

  it('token signed with another algorithm (HS512 with the real secret): refused, the algorithm is pinned to HS256', async () => {
    const hs512 = jwt.sign(claims, server.config.secret, { algorithm: 'HS512', expiresIn: 600 });
    expect(await tryToken(server, event.slug, hs512)).toMatchObject({ status: 401, closeCode: CloseCode.notAuthenticated });
  });

  it('tampered token (role raised to administrador, signature kept): refused', async () => {
    const [header, payload, signature] = ana.token.split('.');
    const raised = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'administrador', eid: null };
    const tampered = `${header}.${encode(raised)}.${signature}`;
    expect(await tryToken(server, event.slug, tampered)).toMatchObject({ status: 401, closeCode: CloseCode.notAuthenticated });
    const admin = await api(server.url, '/api/admin/events', { token: tampered });
    expect(admin.status).toBe(401);
  });

  it('token signed with a guessed secret: refused', async () => {
    const guessed = jwt.sign(claims, 'secret', { algorithm: 'HS256', expiresIn: 600 });
    expect(await tryToken(server, event.slug, guessed)).toMatchObject({ status: 401, closeCode: CloseCode.notAuthenticated });
  });

  it('expired token: refused though correctly signed', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = jwt.sign({ ...claims, iat: past - 60, exp: past }, server.config.secret, { algorithm: 'HS256' });
    expect(await tryToken(server, event.slug, expired)).toMatchObject({ status: 401, closeCode: CloseCode.notAuthenticated });
  });

  it('token without an expiry (signed with the real secret): refused, every session ends', async () => {
    const endless = jwt.sign(claims, server.config.secret, { algorithm: 'HS256' });
    expect(await tryToken(server, event.slug, endless)).toMatchObject({ status: 401, closeCode: CloseCode.notAuthenticated });
  });

  it('other-event token: an attendee of one event is refused by another over HTTP (403) and the socket (4003)', async () => {
    expect(await tryToken(server, other.slug, ana.token)).toEqual({ status: 403, error: 'forbidden', closeCode: CloseCode.forbidden });
    const history = await api(server.url, `/api/events/${other.slug}/chat`, { token: ana.token });
    expect(history.status).toBe(403);
    const moderatorElsewhere = await tryToken(server, other.slug, event.moderator.token);
    expect(moderatorElsewhere).toMatchObject({ status: 403, closeCode: CloseCode.forbidden });
  });

  it('other-event token: claims naming another event id do not move the user there', async () => {
    const moved = jwt.sign({ ...claims, eid: other.id }, server.config.secret, { algorithm: 'HS256', expiresIn: 600 });
    expect(await tryToken(server, other.slug, moved)).toMatchObject({ status: 401, closeCode: CloseCode.notAuthenticated });
  });
});
