import { beforeAll, describe, expect, it } from 'vitest';
import type { EventReport, ParticipantReport, TablePage } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, ManualClock, type TestSocket, useRealtimeServer } from '../realtime/support.js';

describe.each(databaseTargets)('watch time live and on demand on $name', (target) => {
  const clock = new ManualClock(Date.parse('2050-03-01T18:00:00Z'));
  const server = useRealtimeServer(target, { viewerSampleMs: 3_600_000 });
  beforeAll(() => {
    server.deps.now = clock.now;
  });

  const heartbeat = async (socket: TestSocket, seconds: number) => {
    clock.advance(seconds);
    const ref = `hb-${clock.time}`;
    socket.send({ type: 'ping', ref, visible_ms: seconds * 1000 });
    await socket.waitFor('pong', (pong) => pong.ref === ref);
  };
  const participant = async (slug: string, token: string, userId: number, total: number) =>
    eventually(
      async () => {
        await server.hub.analytics.flushWatchTime();
        const page = await api<TablePage<ParticipantReport>>(server.url, `/api/events/${slug}/reports/participants`, { token });
        return page.body.items.find((item) => item.user_id === userId)!;
      },
      (item) => item?.total_seconds === total,
    );

  it('counts the seconds watched live and those watched in the replay apart, and reports, CSV and distribution show both', async () => {
    const event = await createEvent(server, 'dos-tiempos');
    const ana = await attendeeOf(server, event.slug, 'Ana Directo');
    const live = (await connect(server, { event: event.slug, token: ana.token })).socket;
    for (const seconds of [60, 60, 60]) await heartbeat(live, seconds);
    expect(await participant(event.slug, event.admin, ana.user.id, 180)).toMatchObject({ live_seconds: 180, on_demand_seconds: 0 });

    const closed = await api(server.url, `/api/admin/events/${event.id}`, {
      method: 'PATCH',
      token: event.admin,
      body: { is_active: false, replay_url: 'https://video.example/replay.m3u8', on_demand_until: '2050-04-01T00:00:00Z' },
    });
    expect(closed.body.state).toBe('on_demand');
    await live.waitFor('event_state');
    for (const seconds of [60, 60, 60, 60, 60, 60]) await heartbeat(live, seconds);
    const stored = await participant(event.slug, event.admin, ana.user.id, 540);
    expect(stored).toMatchObject({ total_minutes: 9, live_seconds: 180, on_demand_seconds: 360 });

    const report = (await api<EventReport>(server.url, `/api/events/${event.slug}/reports`, { token: event.admin })).body;
    expect(report.watch).toMatchObject({ total_minutes: 9, live_minutes: 3, on_demand_minutes: 6, watchers: 1 });
    // Ana falls in 5–14 minutes by her total, in 1–4 by her live time and in 5–14 by her replay time.
    const bucket = (from: number) => report.distribution.find((item) => item.from_minutes === from)!;
    expect(bucket(5)).toMatchObject({ participants: 1, on_demand_participants: 1, live_participants: 0 });
    expect(bucket(1)).toMatchObject({ participants: 0, live_participants: 1, on_demand_participants: 0 });

    const csv = await fetch(`${server.url}/api/events/${event.slug}/reports/participants.csv?lang=en`, { headers: { authorization: `Bearer ${event.admin}` } });
    const [header, row] = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    const cells = header!.split(',');
    const values = row!.split(',');
    expect(values[cells.indexOf('seconds_watched')]).toBe('540');
    expect(values[cells.indexOf('live_seconds')]).toBe('180');
    expect(values[cells.indexOf('on_demand_seconds')]).toBe('360');
  });
});
