import { beforeAll, describe, expect, it } from 'vitest';
import type { EventReport, ParticipantReport, TablePage } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { WatchTime } from '../../packages/backend/src/services/analytics.js';
import { attendeeOf, connect, createEvent, ManualClock, type TestSocket, useRealtimeServer } from './support.js';
import { eventually } from '../support/poll.js';

describe.each(databaseTargets)('presence and watch time on $name', (target) => {
  const clock = new ManualClock();
  // Samples are taken by the test alone, at the clock's time.
  const server = useRealtimeServer(target, { viewerSampleMs: 3_600_000 });
  beforeAll(async () => {
    server.deps.now = clock.now;
  });

  const report = async (slug: string, token: string) => {
    const response = await api<EventReport>(server.url, `/api/events/${slug}/reports`, { token });
    expect(response.status).toBe(200);
    return response.body;
  };

  /** Every attendee with their stored watch time, in registration order. */
  const participants = async (slug: string, token: string) => {
    const response = await api<TablePage<ParticipantReport>>(server.url, `/api/events/${slug}/reports/participants?limit=500`, { token });
    expect(response.status).toBe(200);
    return response.body.items;
  };

  /** The participant's stored watch time, once the hub has written what it counted. */
  const storedWatch = async (slug: string, token: string, userId: number, seconds: number): Promise<ParticipantReport> =>
    eventually(
      async () => {
        await server.hub.analytics.flushWatchTime();
        return (await participants(slug, token)).find((participant) => participant.user_id === userId)!;
      },
      (participant) => participant.total_seconds === seconds,
    );

  /** A heartbeat that vouches for `visibleMs` of visible page since the socket's previous one. */
  const heartbeat = async (socket: TestSocket, visibleMs: number) => {
    const ref = `hb-${clock.time}`;
    socket.send({ type: 'ping', ref, visible_ms: visibleMs });
    return socket.waitFor('pong', (pong) => pong.ref === ref);
  };

  it('credits a tab that stays visible the time between its pings, and nothing after the last one', async () => {
    const event = await createEvent(server, 'tiempo');
    const ana = await attendeeOf(server, event.slug);
    const start = clock.time;
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    const zero = await storedWatch(event.slug, event.moderator.token, ana.user.id, 0);
    expect(zero.last_ping).toBe(new Date(start).toISOString());
    for (const seconds of [60, 60, 45]) {
      clock.advance(seconds);
      expect((await heartbeat(socket, seconds * 1000)).server_time).toBe(new Date(clock.time).toISOString());
    }
    clock.advance(30);
    await socket.close();
    const stored = await storedWatch(event.slug, event.moderator.token, ana.user.id, 165);
    expect(stored).toMatchObject({ total_minutes: 2, last_ping: new Date(start + 165_000).toISOString() });
  });

  it('credits nothing to a tab hidden for 45 s and never shown', async () => {
    const event = await createEvent(server, 'tiempo-oculto');
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    clock.advance(45);
    await heartbeat(socket, 0);
    clock.advance(45);
    await socket.close();
    // Once the close is taken in, the write that follows is final.
    await eventually(() => server.hub.viewersNow(event.id), (viewers) => viewers === 0);
    await storedWatch(event.slug, event.moderator.token, ana.user.id, 0);
  });

  it('credits a tab visible about 10 s of 50 s only its visible seconds, across switches', async () => {
    const event = await createEvent(server, 'tiempo-alterno');
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    clock.advance(20);
    await heartbeat(socket, 4_000);
    clock.advance(30);
    await heartbeat(socket, 6_000);
    await socket.close();
    await storedWatch(event.slug, event.moderator.token, ana.user.id, 10);
  });

  it('credits no more than the time that passed on the server, and at most 90 s a heartbeat, so a sleeping laptop earns nothing more', async () => {
    const event = await createEvent(server, 'tiempo-tope');
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    clock.advance(60);
    await heartbeat(socket, 60_000);
    // Asleep an hour: a client that claims the hour gets the cap.
    clock.advance(3_600);
    await heartbeat(socket, 3_600_000);
    // 10 s later, a claim of a minute gets the 10 s.
    clock.advance(10);
    await heartbeat(socket, 60_000);
    await storedWatch(event.slug, event.moderator.token, ana.user.id, 160);
    await socket.close();
  });

  it('counts the seconds two tabs of one attendee both vouch for once, and keeps adding across a reconnect', async () => {
    const event = await createEvent(server, 'tiempo-pestanas');
    const ana = await attendeeOf(server, event.slug);
    const first = (await connect(server, { event: event.slug, token: ana.token })).socket;
    clock.advance(30);
    const second = (await connect(server, { event: event.slug, token: ana.token })).socket;
    clock.advance(30);
    await heartbeat(first, 60_000);
    clock.advance(30);
    // Its 60 s overlap the first tab's by 30.
    await heartbeat(second, 60_000);
    clock.advance(30);
    await first.close();
    await second.close();
    await storedWatch(event.slug, event.moderator.token, ana.user.id, 90);
    clock.advance(600);
    const again = (await connect(server, { event: event.slug, token: ana.token })).socket;
    clock.advance(60);
    await heartbeat(again, 60_000);
    await storedWatch(event.slug, event.moderator.token, ana.user.id, 150);
    await again.close();
  });

  it('credits the seconds a tab on another process vouches for too once, whichever process writes first', async () => {
    const event = await createEvent(server, 'tiempo-otro-proceso');
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    // What another process sharing the database counts of Ana's tab there (tests/realtime/watch-time-two-processes.test.ts runs two real ones).
    const otherProcess = new WatchTime(server.deps, server.config.realtime.heartbeatCapSeconds);
    otherProcess.start(event.id, ana.user.id);
    clock.advance(60);
    await heartbeat(socket, 60_000);
    otherProcess.heartbeat(event.id, ana.user.id, 30_000, 60_000);
    await otherProcess.flush();
    await storedWatch(event.slug, event.moderator.token, ana.user.id, 60);
    clock.advance(60);
    otherProcess.heartbeat(event.id, ana.user.id, 60_000, 60_000);
    await heartbeat(socket, 20_000);
    await server.hub.analytics.flushWatchTime();
    await otherProcess.flush();
    await socket.close();
    otherProcess.end(event.id, ana.user.id);
    await otherProcess.flush();
    // 120 s passed: 60 + 30 + 60 + 20 vouched for, 120 of them distinct.
    const stored = await storedWatch(event.slug, event.moderator.token, ana.user.id, 120);
    expect(stored.total_seconds).toBe(120);
  });

  it('writes the watch time of many attendees in a handful of statements, not one per heartbeat', async () => {
    const event = await createEvent(server, 'tiempo-lote');
    const sockets: TestSocket[] = [];
    for (let n = 0; n < 30; n += 1) {
      sockets.push((await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket);
    }
    await server.hub.analytics.flushWatchTime();
    clock.advance(60);
    await Promise.all(sockets.map((socket) => heartbeat(socket, 60_000)));
    const { sequelize } = server.deps.db;
    const query = sequelize.query.bind(sequelize);
    let statements = 0;
    // The outbox mails the 30 confirmations meanwhile: only the statements on watch time count.
    sequelize.query = ((...args: Parameters<typeof query>) => {
      if (String(args[0]).includes('session_analytics')) statements += 1;
      return query(...args);
    }) as typeof sequelize.query;
    try {
      await server.hub.analytics.flushWatchTime();
    } finally {
      sequelize.query = query;
    }
    // One read of the 30 rows (with what is already credited) and one UPDATE, on MariaDB inside
    // one transaction whose START and COMMIT name no table.
    expect(statements).toBe(2);
    const stored = await participants(event.slug, event.admin);
    expect(stored.map((participant) => participant.total_seconds)).toEqual(Array(30).fill(60));
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('counts distinct attendees as viewers, tells everyone when it changes, and reports it to the admin API', async () => {
    const event = await createEvent(server, 'presencia');
    const ana = await attendeeOf(server, event.slug, 'Ana');
    const luis = await attendeeOf(server, event.slug, 'Luis');
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const speaker = (await connect(server, { event: event.slug, token: event.speaker.token })).socket;
    const anaTabs = [(await connect(server, { event: event.slug, token: ana.token })).socket, (await connect(server, { event: event.slug, token: ana.token })).socket];
    const luisSocket = await connect(server, { event: event.slug, token: luis.token });
    expect(luisSocket.welcome.viewers).toBe(2);
    await speaker.waitFor('viewers', (m) => m.count === 2);
    await anaTabs[0]!.waitFor('viewers', (m) => m.count === 2);
    expect(server.hub.viewersNow(event.id)).toBe(2);
    const adminView = await api(server.url, `/api/admin/events/${event.id}`, { token: event.admin });
    expect(adminView.body.viewers_now).toBe(2);

    const sessions = await moderator.waitFor('active_sessions', (m) => m.count === 2);
    expect(sessions.sessions.map((session) => session.name).sort()).toEqual(['Ana', 'Luis']);
    expect(sessions.sessions[0]).toMatchObject({ role: 'visor', minutes_watched: 0 });
    expect(Date.parse(sessions.sessions[0]!.connected_since)).toBe(clock.time);

    await anaTabs[0]!.close();
    await speaker.expectNone('viewers', 100, (m) => m.type === 'viewers' && m.count !== 2);
    await anaTabs[1]!.close();
    await speaker.waitFor('viewers', (m) => m.count === 1);
    expect((await report(event.slug, event.moderator.token)).active_now).toBe(1);
    expect(luisSocket.socket.all('active_sessions')).toEqual([]);
    expect(speaker.all('active_sessions')).toEqual([]);
  });

  it('samples the viewers of every live event once a minute for the concurrency curve', async () => {
    const event = await createEvent(server, 'curva');
    const sockets: TestSocket[] = [];
    clock.time = Date.parse('2026-03-01T20:00:10Z');
    for (let n = 0; n < 3; n += 1) {
      sockets.push((await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket);
    }
    await server.hub.analytics.sampleViewers();
    clock.advance(60);
    await sockets.pop()!.close();
    await eventually(() => server.hub.viewersNow(event.id), (count) => count === 2);
    await server.hub.analytics.sampleViewers();
    const result = await report(event.slug, event.admin);
    expect(result.curve).toEqual([
      { at: '2026-03-01T20:00:00.000Z', viewers: 3 },
      { at: '2026-03-01T20:01:00.000Z', viewers: 2 },
    ]);
    expect(result.peak).toEqual({ viewers: 3, at: '2026-03-01T20:00:00.000Z' });
    await Promise.all(sockets.map((socket) => socket.close()));
  });
});
