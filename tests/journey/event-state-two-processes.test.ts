import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { startBackend, type BackendProcess } from '../support/processes.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { databaseTargets, type TestDatabase } from '../support/server.js';
import { attendeeOf, connect, createEvent } from '../realtime/support.js';
import { sleep } from '../support/poll.js';

const mariadb = databaseTargets.find((target) => target.name === 'mariadb');
const runs = Boolean(mariadb && testRedisUrl);
if (!runs) console.warn('event state on two processes: TEST_MYSQL_URL and TEST_REDIS_URL are both needed; the suite is skipped.');

describe.skipIf(!runs)('event state across two processes sharing MariaDB and Redis', () => {
  let database: TestDatabase;
  let a: BackendProcess;
  let b: BackendProcess;

  beforeAll(async () => {
    database = await mariadb!.create();
    const env = { DATABASE_URL: database.url, REDIS_URL: testRedisUrl!, PALCO_REDIS_PREFIX: uniquePrefix(), PALCO_DEMO: '0' };
    // One after the other: the first migrates the fresh database, the second finds it ready.
    a = await startBackend(env);
    b = await startBackend(env);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('tells a socket on B that the event went live on A, and keeps it open read-only when A closes it into its replay', async () => {
    const event = await createEvent(a, 'dos-estados', { starts_at: '2099-03-01T18:00:00Z' });
    const ana = await attendeeOf(b, event.slug);
    const onB = await connect(b, { event: event.slug, token: ana.token });
    expect(onB.welcome.event.state).toBe('scheduled');

    const patch = (body: unknown) => api(a.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: event.admin, body });
    expect((await patch({ live: true })).body.state).toBe('live');
    expect(await onB.socket.waitFor('event_state')).toEqual({ type: 'event_state', state: 'live' });
    await onB.socket.ok({ type: 'chat', message: 'En directo desde B' });

    const closed = await patch({ is_active: false, replay_url: 'https://video.example/replay.m3u8', on_demand_until: '2099-04-01T00:00:00Z' });
    expect(closed.body.state).toBe('on_demand');
    await onB.socket.waitFor('event_state', (message) => message.state === 'on_demand');
    expect(await onB.socket.request({ type: 'chat', message: 'Desde la repetición' })).toMatchObject({ type: 'error', code: 'event_on_demand' });
    await onB.socket.expectNone('event_closed', 300);
    expect(onB.socket.isOpen).toBe(true);
    const history = await api(b.url, `/api/events/${event.slug}/chat`, { token: ana.token });
    expect(history.body.items.map((message: { message: string }) => message.message)).toEqual(['En directo desde B']);
    await onB.socket.close();
  });

  it('tells the sockets on both processes once when the event is closed twice through A and twice through B at the same moment', async () => {
    const event = await createEvent(a, 'dos-cierres-a-la-vez');
    const sockets = await Promise.all([a, b, a, b].map(async (server) => (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket));
    const close = { is_active: false, replay_url: 'https://video.example/replay.m3u8', on_demand_until: '2099-04-01T00:00:00Z' };
    await Promise.all([a, b, a, b].map((server) => api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: event.admin, body: close })));
    for (const socket of sockets) await socket.waitFor('event_state');
    await sleep(300);
    for (const socket of sockets) expect(socket.all('event_state')).toEqual([{ type: 'event_state', state: 'on_demand' }]);
    await Promise.all(sockets.map((socket) => socket.close()));
  });
});
