import { describe, expect, it } from 'vitest';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { api, registerAttendee } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { sleep } from '../support/poll.js';
import { useServer } from '../support/fixture.js';

const slug = 'demo-fast';
const accessCode = 'produccionesfast2050';
let addressCounter = 0;
/** Each test speaks from its own address (the server trusts X-Forwarded-For here). */
const freshAddress = () => `198.51.100.${++addressCounter}`;

describe.each(databaseTargets)('sign-in and registration rate limits on $name', (target) => {
  const server = useServer(target, {
    trustProxy: true,
    rateLimits: {
      ...defaultRateLimits,
      loginFailuresPerAccount: 5,
      loginLockoutSeconds: 1,
      loginFailuresPerIp: 12,
      registrationsPerEmail: 3,
      registrationsPerIp: 4,
    },
  });

  const login = (email: string, password: string, address: string) =>
    api(server.url, `/api/events/${slug}/login`, { body: { email, password }, headers: { 'x-forwarded-for': address } });
  const register = (email: string, address: string) =>
    api(server.url, `/api/events/${slug}/register`, {
      body: { name: 'Limitada', email, phone: '+34 600 000 000' },
      headers: { 'x-forwarded-for': address },
    });

  it('locks an account after 5 failures, even for the right code, and the lockout grows', async () => {
    const { user } = await registerAttendee(server.url);
    const address = freshAddress();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(user.email, 'wrong-code', address)).status).toBe(401);
    }
    const locked = await login(user.email, accessCode, address);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: 'rate_limited', retry_after: 1 });
    expect(locked.body.message).toBe('Demasiados intentos. Espera un momento y vuelve a intentarlo.');
    expect(locked.headers.get('retry-after')).toBe('1');

    await sleep(1100);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(user.email, 'wrong-code', address)).status).toBe(401);
    }
    const lockedLonger = await login(user.email, accessCode, address);
    expect(lockedLonger.status).toBe(429);
    expect(lockedLonger.body.retry_after).toBe(2);
  });

  it('does not lock other accounts because of one', async () => {
    const victim = await registerAttendee(server.url);
    const bystander = await registerAttendee(server.url);
    const address = freshAddress();
    for (let attempt = 0; attempt < 5; attempt += 1) await login(victim.user.email, 'wrong-code', address);
    expect((await login(victim.user.email, accessCode, address)).status).toBe(429);
    expect((await login(bystander.user.email, accessCode, address)).status).toBe(200);
  });

  it('limits failures per address across accounts', async () => {
    const address = freshAddress();
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect((await login(`nadie${attempt}@produccionesfast.com`, 'wrong-code', address)).status).toBe(401);
    }
    const { user } = await registerAttendee(server.url);
    const refused = await login(user.email, accessCode, address);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(refused.body.retry_after).toBeGreaterThan(60);
    expect((await login(user.email, accessCode, freshAddress())).status).toBe(200);
  });

  it('limits registrations per email', async () => {
    const address = freshAddress();
    expect((await register('repite@produccionesfast.com', address)).status).toBe(201);
    expect((await register('repite@produccionesfast.com', address)).status).toBe(409);
    expect((await register('repite@produccionesfast.com', freshAddress())).status).toBe(409);
    const refused = await register('repite@produccionesfast.com', freshAddress());
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(refused.body.retry_after).toBeGreaterThan(0);
  });

  it('limits registrations per address', async () => {
    const address = freshAddress();
    for (let index = 0; index < 4; index += 1) {
      expect((await register(`oficina${index}@produccionesfast.com`, address)).status).toBe(201);
    }
    const refused = await register('oficina4@produccionesfast.com', address);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect((await register('oficina4@produccionesfast.com', freshAddress())).status).toBe(201);
  });
});
