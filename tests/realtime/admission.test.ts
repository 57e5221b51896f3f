import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { setEventActive } from '../support/accounts.js';
import { registerAttendee } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { attendeeOf, connect, createEvent, openSocket, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('joining an event over the socket on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let other: Awaited<ReturnType<typeof createEvent>>;
  const server = useRealtimeServer(target, { authTimeoutMs: 300 });
  beforeAll(async () => {
    event = await createEvent(server, 'admision', { allowed_origins: ['https://productora.example'] });
    other = await createEvent(server, 'otro-evento');
  });

  it('admits an attendee who authenticates with a first auth frame, and acknowledges it', async () => {
    const ana = await attendeeOf(server, event.slug);
    const socket = await openSocket(server, { event: event.slug });
    socket.send({ type: 'auth', token: ana.token, ref: 'hello' });
    const welcome = await socket.waitFor('welcome');
    expect(welcome.user).toMatchObject({ id: ana.user.id, role: 'visor', event_id: event.id });
    expect(welcome.event).toMatchObject({ id: event.id, slug: event.slug });
    expect(welcome.heartbeat_ms).toBe(60_000);
    expect((await socket.waitFor('ack', (ack) => ack.ref === 'hello')).ref).toBe('hello');
    await socket.close();
  });

  it('admits with the token in the query string, by event id as well as by slug', async () => {
    const ana = await attendeeOf(server, event.slug);
    const { socket, welcome } = await connect(server, { event: event.id, token: ana.token, via: 'query' });
    expect(welcome.user.id).toBe(ana.user.id);
    await socket.close();
  });

  it("admits with the event's session cookie and with the administrator's cookie", async () => {
    const ana = await attendeeOf(server, event.slug);
    const byCookie = await connect(server, { event: event.slug, token: ana.token, via: 'cookie', cookieName: `palco_e${event.id}` });
    expect(byCookie.welcome.user.id).toBe(ana.user.id);
    const admin = await connect(server, { event: event.slug, token: event.admin, via: 'cookie', cookieName: 'palco_admin' });
    expect(admin.welcome.user.role).toBe('administrador');
    await Promise.all([byCookie.socket.close(), admin.socket.close()]);
  });

  it('closes with 4001 a socket that does not authenticate in time', async () => {
    const socket = await openSocket(server, { event: event.slug });
    expect((await socket.closed).code).toBe(CloseCode.notAuthenticated);
  });

  it('answers messages sent before authenticating with not_authenticated, then still admits', async () => {
    const ana = await attendeeOf(server, event.slug);
    const socket = await openSocket(server, { event: event.slug });
    const refused = await socket.request({ type: 'chat', message: 'hola' });
    expect(refused).toMatchObject({ type: 'error', code: 'not_authenticated' });
    socket.send({ type: 'auth', token: ana.token });
    await socket.waitFor('welcome');
    await socket.close();
  });

  it('closes with 4001 for a forged, expired-looking or garbage token', async () => {
    const ana = await attendeeOf(server, event.slug);
    const [header, payload] = ana.token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (const token of [forged, 'not-a-token']) {
      const socket = await openSocket(server, { event: event.slug, token });
      expect((await socket.closed).code).toBe(CloseCode.notAuthenticated);
    }
  });

  it('takes the role from the session: ?role=moderador changes nothing', async () => {
    const ana = await attendeeOf(server, event.slug);
    const { socket, welcome } = await connect(server, { event: event.slug, token: ana.token, query: { role: 'moderador' } });
    expect(welcome.user.role).toBe('visor');
    const pendingSeen = welcome.questions.some((question) => question.status === 'pending' && question.user_id !== ana.user.id);
    expect(pendingSeen).toBe(false);
    const approve = await socket.request({ type: 'approve', id: 1 });
    expect(approve).toMatchObject({ type: 'error', code: 'forbidden' });
    await socket.close();
  });

  it("refuses a token of one event at another event's socket with 4003, both ways", async () => {
    const ana = await attendeeOf(server, event.slug);
    const luis = await attendeeOf(server, other.slug);
    const intoOther = await openSocket(server, { event: other.slug, token: ana.token });
    expect((await intoOther.closed).code).toBe(CloseCode.forbidden);
    const intoEvent = await openSocket(server, { event: event.slug, token: luis.token });
    expect((await intoEvent.closed).code).toBe(CloseCode.forbidden);
    const moderatorElsewhere = await openSocket(server, { event: other.slug, token: event.moderator.token });
    expect((await moderatorElsewhere.closed).code).toBe(CloseCode.forbidden);
  });

  it('lets a global administrator join any event', async () => {
    for (const slug of [event.slug, other.slug]) {
      const { socket, welcome } = await connect(server, { event: slug, token: event.admin });
      expect(welcome.event.slug).toBe(slug);
      await socket.close();
    }
  });

  it('closes with 4004 for an unknown event or a missing one', async () => {
    const ana = await attendeeOf(server, event.slug);
    for (const options of [{ event: 'no-existe' }, { event: 999_999 }, { event: 'Mal Slug!' }]) {
      const socket = await openSocket(server, { ...options, token: ana.token });
      expect((await socket.closed).code).toBe(CloseCode.eventNotFound);
    }
  });

  it('refuses a banned attendee with 4003 even with the token issued before the ban', async () => {
    const ana = await attendeeOf(server, event.slug);
    const mod = await connect(server, { event: event.slug, token: event.moderator.token });
    await mod.socket.ok({ type: 'moderate', user_id: ana.user.id, flag: 'banned' });
    const socket = await openSocket(server, { event: event.slug, token: ana.token });
    const closed = await socket.closed;
    expect(closed.code).toBe(CloseCode.forbidden);
    expect(closed.reason).toBe('Tu acceso a este evento fue bloqueado.');
    await mod.socket.close();
  });

  it('admits only staff to a closed event (4010 for attendees) and admits attendees again once reopened', async () => {
    const closing = await createEvent(server, 'cerrado');
    const ana = await attendeeOf(server, closing.slug);
    await setEventActive(server.url, closing.admin, closing.slug, false);
    const refused = await openSocket(server, { event: closing.slug, token: ana.token });
    expect((await refused.closed).code).toBe(CloseCode.eventClosed);
    const moderator = await connect(server, { event: closing.slug, token: closing.moderator.token });
    expect(moderator.welcome.event.is_active).toBe(false);
    await moderator.socket.close();
    await setEventActive(server.url, closing.admin, closing.slug, true);
    const back = await connect(server, { event: closing.slug, token: ana.token });
    expect(back.welcome.event.is_active).toBe(true);
    await back.socket.close();
  });

  describe('the Origin of a browser', () => {
    it("admits the server's own origin and an allowed origin of the event", async () => {
      const ana = await attendeeOf(server, event.slug);
      for (const origin of [server.url, 'https://productora.example']) {
        const { socket } = await connect(server, { event: event.slug, token: ana.token, headers: { origin } });
        await socket.close();
      }
    });

    it.each(['https://evil.example', 'https://productora.example.evil.io', 'http://productora.example', 'null'])(
      'closes with 1008 for Origin %s',
      async (origin) => {
        const ana = await attendeeOf(server, event.slug);
        const socket = await openSocket(server, { event: event.slug, token: ana.token, headers: { origin } });
        expect((await socket.closed).code).toBe(CloseCode.originNotAllowed);
      },
    );

    it("does not accept another event's allowed origin", async () => {
      const luis = await attendeeOf(server, other.slug);
      const socket = await openSocket(server, { event: other.slug, token: luis.token, headers: { origin: 'https://productora.example' } });
      expect((await socket.closed).code).toBe(CloseCode.originNotAllowed);
    });
  });

  it('speaks English when asked by ?lang=en or Accept-Language', async () => {
    const byQuery = await openSocket(server, { event: 'no-existe', query: { lang: 'en' } });
    expect((await byQuery.closed).reason).toBe('This event does not exist.');
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token, headers: { 'accept-language': 'en-US,en;q=0.9' } });
    const error = await socket.request({ type: 'approve', id: 1 });
    expect(error).toMatchObject({ code: 'forbidden', message: 'You are not allowed to do this.' });
    await socket.close();
  });
});

