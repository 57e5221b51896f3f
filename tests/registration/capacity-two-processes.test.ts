import { describe, expect, it } from 'vitest';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { useServers } from '../support/fixture.js';
import { testRedisUrl } from '../support/redis.js';
import { databaseTargets } from '../support/server.js';
import { answeredWithinSeats, registerAtOnce, storedStatuses } from './support.js';

const mariadb = databaseTargets.find((target) => target.name === 'mariadb');
const runs = Boolean(mariadb && testRedisUrl);
if (!runs) console.warn('capacity-two-processes: TEST_MYSQL_URL and TEST_REDIS_URL are both needed; the suite is skipped.');

describe.skipIf(!runs)('seats claimed by two backend processes sharing MariaDB', () => {
  // One database and one Redis key prefix for both; the first process migrates the database.
  const [a, b] = useServers(mariadb!, 2, () => ({ REDIS_URL: testRedisUrl!, PALCO_DEMO: '0', TRUST_PROXY: '1' }));

  it('admits exactly 100 of 2 000 registrations sent at once to both processes', async () => {
    const admin = await adminToken(a.url);
    const created = await api(a.url, '/api/admin/events', {
      token: admin,
      body: { slug: 'dos-procesos', title: 'Dos procesos', access_code: 'codigo-2050', capacity: 100, waitlist: true },
    });
    expect(created.status).toBe(201);
    const { statuses } = await registerAtOnce([a.url, b.url], 'dos-procesos', 2000, 'dos');
    expect(answeredWithinSeats(statuses, 100, 2000), JSON.stringify(statuses)).toBe(true);
    expect(await storedStatuses(b.url, 'dos-procesos', admin)).toEqual({ registered: 100, waitlisted: 1900 });
    expect((await api(b.url, `/api/admin/events/${created.body.id}`, { token: admin })).body.seats_taken).toBe(100);
  }, 180_000);
});
