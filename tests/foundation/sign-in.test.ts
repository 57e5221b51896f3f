import { beforeAll, describe, expect, it } from 'vitest';
import { UserRow } from '../../packages/backend/src/db/models.js';
import { adminToken, createStaff, setEventActive } from '../support/accounts.js';
import { api, registerAttendee } from '../support/http.js';
import { databaseTargets, testAdmin } from '../support/server.js';
import { useServer } from '../support/fixture.js';

const slug = 'demo-fast';
const accessCode = 'produccionesfast2050';

describe.each(databaseTargets)('sign-in and sessions on $name', (target) => {
  let admin: string;
  const server = useServer(target);
  beforeAll(async () => {
    admin = await adminToken(server.url);
    await createStaff(server.url, admin, slug, { name: 'Mara', email: 'mara@staff.test', role: 'moderador', password: 'moderadora-123' });
    await createStaff(server.url, admin, slug, { name: 'Sol', email: 'sol@staff.test', role: 'speaker', password: 'speaker-pass-1' });
  });

  const login = (email: string, password: string) =>
    api(server.url, `/api/events/${slug}/login`, { body: { email, password } });

  it('signs an attendee in with the event access code and sends them to watch', async () => {
    const { user } = await registerAttendee(server.url);
    const response = await login(user.email, accessCode);
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: user.id, role: 'visor' });
    expect(response.body.redirect).toBe(`/e/${slug}/watch`);
  });

  it('refuses a wrong access code naming the access code, in Spanish and in English', async () => {
    const { user } = await registerAttendee(server.url);
    const response = await login(user.email, 'not-the-code');
    expect(response.status).toBe(401);
    const spanish = 'El código de acceso no es correcto: usa el que te dio quien organiza el evento.';
    expect(response.body).toEqual({ error: 'wrong_access_code', message: spanish, fields: { password: spanish } });
    const english = await api(server.url, `/api/events/${slug}/login?lang=en`, { body: { email: user.email, password: 'not-the-code' } });
    expect(english.body.message).toBe("That access code is not right: use the one the event's organiser gave you.");
  });

  it('refuses an email nobody registered with a wrong code as it refuses a registered one: the code is what is wrong', async () => {
    const response = await login('nadie@produccionesfast.com', 'not-the-code');
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('wrong_access_code');
  });

  it('tells someone with the right access code that their email is not registered', async () => {
    const response = await login('nadie@produccionesfast.com', accessCode);
    expect(response.status).toBe(404);
    const message = 'Ese correo no está registrado en el evento. Regístrate para entrar.';
    expect(response.body).toEqual({ error: 'not_registered', message, fields: { email: message } });
  });

  it('tells staff who typed the attendees’ access code to use their own password', async () => {
    const response = await login('mara@staff.test', accessCode);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: 'staff_account',
      message: 'Este correo pertenece al equipo del evento: inicia sesión con tu contraseña.',
    });
  });

  it('refuses a wrong staff password naming the password', async () => {
    for (const email of ['sol@staff.test', testAdmin.email]) {
      const response = await login(email, 'not-my-password');
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('wrong_password');
      expect(response.body.message).toBe('La contraseña de este correo no es correcta.');
      expect(response.body.fields).toEqual({ password: 'La contraseña de este correo no es correcta.' });
    }
  });

  it('keeps "wrong email or password" for the administrators’ own sign-in, which has only passwords', async () => {
    const response = await api(server.url, '/api/auth/login?lang=en', { body: { email: testAdmin.email, password: 'not-my-password' } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'invalid_credentials', message: 'Wrong email or password.' });
  });

  it.each([
    ['administrador', testAdmin.email, testAdmin.password, '/admin/events'],
    ['speaker', 'sol@staff.test', 'speaker-pass-1', `/e/${slug}/speaker`],
    ['moderador', 'mara@staff.test', 'moderadora-123', `/e/${slug}/mod`],
  ])('signs in a %s with their own password and sends them to their page', async (role, email, password, redirect) => {
    const response = await login(email, password);
    expect(response.status).toBe(200);
    expect(response.body.user.role).toBe(role);
    expect(response.body.redirect).toBe(redirect);
  });

  it('returns the JWT in the body and in an HttpOnly SameSite=Lax cookie', async () => {
    const response = await login('mara@staff.test', 'moderadora-123');
    const token: string = response.body.token;
    expect(token.split('.')).toHaveLength(3);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`=${token}`);
    expect(cookie.toLowerCase()).toContain('httponly');
    expect(cookie.toLowerCase()).toContain('samesite=lax');
    expect(cookie.toLowerCase()).not.toContain('secure');
  });

  it('answers /api/me with a bearer token and with the cookie alone', async () => {
    const registered = await registerAttendee(server.url);
    const withBearer = await api(server.url, '/api/me', { token: registered.token });
    expect(withBearer.status).toBe(200);
    expect(withBearer.body.user.email).toBe(registered.user.email);
    const signedIn = await login(registered.user.email, accessCode);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const withCookie = await api(server.url, `/api/me?event=${slug}`, { headers: { cookie } });
    expect(withCookie.status).toBe(200);
    expect(withCookie.body.user.id).toBe(registered.user.id);
    expect(withCookie.body.event.slug).toBe(slug);
  });

  it('answers /api/me without a session with 401', async () => {
    const response = await api(server.url, '/api/me');
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('not_authenticated');
    expect((await api(server.url, '/api/me', { token: 'not.a.jwt' })).status).toBe(401);
  });

  it('logs out: the old token stops working', async () => {
    const { token } = await registerAttendee(server.url);
    expect((await api(server.url, '/api/auth/logout', { method: 'POST', token })).status).toBe(204);
    const me = await api(server.url, '/api/me', { token });
    expect(me.status).toBe(401);
    expect((await api(server.url, '/api/auth/logout', { method: 'POST', token })).status).toBe(401);
  });

  it('refuses a banned attendee with 403 banned, and their old token too', async () => {
    const { user, token } = await registerAttendee(server.url);
    await UserRow.update({ banned: true }, { where: { id: user.id } });
    const response = await login(user.email, accessCode);
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('banned');
    expect((await api(server.url, `/api/events/${slug}/chat`, { token })).status).toBe(403);
  });

  it('closes the event to new registrations and attendees, keeps staff in, and reopens', async () => {
    const attendee = await registerAttendee(server.url);
    await setEventActive(server.url, admin, slug, false);
    try {
      const registration = await api(server.url, `/api/events/${slug}/register`, {
        body: { name: 'Tarde', email: 'tarde@produccionesfast.com', phone: '+34 600 000 001' },
      });
      expect(registration.status).toBe(403);
      expect(registration.body).toEqual({ error: 'registration_closed', message: 'El registro está cerrado.' });
      const attendeeLogin = await login(attendee.user.email, accessCode);
      expect(attendeeLogin.status).toBe(403);
      expect(attendeeLogin.body.error).toBe('event_closed');
      expect((await api(server.url, `/api/events/${slug}/chat`, { token: attendee.token })).status).toBe(403);
      expect((await login('mara@staff.test', 'moderadora-123')).status).toBe(200);
      expect((await login(testAdmin.email, testAdmin.password)).status).toBe(200);
      const info = await api(server.url, `/api/events/${slug}`);
      expect(info.body).toMatchObject({ is_active: false, registration_open: false });
    } finally {
      await setEventActive(server.url, admin, slug, true);
    }
    expect((await login(attendee.user.email, accessCode)).status).toBe(200);
    expect((await api(server.url, `/api/events/${slug}/chat`, { token: attendee.token })).status).toBe(200);
  });
});
