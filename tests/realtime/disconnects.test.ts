import { describe, expect, it } from 'vitest';
import { CloseCode, type ChatMessage } from '@palco/sdk/protocol';
import { setEventActive } from '../support/accounts.js';
import { api, registerAttendee } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import WebSocket from 'ws';
import { attendeeOf, connect, createEvent, socketUrl, TestSocket, useRealtimeServer } from './support.js';
import { eventually } from '../support/poll.js';

const withinOneSecond = async (socket: TestSocket, started: number) => {
  const closed = await socket.closed;
  expect(performance.now() - started).toBeLessThan(1_000);
  return closed;
};

describe.each(databaseTargets)('bans, revocations and closing an event on $name', (target) => {
  const server = useRealtimeServer(target);

  it("closes every tab of a banned attendee with 4003 within a second, and the ban revokes the attendee's token", async () => {
    const event = await createEvent(server, 'baneo');
    const ana = await attendeeOf(server, event.slug);
    const luis = await attendeeOf(server, event.slug);
    const tabs = [(await connect(server, { event: event.slug, token: ana.token })).socket, (await connect(server, { event: event.slug, token: ana.token })).socket];
    const bystander = (await connect(server, { event: event.slug, token: luis.token })).socket;
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const started = performance.now();
    await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'banned' });
    for (const tab of tabs) {
      const closed = await withinOneSecond(tab, started);
      expect(closed).toEqual({ code: CloseCode.forbidden, reason: 'Tu acceso a este evento fue bloqueado.' });
    }
    expect(await moderator.waitFor('user_updated', (m) => m.user_id === ana.user.id)).toMatchObject({ banned: true });
    expect(bystander.isOpen).toBe(true);
    expect((await api(server.url, '/api/me', { token: ana.token })).status).toBe(401);
    const login = await api(server.url, `/api/events/${event.slug}/login`, { body: { email: ana.user.email, password: 'codigo-de-acceso' } });
    expect(login.body.error).toBe('banned');

    await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'banned', value: false });
    const again = await api(server.url, `/api/events/${event.slug}/login`, { body: { email: ana.user.email, password: 'codigo-de-acceso' } });
    expect(again.status).toBe(200);
    const back = await connect(server, { event: event.slug, token: again.body.token });
    expect(back.welcome.user.banned).toBe(false);
  });

  it('sends event_closed and then closes every socket of the event with 4010 within a second', async () => {
    const event = await createEvent(server, 'cierre');
    const ana = await attendeeOf(server, event.slug);
    const sockets = [
      (await connect(server, { event: event.slug, token: ana.token })).socket,
      (await connect(server, { event: event.slug, token: event.moderator.token })).socket,
      (await connect(server, { event: event.slug, token: event.speaker.token })).socket,
      (await connect(server, { event: event.slug, token: event.admin })).socket,
    ];
    const english = (await connect(server, { event: event.slug, token: ana.token, query: { lang: 'en' } })).socket;
    const elsewhere = (await connect(server, { token: (await registerAttendee(server.url)).token })).socket;
    const last = (await sockets[1]!.ok({ type: 'chat', message: 'Gracias por venir' })).data as ChatMessage;
    const started = performance.now();
    await setEventActive(server.url, event.admin, event.slug, false);
    for (const socket of sockets) {
      const closed = await withinOneSecond(socket, started);
      expect(closed).toEqual({ code: CloseCode.eventClosed, reason: 'Transmisión finalizada.' });
      const types = socket.received.map((message) => message.type);
      expect(types.at(-1)).toBe('event_closed');
      // What was acknowledged before the close reached everyone before it.
      expect(socket.received.some((message) => message.type === 'chat' && message.id === last.id)).toBe(true);
    }
    expect(sockets[0]!.all('event_closed')).toEqual([{ type: 'event_closed', message: 'Transmisión finalizada.' }]);
    expect((await english.closed).reason).toBe('The broadcast has ended.');
    expect(elsewhere.isOpen).toBe(true);
  });

  it('closes the sockets of a user who signs out with 4001', async () => {
    const event = await createEvent(server, 'salida');
    const ana = await attendeeOf(server, event.slug);
    const socket = (await connect(server, { event: event.slug, token: ana.token })).socket;
    const started = performance.now();
    expect((await api(server.url, `/api/auth/logout?event=${event.slug}`, { method: 'POST', token: ana.token })).status).toBe(204);
    expect((await withinOneSecond(socket, started)).code).toBe(CloseCode.notAuthenticated);
  });

  it("closes a moderator's sockets when an administrator changes their password", async () => {
    const event = await createEvent(server, 'clave');
    const socket = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const change = await api(server.url, `/api/admin/events/${event.id}/staff/${event.moderator.user.id}`, {
      method: 'PATCH',
      token: event.admin,
      body: { password: 'otra-clave-segura' },
    });
    expect(change.status).toBe(200);
    expect((await socket.closed).code).toBe(CloseCode.notAuthenticated);
  });
});

describe.each(databaseTargets)('dead connections on $name', (target) => {
  const server = useRealtimeServer(target, { keepAliveMs: 100 });

  it('drops a socket that stops answering the server pings, and stops counting it as a viewer', async () => {
    const event = await createEvent(server, 'muerto');
    const ana = await attendeeOf(server, event.slug);
    const alive = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    const silent = new TestSocket(new WebSocket(socketUrl(server, { event: event.slug }), { autoPong: false }));
    await silent.opened;
    silent.send({ type: 'auth', token: ana.token });
    await silent.waitFor('welcome');
    expect(server.hub.viewersNow(event.id)).toBe(2);
    expect((await silent.closed).code).toBe(1006);
    await eventually(() => server.hub.viewersNow(event.id), (count) => count === 1);
    expect(alive.isOpen).toBe(true);
  });
});