/*
 * A server of its own, started after the one above stopped: the database models bind to the
 * last database opened in a process, so a second server inside the first one's describe would
 * leave the first writing to a closed database until its shutdown deadline.
 */
describe.each(databaseTargets)('sockets from one address on $name', (target) => {
  const limited = useRealtimeServer(target, {}, { trustProxy: true, rateLimits: { ...defaultRateLimits, socketsPerIpPerMinute: 2 } });

  it('refuses sockets past the per-address limit and lets other addresses in', async () => {
    const { token } = await registerAttendee(limited.url);
    const office = { 'x-forwarded-for': '203.0.113.7' };
    const sockets = [await connect(limited, { token, headers: office }), await connect(limited, { token, headers: office })];
    const third = await openSocket(limited, { token, headers: office });
    const error = await third.waitFor('error');
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect(error.retry_after).toBeGreaterThan(0);
    expect((await third.closed).code).toBe(CloseCode.tryAgainLater);
    const elsewhere = await connect(limited, { token, headers: { 'x-forwarded-for': '198.51.100.9' } });
    await Promise.all([...sockets, elsewhere].map(({ socket }) => socket.close()));
  });
});

describe('a credential presented and invalid', () => {
  /** Long enough that a refusal well inside it did not wait for an `auth` frame. */
  const authTimeoutMs = 2_000;
  const server = useRealtimeServer(databaseTargets[0]!, { authTimeoutMs });

  it('refuses an invalid token in the query string with 4001 at once, without waiting for an auth frame', async () => {
    const event = await createEvent(server, 'credencial');
    const ana = await attendeeOf(server, event.slug);
    const [, payload] = ana.token.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const token of ['a.b.c', unsigned]) {
      const opened = performance.now();
      const socket = await openSocket(server, { event: event.slug, token, via: 'query' });
      expect((await socket.closed).code).toBe(CloseCode.notAuthenticated);
      expect(performance.now() - opened).toBeLessThan(authTimeoutMs / 2);
    }
  });

  it('admits with a valid token next to a stale session cookie: the cookie was not presented', async () => {
    const event = await createEvent(server, 'cookie-caducada');
    const ana = await attendeeOf(server, event.slug);
    const stale = { cookie: `palco_e${event.id}=a.b.c` };
    const byQuery = await connect(server, { event: event.slug, token: ana.token, via: 'query', headers: stale });
    expect(byQuery.welcome.user.id).toBe(ana.user.id);
    const byAuth = await connect(server, { event: event.slug, token: ana.token, headers: stale });
    expect(byAuth.welcome.user.id).toBe(ana.user.id);
    await Promise.all([byQuery.socket.close(), byAuth.socket.close()]);
  });
});
