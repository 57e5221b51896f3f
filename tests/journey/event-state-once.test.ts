import { describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { sleep } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, openSocket, useRealtimeServer } from '../realtime/support.js';

const replay = { replay_url: 'https://video.example/replay.m3u8', on_demand_until: '2099-01-01T00:00:00Z' };

describe.each(databaseTargets)('each change of the event state reaches each socket once on $name', (target) => {
  const server = useRealtimeServer(target);
  const patch = (admin: string, id: number, body: unknown) => api(server.url, `/api/admin/events/${id}`, { method: 'PATCH', token: admin, body });

  it('tells every socket once that the event went on demand when five saves close it at the same moment', async () => {
    const event = await createEvent(server, 'cinco-cierres');
    const attendee = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    // Those that read the event live before any of them saved each find it going on demand, and announce it.
    const replies = await Promise.all([1, 2, 3, 4, 5].map(() => patch(event.admin, event.id, { is_active: false, ...replay })));
    for (const reply of replies) expect(reply.body.state).toBe('on_demand');
    for (const socket of [attendee, moderator]) await socket.waitFor('event_state');
    await sleep(300);
    for (const socket of [attendee, moderator]) expect(socket.all('event_state')).toEqual([{ type: 'event_state', state: 'on_demand' }]);
    await Promise.all([attendee.close(), moderator.close()]);
  });

  it('welcomes a socket that read the event just before it closed with the replay, not with the live broadcast it missed', async () => {
    const event = await createEvent(server, 'cierre-durante-admision');
    const ana = await attendeeOf(server, event.slug);
    // The event is read when the socket opens; the session comes later, in an `auth` frame.
    const socket = await openSocket(server, { event: event.slug });
    expect((await patch(event.admin, event.id, { is_active: false, ...replay })).body.state).toBe('on_demand');
    socket.send({ type: 'auth', token: ana.token });
    const welcome = await socket.waitFor('welcome');
    expect(welcome.event.state).toBe('on_demand');
    expect(await socket.request({ type: 'chat', message: 'Sigo en directo?' })).toMatchObject({ type: 'error', code: 'event_on_demand' });
    await socket.expectNone('event_state', 200);
    await socket.close();
  });
});
