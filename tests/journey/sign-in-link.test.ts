import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@palco/sdk';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { UserRow } from '../../packages/backend/src/db/models.js';
import { createStaff } from '../support/accounts.js';
import { api } from '../support/http.js';
import { eventually, sleep } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { mailSuite } from '../support/smtp.js';
import { signatureVerifies, startReceiver } from '../webhooks/receiver.js';

const slug = 'por-enlace';

describe.each(databaseTargets)('sign-in by emailed link on $name', (target) => {
  const suite = mailSuite(target, { rateLimits: { ...defaultRateLimits, signInLinksPerIp: 40 }, webhookPrivateTargets: true });
  let event: { id: number; embed_secret: string };
  beforeAll(async () => {
    const created = await api(suite.server.url, '/api/admin/events', {
      token: suite.admin,
      body: { slug, title: 'Por enlace', require_confirmation: true },
    });
    event = created.body;
    await createStaff(suite.server.url, suite.admin, slug, { name: 'Mora', email: 'mod@enlace.test', role: 'moderador', password: 'moderadora-2050' });
  });

  const register = async (email: string) => {
    const response = await api(suite.server.url, `/api/events/${slug}/register`, { body: { name: 'Lía', email, phone: '+34 600 000 000' } });
    expect(response.status).toBe(201);
    return response.body;
  };
  const askForLink = (email: string) => api(suite.server.url, `/api/events/${slug}/sign-in-link`, { body: { email } });
  /** The token of the newest sign-in link mailed to `email`, after `count` messages reached it. */
  const linkIn = async (email: string, count: number) => {
    const mails = await suite.receiver.inbox(email, count);
    const text = mails[count - 1]!.parsed.text ?? '';
    return /\/auth\?token=([A-Za-z0-9_-]{43})/.exec(text)![1]!;
  };
  const spend = (token: string) =>
    fetch(`${suite.server.url}/e/${slug}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
      redirect: 'manual',
    });
  const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

  it('answers 202 alike for a registered and an unknown address, and mails only the registered one', async () => {
    await register('lia@enlace.test');
    await suite.receiver.inbox('lia@enlace.test');
    const known = await askForLink('lia@enlace.test');
    const unknown = await askForLink('nadie@enlace.test');
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const [, link] = await suite.receiver.inbox('lia@enlace.test', 2);
    expect(link!.parsed.subject).toBe('Tu enlace para entrar: Por enlace');
    await sleep(200);
    expect(suite.receiver.mails.filter((mail) => mail.to === 'nadie@enlace.test')).toHaveLength(0);
    expect((await askForLink('no es un correo')).status).toBe(422);
  });

  it('signs in only when the button is pressed, once, confirming the attendee, and sends them to the watch page', async () => {
    const registered = await register('boton@enlace.test');
    expect(registered.user.confirmed).toBe(false);
    const token = await linkIn('boton@enlace.test', 1);

    // What a mail scanner does: fetch the link, maybe twice. Nothing is spent.
    for (let scan = 0; scan < 2; scan += 1) {
      const page = await fetch(`${suite.server.url}/e/${slug}/auth?token=${token}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<form method="post" action="/e/por-enlace/auth?lang=es">');
      expect(html).toContain(`<input type="hidden" name="token" value="${token}"/>`);
    }

    const signedIn = await spend(token);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/e/${slug}/watch`);
    const me = await api(suite.server.url, `/api/me?event=${slug}`, { headers: { cookie: cookieOf(signedIn) } });
    expect(me.body.user).toMatchObject({ email: 'boton@enlace.test', confirmed: true });
    expect((await UserRow.findByPk(registered.user.id))!.confirmed_at).not.toBeNull();

    const again = await spend(token);
    expect(again.status).toBe(400);
    const html = await again.text();
    expect(html).toContain('Este enlace de acceso ya se usó. Pide uno nuevo.');
    expect(html).toContain('sign_in_link_used');
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('says clearly why a malformed, unknown, expired or orphaned link does not work', async () => {
    const malformed = await fetch(`${suite.server.url}/e/${slug}/auth?token=abc&lang=en`);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('This sign-in link is not valid. Ask for a new one.');
    expect((await spend('A'.repeat(43))).status).toBe(400);

    await register('tarde@enlace.test');
    const late = await linkIn('tarde@enlace.test', 1);
    suite.server.deps.now = () => Date.now() + 31 * 60_000;
    const expired = await spend(late);
    suite.server.deps.now = () => Date.now();
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('sign_in_link_expired');

    const gone = await register('borrada@enlace.test');
    const orphan = await linkIn('borrada@enlace.test', 1);
    await UserRow.destroy({ where: { id: gone.user.id } });
    const orphaned = await spend(orphan);
    expect(orphaned.status).toBe(404);
    expect(await orphaned.text()).toContain('not_registered');
  });

  it('never mails staff a link, and keeps attendees of a link event off the access code without saying who is registered', async () => {
    expect((await askForLink('mod@enlace.test')).status).toBe(202);
    await sleep(200);
    expect(suite.receiver.mails.filter((mail) => mail.to === 'mod@enlace.test')).toHaveLength(0);

    await register('codigo@enlace.test');
    for (const email of ['codigo@enlace.test', 'desconocido@enlace.test']) {
      const attempt = await api(suite.server.url, `/api/events/${slug}/login`, { body: { email, password: 'cualquier-cosa' } });
      expect(attempt.status).toBe(403);
      expect(attempt.body.error).toBe('sign_in_by_link');
    }
    const staff = await api(suite.server.url, `/api/events/${slug}/login`, { body: { email: 'mod@enlace.test', password: 'moderadora-2050' } });
    expect(staff.status).toBe(200);
  });

  it('counts an attendee who arrived with the producer identity token as confirmed', async () => {
    const identity = jwt.sign({ email: 'producer@enlace.test', name: 'Vera' }, event.embed_secret, {
      algorithm: 'HS256',
      audience: slug,
      expiresIn: 300,
    });
    const response = await api(suite.server.url, `/api/events/${slug}/identity`, { body: { identity } });
    expect(response.status).toBe(200);
    expect(response.body.user.confirmed).toBe(true);
    await sleep(200);
    expect(suite.receiver.mails.filter((mail) => mail.to === 'producer@enlace.test')).toHaveLength(0);
  });

  it('lets the SDK ask for a link', async () => {
    await register('sdk@enlace.test');
    const client = createClient({ baseUrl: suite.server.url, event: slug, WebSocket: WebSocket as never });
    await client.requestSignInLink('sdk@enlace.test');
    // The confirmation and the link travel separately: either may arrive first.
    const subjects = (await suite.receiver.inbox('sdk@enlace.test', 2)).map((mail) => mail.parsed.subject);
    expect(subjects).toContain('Tu enlace para entrar: Por enlace');
    await expect(client.requestSignInLink('nope')).rejects.toMatchObject({ code: 'invalid_input' });
    client.disconnect();
  });

  it('offers the link form on the hosted pages and says the same whatever the address', async () => {
    const login = await (await fetch(`${suite.server.url}/e/${slug}/login`)).text();
    expect(login).toContain(`href="/e/${slug}/sign-in-link?lang=es"`);
    const form = await fetch(`${suite.server.url}/e/${slug}/sign-in-link?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=nadie%40enlace.test',
    });
    expect(form.status).toBe(202);
    expect(await form.text()).toContain('If nadie@enlace.test is registered for this event, a link will arrive within minutes.');
  });

  it('tells the producer\'s webhook when an attendee confirms, by link or by identity token, once each', async () => {
    const hooks = await startReceiver();
    try {
      const created = await api(suite.server.url, `/api/admin/events/${event.id}/webhooks`, {
        token: suite.admin,
        body: { url: hooks.url, topics: ['registration_confirmed'] },
      });
      expect(created.status).toBe(201);
      await register('webhook@enlace.test');
      expect((await spend(await linkIn('webhook@enlace.test', 1))).status).toBe(303);
      const identity = jwt.sign({ email: 'webhook-id@enlace.test', name: 'Iván' }, event.embed_secret, {
        algorithm: 'HS256',
        audience: slug,
        expiresIn: 300,
      });
      await api(suite.server.url, `/api/events/${slug}/identity`, { body: { identity } });
      await eventually(() => hooks.requests.length, (count) => count >= 2);
      const bodies = hooks.requests.map((request) => JSON.parse(request.body));
      expect(bodies.map((body) => [body.topic, body.data.email, body.data.via])).toEqual([
        ['registration_confirmed', 'webhook@enlace.test', 'link'],
        ['registration_confirmed', 'webhook-id@enlace.test', 'identity'],
      ]);
      expect(hooks.requests.every((request) => signatureVerifies(created.body.secret, request.body, request.headers['x-palco-signature'] as string))).toBe(true);
      // A second link of an attendee already confirmed confirms nothing new.
      await askForLink('webhook@enlace.test');
      expect((await spend(await linkIn('webhook@enlace.test', 2))).status).toBe(303);
      await sleep(300);
      expect(hooks.requests).toHaveLength(2);
    } finally {
      await hooks.close();
    }
  });

  it('answers bad input on every journey address with a clear error, never a 500', async () => {
    const url = suite.server.url;
    const form = (path: string, body: string) =>
      fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
    const answers: Array<[string, number, string]> = [];
    const json = async (path: string, init: Parameters<typeof api>[2]) => {
      const response = await api(url, path, init);
      answers.push([path, response.status, response.body?.error]);
    };
    await json(`/api/events/${slug}/sign-in-link`, { rawBody: '[]' });
    await json(`/api/events/${slug}/sign-in-link`, { rawBody: '{"email":' });
    await json(`/api/events/${slug}/sign-in-link`, { body: { email: ['a@b.co'] } });
    await json('/api/events/NO%20EXISTE/sign-in-link', { body: { email: 'a@b.co' } });
    await json(`/api/admin/events/${event.id}/mail?limit=0`, { token: suite.admin });
    await json(`/api/admin/events/${event.id}/mail?before=abc`, { token: suite.admin });
    await json('/api/admin/events/999999/mail', { token: suite.admin });
    expect(answers).toEqual([
      [`/api/events/${slug}/sign-in-link`, 422, 'invalid_input'],
      [`/api/events/${slug}/sign-in-link`, 400, 'malformed_json'],
      [`/api/events/${slug}/sign-in-link`, 422, 'invalid_input'],
      ['/api/events/NO%20EXISTE/sign-in-link', 404, 'event_not_found'],
      [`/api/admin/events/${event.id}/mail?limit=0`, 422, 'invalid_input'],
      [`/api/admin/events/${event.id}/mail?before=abc`, 422, 'invalid_input'],
      ['/api/admin/events/999999/mail', 404, 'event_not_found'],
    ]);

    const statuses: number[] = [];
    for (const response of [
      await fetch(`${url}/e/${slug}/auth`),
      await fetch(`${url}/e/${slug}/auth?token=a&token=b`),
      await fetch(`${url}/e/${slug}/auth?token=${'%00'.repeat(43)}`),
      await form(`/e/${slug}/auth`, ''),
      await form(`/e/${slug}/auth`, 'token=x&token=y'),
      await fetch(`${url}/e/${slug}/unsubscribe`),
      await fetch(`${url}/e/${slug}/unsubscribe?u=1&u=2&s=x`),
      await form(`/e/${slug}/unsubscribe?u=99999999999999999999&s=x`, 'List-Unsubscribe=One-Click'),
      await form(`/e/${slug}/sign-in-link`, 'email=not-an-email'),
      await fetch(`${url}/e/NO%20EXISTE/calendar.ics`),
    ]) {
      statuses.push(response.status);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 422, 404]);
  });

  // Last: it spends the allowance of the test's one network address.
  it('limits link requests per address and per network address', async () => {
    await register('limite@enlace.test');
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await askForLink('limite@enlace.test')).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);

    const fromOneAddress = [];
    for (let attempt = 0; attempt < 45; attempt += 1) fromOneAddress.push((await askForLink(`otro${attempt}@enlace.test`)).status);
    expect(fromOneAddress).toContain(429);
    expect(fromOneAddress.slice(0, 20).every((status) => status === 202)).toBe(true);
  });
});
