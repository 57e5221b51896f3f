import jwt from 'jsonwebtoken';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationField } from '@palco/sdk/protocol';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

const fields: RegistrationField[] = [
  { key: 'company', label: { es: 'Empresa', en: 'Company' }, type: 'text', required: true },
  { key: 'role', label: { es: 'Puesto', en: 'Role' }, type: 'select', required: true, options: ['Dirección', 'Ventas', 'Otro'] },
  { key: 'topics', label: { es: 'Temas', en: 'Topics' }, type: 'multiselect', required: false, options: ['IA', 'Datos', 'Nube'] },
  { key: 'age', label: { es: 'Edad', en: 'Age' }, type: 'number', required: false, min: 18, max: 120 },
  { key: 'country', label: { es: 'País', en: 'Country' }, type: 'country', required: true },
  { key: 'newsletter', label: { es: 'Boletín', en: 'Newsletter' }, type: 'checkbox', required: false },
  { key: 'notes', label: { es: 'Comentarios', en: 'Notes' }, type: 'textarea', required: false },
];

const notice = { version: '2026-01', es: 'Tratamos tus datos para el evento.', en: 'We process your data for the event.' };

describe.each(databaseTargets)('custom registration fields and consent on $name', (target) => {
  let admin: string;
  let event: { id: number; slug: string; embed_secret: string };
  const server = useServer(target);
  beforeAll(async () => {
    admin = await adminToken(server.url);
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: { slug: 'formulario', title: 'Formulario', access_code: 'codigo-2050', sign_in: 'access_code', registration_fields: fields, phone_required: false, privacy_notice: notice },
    });
    expect(created.status).toBe(201);
    event = created.body;
  });

  const register = (body: object, lang = 'es') =>
    api(server.url, `/api/events/${event.slug}/register`, { body, headers: { 'accept-language': lang } });
  const good = {
    company: 'Acme',
    role: 'Ventas',
    topics: ['IA', 'Nube'],
    age: 40,
    country: 'mx',
    newsletter: true,
    notes: 'Hola, "gente"',
  };

  it('shows the event’s questions, notice and phone rule to anyone', async () => {
    const publicEvent = (await api(server.url, `/api/events/${event.slug}`)).body;
    expect(publicEvent.registration_fields).toEqual(fields);
    expect(publicEvent.privacy_notice).toEqual(notice);
    expect(publicEvent.phone_required).toBe(false);
  });

  it('refuses a form definition an attendee could not fill, naming each problem in the reader’s language', async () => {
    const broken = [
      { key: 'company', label: { es: 'Empresa' }, type: 'text', options: ['a'] },
      { key: 'company', label: { es: 'Otra' }, type: 'text' },
      { key: 'pick', label: { es: 'Elige' }, type: 'select' },
      { key: 'n', label: { es: 'N' }, type: 'number', min: 10, max: 1 },
      { key: 'Bad Key', label: { es: 'X' }, type: 'colour' },
    ];
    const response = await api(server.url, `/api/admin/events/${event.id}`, {
      method: 'PATCH',
      token: admin,
      body: { registration_fields: broken },
      headers: { 'accept-language': 'en' },
    });
    expect(response.status).toBe(422);
    expect(response.body.fields).toEqual({
      'registration_fields.0.options': 'Only lists take options, and every list needs at least one.',
      'registration_fields.2.options': 'Only lists take options, and every list needs at least one.',
      'registration_fields.3.max': 'The maximum is below the minimum.',
      'registration_fields.4.key': 'The key uses 1 to 40 lowercase letters, digits or underscores and starts with a letter.',
      'registration_fields.4.type': 'Choose text, long text, list, several options, checkbox, number or country.',
    });
    const twice = await api(server.url, `/api/admin/events/${event.id}`, {
      method: 'PATCH',
      token: admin,
      body: { registration_fields: [fields[0], { ...fields[1], key: 'company' }] },
    });
    expect(twice.body.fields).toEqual({ 'registration_fields.1.key': 'Otra pregunta ya usa esta clave.' });
    expect((await api(server.url, `/api/events/${event.slug}`)).body.registration_fields).toEqual(fields);
  });

  it('names every bad answer as fields.{key} and a missing consent, in Spanish and in English', async () => {
    const bad = { name: 'Ana', email: 'ana@empresa.com', fields: { role: 'Jefa', age: 12, country: 'XX', topics: ['IA', 'Magia'] } };
    const spanish = await register(bad);
    expect(spanish.status).toBe(422);
    expect(spanish.body).toMatchObject({ error: 'invalid_input', message: 'Revisa los datos marcados.' });
    expect(spanish.body.fields).toEqual({
      'fields.company': 'Este campo es obligatorio.',
      'fields.role': 'Elige una de las opciones.',
      'fields.topics': 'Elige una de las opciones.',
      'fields.age': 'Es demasiado pequeño.',
      'fields.country': 'Elige un país de la lista.',
      consent: 'Acepta el aviso de privacidad para registrarte.',
    });
    const english = await register({ ...bad, name: '', consent: false, fields: { ...good, age: 'old' } }, 'en');
    expect(english.body.fields).toEqual({
      name: 'This field is required.',
      'fields.age': 'Enter a number.',
      consent: 'Accept the privacy notice to register.',
    });
    const answersNotAnObject = await register({ name: 'Ana', email: 'ana@empresa.com', consent: true, fields: ['Acme'] });
    expect(answersNotAnObject.body.fields).toEqual({ fields: 'El valor no es válido.' });
    // Nothing was stored by any refusal: the address is still free.
    expect((await register({ name: 'Ana', email: 'ana@empresa.com', consent: true, fields: good })).status).toBe(201);
  });

  it('stores the answers and the consent, and shows them in the table, its search and the CSV', async () => {
    const registered = await register({ name: 'Bruno Díaz', email: 'bruno@empresa.com', consent: true, fields: { ...good, company: 'Zeta Lab', unasked: 'x' } });
    expect(registered.status).toBe(201);
    const table = await api(server.url, `/api/events/${event.slug}/reports/participants?q=Zeta`, { token: admin });
    expect(table.body.total).toBe(1);
    expect(table.body.items[0]).toMatchObject({
      name: 'Bruno Díaz',
      status: 'registered',
      fields: { company: 'Zeta Lab', role: 'Ventas', topics: ['IA', 'Nube'], age: 40, country: 'MX', newsletter: true, notes: 'Hola, "gente"' },
      consent_version: '2026-01',
    });
    expect(table.body.items[0].fields).not.toHaveProperty('unasked');
    expect(Date.parse(table.body.items[0].consent_at)).toBeGreaterThan(Date.now() - 60_000);

    const csv = await fetch(`${server.url}/api/events/${event.slug}/reports/participants.csv?lang=en`, { headers: { authorization: `Bearer ${admin}` } });
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(
      'id,name,email,phone,registered_at,minutes_watched,seconds_watched,live_seconds,on_demand_seconds,last_ping,poll_answers,status,consent_at,consent_version,consent_ip,Company,Role,Topics,Age,Country,Newsletter,Notes',
    );
    const bruno = lines.find((line) => line.includes('Bruno'))!;
    expect(bruno).toMatch(/,registered,[^,]+Z,2026-01,(::ffff:)?127\.0\.0\.1,Zeta Lab,Ventas,"IA, Nube",40,Mexico,Yes,"Hola, ""gente"""$/);
  });

  it('takes the answers and the consent from the producer’s identity token, checked like the form', async () => {
    const sign = (claims: object) => jwt.sign(claims, event.embed_secret, { algorithm: 'HS256', audience: event.slug, expiresIn: 300 });
    const identify = (claims: object) => api(server.url, `/api/events/${event.slug}/identity`, { body: { identity: sign(claims) } });
    const refused = await identify({ email: 'carla@empresa.com', name: 'Carla', fields: { ...good, role: 'Jefa' } });
    expect(refused.status).toBe(422);
    expect(refused.body.fields).toEqual({ 'fields.role': 'Elige una de las opciones.', consent: 'Acepta el aviso de privacidad para registrarte.' });
    const accepted = await identify({ email: 'carla@empresa.com', name: 'Carla', fields: good, consent: true });
    expect(accepted.status).toBe(200);
    const row = (await api(server.url, `/api/events/${event.slug}/reports/participants?q=carla`, { token: admin })).body.items[0];
    expect(row).toMatchObject({ fields: { company: 'Acme', country: 'MX' }, consent_version: '2026-01' });
  });

  it('names a refused email domain with the answers’ problems at once, from the form and from the identity token', async () => {
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: { slug: 'formulario-dominio', title: 'Formulario con dominio', allowed_email_domains: ['empresa.com'], phone_required: false, registration_fields: fields.slice(0, 2), privacy_notice: notice },
    });
    const problems = {
      email: 'Este evento solo admite correos de los dominios autorizados.',
      'fields.company': 'Este campo es obligatorio.',
      'fields.role': 'Elige una de las opciones.',
      consent: 'Acepta el aviso de privacidad para registrarte.',
    };
    const registered = await api(server.url, '/api/events/formulario-dominio/register', {
      body: { name: 'Ana', email: 'ana@gmail.com', fields: { role: 'Jefa' } },
    });
    expect(registered.status).toBe(422);
    expect(registered.body.fields).toEqual(problems);
    const identity = jwt.sign({ email: 'ana@gmail.com', name: 'Ana', fields: { role: 'Jefa' } }, created.body.embed_secret, {
      algorithm: 'HS256',
      audience: 'formulario-dominio',
      expiresIn: 300,
    });
    const vouched = await api(server.url, '/api/events/formulario-dominio/identity', { body: { identity } });
    expect(vouched.status).toBe(422);
    expect(vouched.body.fields).toEqual(problems);
  });

  it('asks returning attendees to consent again when the notice’s version changes', async () => {
    await register({ name: 'Dora', email: 'dora@empresa.com', consent: true, fields: good });
    await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: admin, body: { privacy_notice: { ...notice, version: '2026-02' } } });
    const login = (body: object) => api(server.url, `/api/events/${event.slug}/login`, { body: { email: 'dora@empresa.com', password: 'codigo-2050', ...body } });
    const asked = await login({});
    expect(asked.status).toBe(403);
    expect(asked.body).toMatchObject({ error: 'consent_required', privacy_notice: { version: '2026-02' } });
    const given = await login({ consent: true });
    expect(given.status).toBe(200);
    expect((await login({})).status).toBe(200);
    const row = (await api(server.url, `/api/events/${event.slug}/reports/participants?q=dora`, { token: admin })).body.items[0];
    expect(row.consent_version).toBe('2026-02');
  });

  it('keeps the answers already given when the administrator removes a question', async () => {
    const registered = await register({ name: 'Fede', email: 'fede@empresa.com', consent: true, fields: good });
    const reduced = fields.filter((field) => field.key !== 'notes');
    await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: admin, body: { registration_fields: reduced } });
    const exported = await api(server.url, `/api/admin/events/${event.id}/participants/${registered.body.user.id}/export`, { token: admin });
    expect(exported.body.fields.notes).toBe('Hola, "gente"');
    const csv = await (await fetch(`${server.url}/api/events/${event.slug}/reports/participants.csv`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(csv.split('\r\n')[0]).not.toContain('Comentarios');
    // Asked again, the question finds the answer where it was left.
    await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: admin, body: { registration_fields: fields } });
    const table = await api(server.url, `/api/events/${event.slug}/reports/participants?q=fede`, { token: admin });
    expect(table.body.items[0].fields.notes).toBe('Hola, "gente"');
  });

  it('asks for the phone only where the event says so', async () => {
    const demo = (body: object) => api(server.url, '/api/events/demo-fast/register', { body });
    const noPhone = await demo({ name: 'Eva', email: 'eva@produccionesfast.com' });
    expect(noPhone.status).toBe(422);
    expect(noPhone.body.fields).toEqual({ phone: 'Este campo es obligatorio.' });
    expect((await register({ name: 'Eva', email: 'eva@empresa.com', consent: true, fields: good })).status).toBe(201);
  });
});
