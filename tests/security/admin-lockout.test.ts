import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets, testAdmin } from '../support/server.js';
import { createEvent } from '../webhooks/support.js';
import { useServer } from '../support/fixture.js';

let addressCounter = 0;
const freshAddress = () => `198.51.100.${++addressCounter}`;

describe("an administrator's lockout on every sign-in form", () => {
  const slugs: string[] = [];
  const server = useServer(databaseTargets[0]!, {
    trustProxy: true,
    rateLimits: { ...defaultRateLimits, loginFailuresPerAccount: 5, loginLockoutSeconds: 60, loginFailuresPerIp: 20 },
  });
  beforeAll(async () => {
    const token = await adminToken(server.url);
    for (let n = 0; n < 3; n += 1) slugs.push((await createEvent(server, token)).slug);
  });

  const login = (path: string, password: string) =>
    api(server.url, path, { body: { email: testAdmin.email, password }, headers: { 'x-forwarded-for': freshAddress() } });

  it("keeps the administrator's password locked on every event's sign-in form, so each event is no new set of guesses", async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await login('/api/auth/login', `guess-${attempt}`)).status).toBe(401);
    expect((await login('/api/auth/login', testAdmin.password)).status).toBe(429);
    for (const slug of slugs) {
      const answer = await login(`/api/events/${slug}/login`, testAdmin.password);
      expect(answer.status).toBe(429);
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
  });
});
