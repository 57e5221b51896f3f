import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventReport } from '@palco/sdk/protocol';
import { startServer, type RunningServer } from '../../packages/backend/src/server.js';
import { api } from '../support/http.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, ManualClock, type TestSocket, useRealtimeServer } from '../realtime/support.js';
import { eventually } from '../support/poll.js';

const mariadb = databaseTargets.find((target) => target.name === 'mariadb');

describe.skipIf(!mariadb || !testRedisUrl)('the concurrency curve of two processes', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T20:00:10Z'));
  // Samples are taken by the test alone, at the clock's time, on both processes.
  const a = useRealtimeServer(mariadb!, { viewerSampleMs: 3_600_000 }, { redisUrl: testRedisUrl, redisPrefix: uniquePrefix() });
  let b: RunningServer;

  beforeAll(async () => {
    b = await startServer({ ...a.config, port: 0 });
    for (const server of [a, b]) server.deps.now = clock.now;
  });
  afterAll(async () => {
    await b?.close();
  });

  it('gets one point a minute per event, with the viewers of both processes, whichever samples first', async () => {
    const event = await createEvent(a, 'curva-compartida');
    const sockets: TestSocket[] = [];
    for (const server of [a, b, b]) sockets.push((await connect(server, { event: event.slug, token: (await attendeeOf(a, event.slug)).token })).socket);
    await eventually(async () => {
      await a.deps.presence.refresh(event.id);
      return a.hub.viewersNow(event.id);
    }, (viewers) => viewers === 3);

    await Promise.all([a.hub.analytics.sampleViewers(), b.hub.analytics.sampleViewers()]);
    clock.advance(60);
    await sockets.pop()!.close();
    await eventually(async () => {
      await b.deps.presence.refresh(event.id);
      return b.hub.viewersNow(event.id);
    }, (viewers) => viewers === 2);
    await Promise.all([b.hub.analytics.sampleViewers(), a.hub.analytics.sampleViewers()]);

    const report = await api<EventReport>(a.url, `/api/events/${event.slug}/reports`, { token: event.admin });
    expect(report.body.curve).toEqual([
      { at: '2026-03-01T20:00:00.000Z', viewers: 3 },
      { at: '2026-03-01T20:01:00.000Z', viewers: 2 },
    ]);
    await Promise.all(sockets.map((socket) => socket.close()));
  });
});
