import { describe, expect, it } from 'vitest';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { api, registerAttendee } from '../support/http.js';
import { databaseTargets, testAdmin } from '../support/server.js';
import { sleep } from '../support/poll.js';
import { useServer } from '../support/fixture.js';

const slug = 'demo-fast';
const accessCode = 'produccionesfast2050';
let addressCounter = 0;
const freshAddress = () => `203.0.113.${++addressCounter}`;

describe('sign-in brute force and registration floods', () => {
  const server = useServer(databaseTargets[0]!, {
    trustProxy: true,
    rateLimits: { ...defaultRateLimits, loginFailuresPerAccount: 5, loginLockoutSeconds: 1, loginFailuresPerIp: 20, registrationsPerIp: 30 },
  });

  const login = (path: string, email: string, password: string, forwardedFor: string) =>
    api(server.url, path, { body: { email, password }, headers: { 'x-forwarded-for': forwardedFor } });
  const register = (email: string, forwardedFor: string) =>
    api(server.url, `/api/events/${slug}/register`, { body: { name: 'Oficina', email, phone: '+34 600 000 000' }, headers: { 'x-forwarded-for': forwardedFor } });

  it('login brute force on one account from many addresses: locked after 5 failures, the right code refused too, and the lockout doubles', async () => {
    const { user } = await registerAttendee(server.url);
    const path = `/api/events/${slug}/login`;
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await login(path, user.email, `guess-${attempt}`, freshAddress())).status).toBe(401);
    const locked = await login(path, user.email, accessCode, freshAddress());
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: 'rate_limited', retry_after: 1 });
    await sleep(1_100);
    for (let attempt = 0; attempt < 5; attempt += 1) await login(path, user.email, `guess-${attempt}`, freshAddress());
    expect((await login(path, user.email, accessCode, freshAddress())).body.retry_after).toBe(2);
  });

  it("login brute force on an administrator's account: the admin sign-in locks the same way", async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login('/api/auth/login', testAdmin.email, `guess-${attempt}`, freshAddress())).status).toBe(401);
    }
    expect((await login('/api/auth/login', testAdmin.email, testAdmin.password, freshAddress())).status).toBe(429);
  });

  it('login brute force from one address across accounts (password spraying): 429 for that address only', async () => {
    const address = freshAddress();
    for (let attempt = 0; attempt < 20; attempt += 1) {
      expect((await login(`/api/events/${slug}/login`, `spray${attempt}@produccionesfast.com`, 'Verano2050!', address)).status).toBe(401);
    }
    const { user } = await registerAttendee(server.url);
    const refused = await login(`/api/events/${slug}/login`, user.email, accessCode, address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    expect((await login(`/api/events/${slug}/login`, user.email, accessCode, freshAddress())).status).toBe(200);
  });

  it('login brute force behind a forged X-Forwarded-For: only the address the proxy appended counts', async () => {
    const proxySaw = freshAddress();
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await login(`/api/events/${slug}/login`, `forged${attempt}@produccionesfast.com`, 'wrong', `10.0.${attempt}.1, ${proxySaw}`);
    }
    const { user } = await registerAttendee(server.url);
    expect((await login(`/api/events/${slug}/login`, user.email, accessCode, `10.9.9.9, ${proxySaw}`)).status).toBe(429);
  });

  it('registration flood from one address: 429 past the per-address limit, other addresses unaffected', async () => {
    const address = freshAddress();
    const results = [];
    for (let index = 0; index < 35; index += 1) results.push((await register(`flood${index}@produccionesfast.com`, address)).status);
    expect(results.slice(0, 30).every((status) => status === 201)).toBe(true);
    expect(results.slice(30)).toEqual([429, 429, 429, 429, 429]);
    expect((await register('flood-other@produccionesfast.com', freshAddress())).status).toBe(201);
  });
});

describe('a big office behind one address', () => {
  const server = useServer(databaseTargets[0]!);

  it('registration flood limits with the defaults: 300 colleagues behind one NAT all register at once', async () => {
    const batch = (from: number) =>
      Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          api(server.url, `/api/events/${slug}/register`, { body: { name: `Colega ${from + index}`, email: `colega${from + index}@produccionesfast.com`, phone: '+34 600 000 000' } }),
        ),
      );
    const statuses: number[] = [];
    for (let from = 0; from < 300; from += 50) statuses.push(...(await batch(from)).map((response) => response.status));
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
  });
});
