import { describe, expect, it } from 'vitest';
import type { ParticipantReport, TablePage } from '@palco/sdk/protocol';
import { defaultRealtimeSettings } from '../../packages/backend/src/config.js';
import { useServers } from '../support/fixture.js';
import { api } from '../support/http.js';
import { eventually, sleep } from '../support/poll.js';
import { testRedisUrl } from '../support/redis.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type Reachable, type TestSocket } from './support.js';

const mariadb = databaseTargets.find((target) => target.name === 'mariadb');
const runs = Boolean(mariadb && testRedisUrl);
if (!runs) console.warn('watch time on two processes: TEST_MYSQL_URL and TEST_REDIS_URL are both needed; the suite is skipped.');

describe.skipIf(!runs)('watch time of one attendee on two processes sharing MariaDB and Redis', () => {
  // Each process's clock moves 61 s at a time (clock-shift.mjs); both move together, as one machine's would.
  const [a, b] = useServers(mariadb!, 2, () => ({ REDIS_URL: testRedisUrl!, PALCO_DEMO: '0' }), { movableClock: true });
  const aMinutePasses = () => Promise.all([a.moveClockForward(), b.moveClockForward()]);

  /** A heartbeat that vouches for `visibleMs` of visible page since the socket's previous one. */
  let refs = 0;
  const heartbeat = async (socket: TestSocket, visibleMs: number) => {
    const ref = `hb-${(refs += 1)}`;
    socket.send({ type: 'ping', ref, visible_ms: visibleMs });
    await socket.waitFor('pong', (pong) => pong.ref === ref);
  };

  const storedSeconds = async (server: Reachable, slug: string, admin: string, userId: number) => {
    const page = await api<TablePage<ParticipantReport>>(server.url, `/api/events/${slug}/reports/participants`, { token: admin });
    return page.body.items.find((item) => item.user_id === userId)?.total_seconds ?? 0;
  };

  it('credits the seconds two tabs on two processes both vouch for once: never more than the time that passed', async () => {
    const event = await createEvent(a, 'dos-pestanas-tiempo');
    const ana = await attendeeOf(a, event.slug);
    const onA = (await connect(a, { event: event.slug, token: ana.token })).socket;
    const onB = (await connect(b, { event: event.slug, token: ana.token })).socket;

    await aMinutePasses();
    // The tab on A was visible the whole 61 s, the one on B its last 30: 60 s watched (the cap of a ping being its 60).
    await heartbeat(onA, 60_000);
    await heartbeat(onB, 30_000);
    await aMinutePasses();
    // Now B's tab was the visible one, and A's only its last 20 s, inside B's.
    await heartbeat(onB, 60_000);
    await heartbeat(onA, 20_000);
    await Promise.all([onA.close(), onB.close()]);

    // Both processes write within a flush interval of the closes; one more shows nothing else comes.
    const seconds = () => storedSeconds(b, event.slug, event.admin, ana.user.id);
    await eventually(seconds, (stored) => stored >= 120, 3 * defaultRealtimeSettings.watchTimeFlushMs);
    await sleep(defaultRealtimeSettings.watchTimeFlushMs + 1_000);
    // The tabs vouched for 60 + 30 + 60 + 20 s, of which 120 are distinct (and a few
    // milliseconds between the pings); 122 s passed.
    const stored = await seconds();
    expect(stored).toBeGreaterThanOrEqual(120);
    expect(stored).toBeLessThanOrEqual(122);
  });
});
