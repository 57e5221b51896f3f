import { describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('registration and sign-in on $name', (target) => {
  const server = useServer(target);

  const register = (email: string, extra: Record<string, unknown> = {}) =>
    api(server.url, '/api/events/demo-fast/register', { body: { name: 'Ana', email, phone: '+34 600 000 000', ...extra } });

  it('registers an attendee of an allowed domain and signs them in with a cookie and a token', async () => {
    const response = await register('ana@produccionesfast.com');
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ email: 'ana@produccionesfast.com', role: 'visor', name: 'Ana' });
    expect(response.body.redirect).toBe('/e/demo-fast/watch');
    expect(typeof response.body.token).toBe('string');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/palco_e\d+=/);
    expect(cookie.toLowerCase()).toContain('httponly');
    expect(cookie.toLowerCase()).toContain('samesite=lax');
    const me = await api(server.url, '/api/me', { token: response.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('ana@produccionesfast.com');
    expect(me.body.event.slug).toBe('demo-fast');
  });

  it('refuses an email of another domain, in Spanish by default, marking the email', async () => {
    const response = await register('ana@gmail.com');
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: 'domain_not_allowed',
      message: 'Este evento solo admite correos de los dominios autorizados.',
      fields: { email: 'Este evento solo admite correos de los dominios autorizados.' },
    });
  });

  it('refuses an email of another domain in English with ?lang=en or Accept-Language', async () => {
    const refused = 'This event only accepts emails from its authorised domains.';
    const english = { error: 'domain_not_allowed', message: refused, fields: { email: refused } };
    const byQuery = await api(server.url, '/api/events/demo-fast/register?lang=en', {
      body: { name: 'Ana', email: 'ana@gmail.com', phone: '+34 600 000 000' },
    });
    expect(byQuery.body).toEqual(english);
    const byHeader = await api(server.url, '/api/events/demo-fast/register', {
      body: { name: 'Ana', email: 'ana@gmail.com', phone: '+34 600 000 000' },
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(byHeader.body).toEqual(english);
  });

  it('names a refused domain together with every other problem, not after they are fixed', async () => {
    const response = await register('ana@gmail.com', { phone: 'abc', name: '' });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: 'invalid_input',
      message: 'Revisa los datos marcados.',
      fields: {
        name: 'Este campo es obligatorio.',
        email: 'Este evento solo admite correos de los dominios autorizados.',
        phone: 'Escribe un teléfono válido.',
      },
    });
  });

  it.each(['x@produccionesfast.com.evil.io', 'x@evilproduccionesfast.com', 'x@sub.produccionesfast.com'])(
    'matches the whole domain, refusing %s',
    async (email) => {
      expect((await register(email)).status).toBe(403);
    },
  );

  it('sends an email already registered to sign in, with the login URL', async () => {
    await register('luis@produccionesfast.com');
    const again = await register('LUIS@produccionesfast.com');
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_registered');
    expect(again.body.login_url).toBe('/e/demo-fast/login?email=luis%40produccionesfast.com');
  });

  it('answers each of many registrations sent at once, the repeated email included, with its own account', async () => {
    const emails = Array.from({ length: 40 }, (_, i) => `lote${i}@produccionesfast.com`);
    const sent = [...emails, 'lote7@produccionesfast.com', 'lote21@produccionesfast.com'];
    const responses = await Promise.all(sent.map((email) => register(email)));
    const created = responses.filter((response) => response.status === 201);
    expect(created).toHaveLength(40);
    expect(responses.filter((response) => response.status === 409).map((response) => response.body.error)).toEqual([
      'already_registered',
      'already_registered',
    ]);
    expect(new Set(created.map((response) => response.body.user.email))).toEqual(new Set(emails));
    // Every token names the account of its own email.
    for (const response of created) {
      const me = await api(server.url, '/api/me', { token: response.body.token });
      expect(me.body.user).toMatchObject({ id: response.body.user.id, email: response.body.user.email });
    }
    expect(new Set(created.map((response) => response.body.user.id)).size).toBe(40);
  });
});
