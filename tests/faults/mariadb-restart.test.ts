import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '@palco/sdk/protocol';
import { defaultRealtimeSettings } from '../../packages/backend/src/config.js';
import { connect, type TestSocket } from '../realtime/support.js';
import { api, registerAttendee } from '../support/http.js';
import { freePort } from '../support/processes.js';
import { useServer } from '../support/fixture.js';
import { attendee, ChatLedger, deliveryGaps, missingForFaults, storedChat, ThrowawayMariadb, type Viewer } from './support.js';
import { eventually, sleep } from '../support/poll.js';

const skip = missingForFaults({ binaries: ['mariadbd', 'mariadb-install-db'] });
if (skip) console.warn(`mariadb-restart.test.ts: ${skip}`);

describe.skipIf(skip)('the database going away during an event and coming back', () => {
  let mariadb: ThrowawayMariadb;
  let databaseUrl: string;
  const viewers: Viewer[] = [];

  beforeAll(async () => {
    mariadb = new ThrowawayMariadb(await freePort());
    databaseUrl = await mariadb.install();
  }, 90_000);
  // Registered before the server's hooks, so the instance goes once the server has stopped.
  afterAll(async () => {
    await mariadb?.remove();
  });
  const server = useServer(
    // The throwaway instance's own database, which goes with the instance.
    { name: 'mariadb', create: async () => ({ url: databaseUrl, drop: async () => {} }) },
    // Heartbeats and watch-time writes every few hundred milliseconds, so an outage of
    // seconds spans many of them.
    { realtime: { ...defaultRealtimeSettings, heartbeatMs: 300, watchTimeFlushMs: 500, coalesceMs: 10 } },
  );
  afterAll(() => {
    for (const viewer of viewers) viewer.client.disconnect();
  });

  const totalWatchSeconds = async () => {
    const [rows] = await server.deps.db.sequelize.query('SELECT COALESCE(SUM(total_seconds), 0) AS total FROM session_analytics');
    return Number((rows as Array<{ total: number }>)[0]!.total);
  };

  it('answers 503 with Retry-After meanwhile, holds the chat unacked, then delivers it and keeps the watch time', async () => {
    for (const name of ['ana', 'bruno', 'carla']) viewers.push(await attendee(server.url, name));
    const raw: TestSocket = (await connect(server, { token: (await registerAttendee(server.url)).token })).socket;
    const ledger = new ChatLedger();
    await Promise.all(viewers.map((viewer) => ledger.send(viewer)));
    await sleep(2_000);
    await server.hub.analytics.flushWatchTime();
    await server.hub.analytics.sampleViewers();
    const watchedBefore = await totalWatchSeconds();
    expect(watchedBefore).toBeGreaterThan(0);

    await mariadb.kill();
    const outageStarted = Date.now();

    // The event's public page data comes from the process's cache; a registration needs the database.
    expect((await api(server.url, '/api/events/demo-fast')).status).toBe(200);
    const registration = (lang: string) =>
      api(server.url, `/api/events/demo-fast/register?lang=${lang}`, {
        body: { name: 'Durante Caída', email: `caida-${lang}@produccionesfast.com`, phone: '+34 600 000 111' },
      });
    const refusedRegistration = await registration('es');
    expect(refusedRegistration.status).toBe(503);
    expect(refusedRegistration.headers.get('retry-after')).toBe('5');
    expect(refusedRegistration.body).toEqual({ error: 'service_unavailable', message: errorText('service_unavailable', 'es'), retry_after: 5 });
    const english = await registration('en');
    expect(english.body.message).toBe(errorText('service_unavailable', 'en'));
    const ready = await api(server.url, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ error: 'service_unavailable', checks: { server: 'ok', database: 'unavailable', redis: 'not_configured' } });
    expect((await api(server.url, '/healthz')).status).toBe(200);

    // A command that needs the database is refused, not acked, and says when to try again.
    const refused = await raw.request({ type: 'chat', message: 'sin base de datos' });
    expect(refused).toMatchObject({ type: 'error', code: 'service_unavailable', retry_after: 5 });

    // The SDK keeps what is sent meanwhile and sends it again until the database is back.
    const during = viewers.flatMap((viewer) => [ledger.send(viewer), ledger.send(viewer)]);
    await server.hub.analytics.sampleViewers();
    await sleep(3_000);
    expect(ledger.acked.size).toBe(viewers.length);
    expect([...ledger.failed]).toEqual([]);

    await mariadb.start();
    const outageSeconds = (Date.now() - outageStarted) / 1000;
    await Promise.all(during);
    await eventually(async () => (await api(server.url, '/readyz')).status === 200, Boolean, 15_000, 'ready again');
    expect((await api(server.url, '/api/events/demo-fast')).status).toBe(200);

    const acked = ledger.ackedIds;
    await eventually(() => viewers.every((viewer) => deliveryGaps(viewer, acked).missing.length === 0), Boolean, 15_000, 'every viewer has every acked message');
    const stored = await storedChat(databaseUrl, ledger);
    console.info(`MariaDB outage of ${outageSeconds.toFixed(1)} s: acked ${ledger.acked.size}, found ${stored.size}`);
    expect([...ledger.failed, ...ledger.unknown]).toEqual([]);
    expect(ledger.acked.size).toBe(viewers.length * 3);
    expect(stored).toEqual(ledger.acked);
    for (const viewer of viewers) expect(deliveryGaps(viewer, acked)).toEqual({ missing: [], repeated: [] });

    // Heartbeats went on counting while the writes failed; nothing counted before or during is lost.
    await server.hub.analytics.flushWatchTime();
    const watchedAfter = await totalWatchSeconds();
    console.info(`watch time: ${watchedBefore} s before the outage, ${watchedAfter} s after it`);
    expect(watchedAfter).toBeGreaterThan(watchedBefore + viewers.length);
    // The curve's point taken during the outage was kept and goes in with the next one.
    await server.hub.analytics.sampleViewers();
    const [samples] = await server.deps.db.sequelize.query('SELECT COUNT(*) AS count FROM viewer_samples');
    expect(Number((samples as Array<{ count: number }>)[0]!.count)).toBe(3);
    raw.ws.close();
  }, 120_000);
});
