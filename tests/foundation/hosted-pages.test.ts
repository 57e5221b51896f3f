import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { adminToken, createStaff, setEventActive } from '../support/accounts.js';
import { api } from '../support/http.js';
import { decodeEntities, getPage, inputValue, submitForm } from '../support/pages.js';
import { databaseTargets, testAdmin } from '../support/server.js';
import { useServer } from '../support/fixture.js';

const slug = 'demo-fast';
const accessCode = 'produccionesfast2050';

describe.each(databaseTargets)('hosted registration and sign-in pages on $name', (target) => {
  let admin: string;
  const server = useServer(target, {
    trustProxy: true,
    rateLimits: { ...defaultRateLimits, loginFailuresPerAccount: 2 },
  });
  beforeAll(async () => {
    admin = await adminToken(server.url);
    await createStaff(server.url, admin, slug, { name: 'Rita', email: 'rita@staff.test', role: 'moderador', password: 'rita-password' });
  });

  const register = (fields: Record<string, string>, query = '', headers: Record<string, string> = {}) =>
    submitForm(server.url, `/e/${slug}${query}`, { name: 'Ana', phone: '+34 600 000 000', ...fields }, headers);
  const login = (fields: Record<string, string>, query = '') => submitForm(server.url, `/e/${slug}/login${query}`, fields);

  it('shows the registration form in Spanish, with the event title, accessible fields and the stylesheet', async () => {
    const page = await getPage(server.url, `/e/${slug}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.html).toMatch(/^<!doctype html><html lang="es">/);
    expect(page.html).toContain('Demo Producciones Fast');
    expect(page.html).toContain('<form method="post" action="/e/demo-fast?lang=es">');
    for (const [name, autocomplete] of [['name', 'name'], ['email', 'email'], ['phone', 'tel']]) {
      expect(page.html).toContain(`<label for="field-${name}">`);
      expect(page.html).toMatch(new RegExp(`<input id="field-${name}" name="${name}"[^>]*autocomplete="${autocomplete}"`));
    }
    expect(page.html).toContain('Usa tu correo de produccionesfast.com.');
    expect(page.html).toContain('href="/e/demo-fast?lang=en"');
    expect(page.html).not.toContain('<script');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'none'");
    const css = await getPage(server.url, '/assets/pages.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(css.html).toContain(':focus-visible');
  });

  it('speaks English with ?lang=en or the browser language', async () => {
    const byQuery = await getPage(server.url, `/e/${slug}?lang=en`);
    expect(byQuery.html).toContain('<html lang="en">');
    expect(byQuery.html).toContain('Register to join');
    const byHeader = await getPage(server.url, `/e/${slug}`, { 'accept-language': 'en-GB,en;q=0.9,es;q=0.5' });
    expect(byHeader.html).toContain('<html lang="en">');
    expect(byHeader.html).toContain('href="/e/demo-fast?lang=es"');
  });

  it('shows the event logo', async () => {
    const { body } = await api(server.url, '/api/admin/events', {
      token: admin,
      body: { slug: 'con-logo', title: 'Con logo', logo_url: 'https://cdn.example.com/logo.png' },
    });
    const page = await getPage(server.url, `/e/${body.slug}`);
    expect(page.html).toContain('<img class="event-logo" src="https://cdn.example.com/logo.png"');
  });

  it('registers an attendee: cookie and 303 to the watch page', async () => {
    const response = await register({ email: 'form@produccionesfast.com' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/e/${slug}/watch`);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie.toLowerCase()).toContain('httponly');
    const me = await api(server.url, `/api/me?event=${slug}`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.body.user.email).toBe('form@produccionesfast.com');
  });

  it('refuses another domain naming the allowed one, keeping what was typed', async () => {
    const response = await register({ name: 'Ana <b>', email: 'ana@gmail.com' });
    expect(response.status).toBe(403);
    expect(response.html).toContain('role="alert"');
    expect(response.html).toContain('Este evento solo admite correos de los dominios autorizados.');
    expect(response.html).toContain('Usa tu correo de produccionesfast.com.');
    expect(inputValue(response.html, 'name')).toBe('Ana <b>');
    expect(response.html).not.toContain('<b>');
    expect(inputValue(response.html, 'email')).toBe('ana@gmail.com');
    expect(inputValue(response.html, 'phone')).toBe('+34 600 000 000');
    const english = await register({ email: 'ana@gmail.com' }, '?lang=en');
    expect(english.html).toContain('This event only accepts emails from its authorised domains.');
    expect(english.html).toContain('Use your produccionesfast.com email.');
  });

  it('marks the email field when its domain is refused: aria-invalid and the reason under it', async () => {
    const response = await register({ email: 'ana@gmail.com' });
    expect(response.status).toBe(403);
    expect(response.html).toContain('<p class="field-error" id="field-email-error">Este evento solo admite correos de los dominios autorizados.</p>');
    expect(response.html).toMatch(/<input id="field-email"[^>]*aria-invalid="true"[^>]*aria-describedby="field-email-error field-email-hint"/);
    expect(response.html).not.toMatch(/<input id="field-name"[^>]*aria-invalid/);
  });

  it('marks each invalid field next to it, with aria-invalid and aria-describedby', async () => {
    const response = await register({ name: '', email: 'not-an-email', phone: 'abc' });
    expect(response.status).toBe(422);
    expect(response.html).toContain('Revisa los datos marcados.');
    expect(response.html).toContain('<p class="field-error" id="field-name-error">Este campo es obligatorio.</p>');
    expect(response.html).toContain('<p class="field-error" id="field-email-error">Escribe un correo válido.</p>');
    expect(response.html).toContain('<p class="field-error" id="field-phone-error">Escribe un teléfono válido.</p>');
    expect(response.html).toMatch(/<input id="field-email"[^>]*aria-invalid="true"[^>]*aria-describedby="field-email-error field-email-hint"/);
    expect(response.html).toContain('<a href="#field-phone">Teléfono: Escribe un teléfono válido.</a>');
  });

  it('shows a refused email domain beside the email at once with the other fields’ problems', async () => {
    for (const [query, domain, phone] of [
      ['', 'Este evento solo admite correos de los dominios autorizados.', 'Escribe un teléfono válido.'],
      ['?lang=en', 'This event only accepts emails from its authorised domains.', 'Enter a valid phone number.'],
    ]) {
      const response = await register({ email: 'ana@gmail.com', phone: 'abc' }, query);
      expect(response.status).toBe(422);
      expect(response.html).toContain(`<p class="field-error" id="field-email-error">${domain}</p>`);
      expect(response.html).toContain(`<p class="field-error" id="field-phone-error">${phone}</p>`);
      expect(response.html).toMatch(/<input id="field-email"[^>]*aria-invalid="true"/);
    }
  });

  it('sends an email already registered to the login page, prefilled', async () => {
    await register({ email: 'twice@produccionesfast.com' });
    const response = await register({ email: 'twice@produccionesfast.com' });
    expect(response.status).toBe(409);
    expect(response.html).toContain('Este correo ya está registrado en el evento. Inicia sesión.');
    expect(response.html).toContain('href="/e/demo-fast/login?email=twice%40produccionesfast.com&amp;lang=es"');
    const loginPage = await getPage(server.url, `/e/${slug}/login?email=twice%40produccionesfast.com`);
    expect(inputValue(loginPage.html, 'email')).toBe('twice@produccionesfast.com');
  });

  it('tells attendees to use the access code and staff their own password', async () => {
    const page = await getPage(server.url, `/e/${slug}/login`);
    expect(page.html).toContain('código de acceso del evento, el que te dio quien lo organiza');
    expect(page.html).not.toContain('que te enviaron');
    expect(page.html).toContain('usa tu propia contraseña');
    expect(page.html).toMatch(/<input id="field-password" name="password" type="password" autocomplete="current-password"[^>]*aria-describedby="field-password-hint"/);
  });

  it('keeps the language the form was read in on the page after registering or signing in, whatever the browser prefers', async () => {
    const registered = await register({ email: 'idioma@produccionesfast.com' }, '?lang=en', { 'accept-language': 'es' });
    expect(registered.status).toBe(303);
    expect(registered.headers.get('location')).toBe(`/e/${slug}/watch?lang=en`);
    const signedIn = await login({ email: 'idioma@produccionesfast.com', password: accessCode }, '?lang=en');
    expect(signedIn.headers.get('location')).toBe(`/e/${slug}/watch?lang=en`);
  });

  it('signs in attendees, staff and admins with a redirect by role', async () => {
    await register({ email: 'entra@produccionesfast.com' });
    for (const [email, password, location] of [
      ['entra@produccionesfast.com', accessCode, `/e/${slug}/watch`],
      ['rita@staff.test', 'rita-password', `/e/${slug}/mod`],
      [testAdmin.email, testAdmin.password, '/admin/events'],
    ]) {
      const response = await login({ email: email!, password: password! });
      expect(response.status, email).toBe(303);
      expect(response.headers.get('location')).toBe(location);
      expect(response.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    }
  });

  it('sends a signed-in attendee who opens the event address on to the watch page instead of a blank form', async () => {
    const registered = await register({ email: 'vuelve@produccionesfast.com' });
    const cookie = registered.headers.get('set-cookie')!.split(';')[0]!;
    const again = await getPage(server.url, `/e/${slug}?lang=en`, { cookie });
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe(`/e/${slug}/watch?lang=en`);
    const stranger = await getPage(server.url, `/e/${slug}`);
    expect(stranger.status).toBe(200);
  });

  it('offers sign-out in the watch page header; the address alone only asks, its button signs out everywhere', async () => {
    const registered = await register({ email: 'sale@produccionesfast.com', name: 'Sara Sale' });
    const cookie = registered.headers.get('set-cookie')!.split(';')[0]!;
    const watch = await getPage(server.url, `/e/${slug}/watch`, { cookie });
    expect(watch.html).toContain('<form class="sign-out" method="post" action="/e/demo-fast/logout?lang=es">');
    expect(watch.html).toContain('Conectado como Sara Sale');

    const asked = await getPage(server.url, `/e/${slug}/logout`, { cookie });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('¿Cerrar la sesión de Sara Sale en este evento?');
    expect((await api(server.url, `/api/me?event=${slug}`, { headers: { cookie } })).status).toBe(200);

    const origin = new URL(server.url).origin;
    const out = await submitForm(server.url, `/e/${slug}/logout?lang=es`, {}, { cookie, origin });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe(`/e/${slug}?lang=es`);
    expect(out.headers.get('set-cookie')).toMatch(/palco_e\d+=;/);
    // The token itself is revoked, not only forgotten by this browser.
    expect((await api(server.url, `/api/me?event=${slug}`, { headers: { cookie } })).status).toBe(401);
    expect((await getPage(server.url, `/e/${slug}/watch`, { cookie })).headers.get('location')).toBe(`/e/${slug}?lang=es`);
  });

  it('says under the player what the event is about, in the organiser’s words, as text', async () => {
    const { body } = await api(server.url, '/api/admin/events', {
      token: admin,
      body: { slug: 'con-descripcion', title: 'Con descripción', description: 'Presentamos <b>Acme 2050</b>.\nPreguntas al final.' },
    });
    expect(body.description).toBe('Presentamos <b>Acme 2050</b>.\nPreguntas al final.');
    const registered = await submitForm(server.url, '/e/con-descripcion', { name: 'Ana', email: 'ana@cualquiera.com', phone: '+34 600 000 000' });
    const cookie = registered.headers.get('set-cookie')!.split(';')[0]!;
    const watch = await getPage(server.url, '/e/con-descripcion/watch', { cookie });
    expect(watch.html).toContain('<p class="about-description">Presentamos &lt;b>Acme 2050&lt;/b>.\nPreguntas al final.</p>');
    expect(watch.html).toContain('Cómo participar');
    const emptied = await api(server.url, `/api/admin/events/${body.id}`, { method: 'PATCH', token: admin, body: { description: '  ' } });
    expect(emptied.body.description).toBeNull();
  });

  it('opens the speaker board as a presentation for the projector with ?mode=present', async () => {
    const signedIn = await login({ email: 'rita@staff.test', password: 'rita-password' });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const present = await getPage(server.url, `/e/${slug}/speaker?mode=present`, { cookie });
    expect(present.html).toContain('<palco-speaker-board event="demo-fast" lang="es" mode="present">');
    const control = await getPage(server.url, `/e/${slug}/speaker?mode=nonsense`, { cookie });
    expect(control.html).toContain('<palco-speaker-board event="demo-fast" lang="es">');
  });

  it('tells an attendee who opens a staff page who it is for, in their language, with the way back and the staff sign-in', async () => {
    const registered = await register({ email: 'curiosa@produccionesfast.com', name: 'Cu Riosa' });
    const cookie = registered.headers.get('set-cookie')!.split(';')[0]!;
    for (const [path, query, heading, back, staffSignIn] of [
      ['mod', '', 'Esta página es para la moderación del evento.', 'Volver a tu página del evento', 'Iniciar sesión como parte del equipo'],
      ['mod', '?lang=en', "This page is for the event's moderators.", 'Back to your page of the event', 'Sign in as staff'],
      ['reports', '?lang=en', "This page is for the event's moderators.", 'Back to your page of the event', 'Sign in as staff'],
      ['speaker', '', 'Esta página es para el equipo del evento.', 'Volver a tu página del evento', 'Iniciar sesión como parte del equipo'],
    ]) {
      const lang = query ? 'en' : 'es';
      const page = await getPage(server.url, `/e/${slug}/${path}${query}`, { cookie });
      expect(page.status, path).toBe(403);
      expect(page.headers.get('location')).toBeNull();
      expect(page.html).toContain(`<html lang="${lang}">`);
      expect(decodeEntities(page.html)).toContain(`<h1 class="page-title">${heading}</h1>`);
      expect(page.html).toContain('Cu Riosa');
      expect(page.html).toContain(`<a href="/e/${slug}/watch?lang=${lang}">${back}</a>`);
      expect(page.html).toContain(`<a href="/e/${slug}/login?lang=${lang}">${staffSignIn}</a>`);
    }
    // Someone not signed in is still sent to sign in.
    const stranger = await getPage(server.url, `/e/${slug}/mod`);
    expect(stranger.status).toBe(302);
    expect(stranger.headers.get('location')).toBe(`/e/${slug}/login?lang=es`);
  });

  it('tells a speaker who opens the moderation page that it is the moderators’, with the way back to their board', async () => {
    await createStaff(server.url, admin, slug, { name: 'Sol Ponente', email: 'sol@staff.test', role: 'speaker', password: 'sol-password' });
    const signedIn = await login({ email: 'sol@staff.test', password: 'sol-password' });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await getPage(server.url, `/e/${slug}/mod`, { cookie });
    expect(page.status).toBe(403);
    expect(page.html).toContain('Esta página es para la moderación del evento.');
    expect(page.html).toContain(`<a href="/e/${slug}/speaker?lang=es">Volver a tu página del evento</a>`);
  });

  it('refuses a sign-out posted by another site', async () => {
    const registered = await register({ email: 'ajeno@produccionesfast.com' });
    const cookie = registered.headers.get('set-cookie')!.split(';')[0]!;
    const forged = await submitForm(server.url, `/e/${slug}/logout`, {}, { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(forged.status).toBe(403);
    expect((await api(server.url, `/api/me?event=${slug}`, { headers: { cookie } })).status).toBe(200);
  });

  it('names what was wrong on the sign-in form, beside its field, in Spanish and in English', async () => {
    await register({ email: 'codigo@produccionesfast.com' });
    const cases: Array<[Record<string, string>, string, number, string, string]> = [
      [{ email: 'codigo@produccionesfast.com', password: 'not-the-code' }, '', 401, 'password', 'El código de acceso no es correcto: usa el que te dio quien organiza el evento.'],
      [{ email: 'codigo@produccionesfast.com', password: 'not-the-code' }, '?lang=en', 401, 'password', "That access code is not right: use the one the event's organiser gave you."],
      [{ email: 'otro@produccionesfast.com', password: accessCode }, '', 404, 'email', 'Ese correo no está registrado en el evento. Regístrate para entrar.'],
      [{ email: 'otro@produccionesfast.com', password: accessCode }, '?lang=en', 404, 'email', 'That email is not registered for the event. Register to join.'],
      [{ email: testAdmin.email, password: 'not-my-password' }, '?lang=en', 401, 'password', 'The password for this email is not right.'],
    ];
    for (const [fields, query, status, field, reason] of cases) {
      const refused = await login(fields, query);
      expect(refused.status, reason).toBe(status);
      expect(decodeEntities(refused.html)).toContain(`<p class="field-error" id="field-${field}-error">${reason}</p>`);
      expect(refused.html).toMatch(new RegExp(`<input id="field-${field}"[^>]*aria-invalid="true"`));
      expect(refused.html).not.toContain('Correo o contraseña incorrectos');
      expect(refused.html).not.toContain('Wrong email or password');
    }
    const staffWithCode = await login({ email: 'rita@staff.test', password: accessCode }, '?lang=en');
    expect(staffWithCode.status).toBe(403);
    expect(decodeEntities(staffWithCode.html)).toContain("This email belongs to the event's staff: sign in with your password.");
  });

  it('refuses wrong credentials without echoing the password, then locks with how long to wait', async () => {
    const wrong = await login({ email: 'rita@staff.test', password: 'secret-guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('La contraseña de este correo no es correcta.');
    expect(wrong.html).not.toContain('secret-guess');
    expect(inputValue(wrong.html, 'email')).toBe('rita@staff.test');
    await login({ email: 'rita@staff.test', password: 'secret-guess' });
    const locked = await login({ email: 'rita@staff.test', password: 'rita-password' }, '?lang=en');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(locked.html).toContain('Too many attempts.');
    expect(locked.html).toContain('Please try again in 1 minute.');
  });

  it('refuses a banned attendee', async () => {
    await register({ email: 'vetado@produccionesfast.com' });
    const { UserRow } = await import('../../packages/backend/src/db/models.js');
    await UserRow.update({ banned: true }, { where: { email: 'vetado@produccionesfast.com' } });
    const response = await login({ email: 'vetado@produccionesfast.com', password: accessCode });
    expect(response.status).toBe(403);
    expect(response.html).toContain('Tu acceso a este evento fue bloqueado.');
  });

  it('shows "Transmisión finalizada" on a closed event and still lets staff sign in', async () => {
    await register({ email: 'cerrado@produccionesfast.com' });
    await setEventActive(server.url, admin, slug, false);
    try {
      const page = await getPage(server.url, `/e/${slug}`);
      expect(page.html).toContain('Transmisión finalizada');
      expect(page.html).not.toContain('<form');
      const registration = await register({ email: 'tarde@produccionesfast.com' });
      expect(registration.status).toBe(403);
      expect(registration.html).toContain('Transmisión finalizada');
      expect(registration.html).toContain('Este evento ya no admite registros ni entradas de asistentes.');
      const attendee = await login({ email: 'cerrado@produccionesfast.com', password: accessCode });
      expect(attendee.status).toBe(403);
      expect(attendee.html).toContain('Transmisión finalizada');
      const staff = await login({ email: testAdmin.email, password: testAdmin.password });
      expect(staff.status).toBe(303);
    } finally {
      await setEventActive(server.url, admin, slug, true);
    }
  });

  it('says registration is closed during a replay without new registrations, and lets those registered sign in to watch it', async () => {
    const { body: event } = await api(server.url, '/api/admin/events', {
      token: admin,
      body: { slug: 'repeticion-cerrada', title: 'Repetición cerrada', access_code: 'codigo-2050', sign_in: 'access_code', phone_required: false },
    });
    await submitForm(server.url, '/e/repeticion-cerrada', { name: 'Ana', email: 'ana@repeticion.test' });
    const replay = { is_active: false, replay_url: 'https://video.example/replay.m3u8', on_demand_until: '2099-01-01T00:00:00Z' };
    await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: admin, body: replay });

    for (const [query, closed, signInToWatch] of [
      ['', 'El registro está cerrado.', 'Si te registraste antes, inicia sesión para ver la repetición.'],
      ['?lang=en', 'Registration is closed.', 'If you registered before, sign in to watch the replay.'],
    ]) {
      const page = await getPage(server.url, `/e/repeticion-cerrada${query}`);
      expect(page.html).toContain(`<h2>${closed}</h2>`);
      expect(page.html).toContain(signInToWatch);
      expect(page.html).not.toContain('ni entradas de asistentes');
      expect(page.html).not.toContain('no longer accepts registrations or attendees');
      const refused = await submitForm(server.url, `/e/repeticion-cerrada${query}`, { name: 'Beto', email: 'beto@repeticion.test' });
      expect(refused.status).toBe(403);
      expect(refused.html).toContain(closed);
    }
    const byApi = await api(server.url, '/api/events/repeticion-cerrada/register', { body: { name: 'Beto', email: 'beto@repeticion.test' } });
    expect(byApi.status).toBe(403);
    expect(byApi.body).toEqual({ error: 'registration_closed', message: 'El registro está cerrado.' });

    const loginPage = await getPage(server.url, '/e/repeticion-cerrada/login');
    expect(loginPage.html).not.toContain('Transmisión finalizada');
    expect(loginPage.html).not.toContain('¿Eres parte del equipo del evento?');
    const signedIn = await submitForm(server.url, '/e/repeticion-cerrada/login', { email: 'ana@repeticion.test', password: 'codigo-2050' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/e/repeticion-cerrada/watch');
  });

  it('answers an address under an event that no page has with a 404 page, not JSON', async () => {
    const page = await getPage(server.url, `/e/${slug}/agenda?lang=en`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('We could not find what you are looking for.');
    const api404 = await api(server.url, '/api/no-such-thing');
    expect(api404.body.error).toBe('not_found');
  });

  it('answers an unknown event with a 404 page', async () => {
    for (const path of ['/e/no-existe', '/e/no-existe/login']) {
      const page = await getPage(server.url, path);
      expect(page.status).toBe(404);
      expect(page.html).toContain('Este evento no existe.');
    }
    const posted = await submitForm(server.url, '/e/no-existe?lang=en', { email: 'a@b.com' });
    expect(posted.status).toBe(404);
    expect(posted.html).toContain('This event does not exist.');
  });

  it('never answers strange form submissions with a 500', async () => {
    const strange = [
      'name[]=a&name[]=b&email=x%40produccionesfast.com&phone=600000000',
      'name[a]=1&email[b]=2',
      `name=${'n'.repeat(10_000)}&email=${'e'.repeat(10_000)}&phone=1`,
      '%%%',
      '',
    ];
    for (const body of strange) {
      for (const path of [`/e/${slug}`, `/e/${slug}/login`]) {
        const response = await fetch(server.url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          redirect: 'manual',
        });
        expect(response.status, `${path} ${body.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${path} ${body.slice(0, 40)}`).toBeLessThan(500);
        expect(await response.text()).toContain('role="alert"');
      }
    }
  });

  it('has a landing page at /', async () => {
    const page = await getPage(server.url, '/');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Palco');
    expect(page.html).toContain('href="/e/demo-fast?lang=es"');
  });
});
