import jwt from 'jsonwebtoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, eventId } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

const slug = 'demo-fast';

const unsignedToken = (claims: object) =>
  [{ alg: 'none', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.';

describe.each(databaseTargets)('identity tokens from the producer site on $name', (target) => {
  let embedSecret: string;
  const server = useServer(target);
  beforeAll(async () => {
    const admin = await adminToken(server.url);
    const event = await api(server.url, `/api/admin/events/${await eventId(server.url, slug)}`, { token: admin });
    embedSecret = event.body.embed_secret;
  });

  const identify = (identity: string) => api(server.url, `/api/events/${slug}/identity`, { body: { identity } });
  const sign = (claims: object, options: jwt.SignOptions = {}, secret = embedSecret) =>
    jwt.sign(claims, secret, { algorithm: 'HS256', audience: slug, expiresIn: 300, ...options });

  it('registers the attendee on first use and signs the same user in afterwards', async () => {
    const claims = { email: 'Vera@ProduccionesFast.com', name: 'Vera', phone: '+34 611 000 000' };
    const first = await identify(sign(claims));
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ email: 'vera@produccionesfast.com', name: 'Vera', role: 'visor' });
    expect(first.body.redirect).toBe(`/e/${slug}/watch`);
    expect(first.headers.get('set-cookie')).toMatch(/palco_e\d+=/);
    const again = await identify(sign(claims));
    expect(again.status).toBe(200);
    expect(again.body.user.id).toBe(first.body.user.id);
    expect((await api(server.url, '/api/me', { token: again.body.token })).status).toBe(200);
  });

  const claims = { email: 'iker@produccionesfast.com', name: 'Iker' };
  it.each([
    ['another secret', () => sign(claims, {}, 'not-the-embed-secret')],
    ['another audience', () => sign(claims, { audience: 'other-event' })],
    ['no audience', () => jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 }, embedSecret)],
    ['an expiry in the past', () => jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, embedSecret, { audience: slug })],
    ['an expiry over ten minutes away', () => sign(claims, { expiresIn: 20 * 60 })],
    ['no expiry', () => jwt.sign(claims, embedSecret, { audience: slug })],
    ['alg none', () => unsignedToken({ ...claims, aud: slug, exp: Math.floor(Date.now() / 1000) + 60 })],
    ['another algorithm', () => sign(claims, { algorithm: 'HS512' })],
    ['no email', () => sign({ name: 'Iker' })],
    ['no name', () => sign({ email: 'iker@produccionesfast.com' })],
    ['garbage', () => 'not-a-token'],
  ])('refuses an identity with %s as invalid_identity', async (_case, makeToken) => {
    const response = await identify(makeToken());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: 'invalid_identity',
      message: 'No pudimos verificar tu identidad. Vuelve a cargar la página.',
    });
  });

  it('still applies the event allowed domains', async () => {
    const response = await identify(sign({ email: 'iker@gmail.com', name: 'Iker' }));
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('domain_not_allowed');
  });
});
