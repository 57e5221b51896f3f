import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { decodeEntities, getPage, inputValue, submitForm as post } from '../support/pages.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('the hosted registration form with the event’s questions on $name', (target) => {
  let admin: string;
  const server = useServer(target);
  beforeAll(async () => {
    admin = await adminToken(server.url);
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: {
        slug: 'formulario-alojado',
        title: 'Formulario alojado',
        access_code: 'codigo-2050', sign_in: 'access_code',
        phone_required: false,
        allowed_email_domains: ['alojado.test'],
        capacity: 1,
        waitlist: true,
        registration_fields: [
          { key: 'company', label: { es: 'Empresa', en: 'Company' }, type: 'text', required: true },
          { key: 'topics', label: { es: 'Temas', en: 'Topics' }, type: 'multiselect', required: false, options: ['IA', 'Datos'] },
          { key: 'country', label: { es: 'País', en: 'Country' }, type: 'country', required: true },
        ],
        privacy_notice: { version: 'v1', es: 'https://acme.example/privacidad', en: 'https://acme.example/privacy' },
      },
    });
    expect(created.status).toBe(201);
  });

  const path = '/e/formulario-alojado';

  it('asks each question with its label, countries by name, the phone as optional and an unticked consent box', async () => {
    const page = await getPage(server.url, `${path}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="field-fields.company">Company</label>');
    expect(page.html).toContain('<legend>Topics (optional)</legend>');
    expect(page.html).toMatch(/<option value="MX">Mexico<\/option>/);
    expect(page.html).toContain('href="https://acme.example/privacy"');
    const consent = /<input[^>]*name="consent"[^>]*>/.exec(page.html)![0];
    expect(consent).not.toContain('checked');
    expect(/<input[^>]*name="phone"[^>]*>/.exec(page.html)![0]).not.toContain('required');
    expect((await getPage(server.url, path)).html).toMatch(/<option value="MX">México<\/option>/);
  });

  it('shows every problem beside its question and keeps what was typed, storing nothing', async () => {
    const refused = await post(server.url, path, [
      ['name', 'Ana'],
      ['email', 'ana@alojado.test'],
      ['fields[topics][]', 'IA'],
      ['fields[topics][]', 'Magia'],
      ['fields[country]', 'ZZ'],
    ]);
    expect(refused.status).toBe(422);
    const html = decodeEntities(refused.html);
    expect(html).toContain('Empresa: Este campo es obligatorio.');
    expect(html).toContain('Temas: Elige una de las opciones.');
    expect(html).toContain('País: Elige un país de la lista.');
    expect(html).toContain('Aviso de privacidad: Acepta el aviso de privacidad para registrarte.');
    expect(inputValue(refused.html, 'email')).toBe('ana@alojado.test');
    expect(/<input[^>]*value="IA"[^>]*>/.exec(refused.html)![0]).toContain('checked');
    const table = await api(server.url, '/api/events/formulario-alojado/reports/participants', { token: admin });
    expect(table.body.total).toBe(0);
  });

  it('shows a refused email domain beside the email together with each question’s problem', async () => {
    const refused = await post(server.url, `${path}?lang=en`, [
      ['name', 'Ana'],
      ['email', 'ana@gmail.com'],
      ['fields[country]', 'ZZ'],
    ]);
    expect(refused.status).toBe(422);
    const html = decodeEntities(refused.html);
    expect(html).toContain('<p class="field-error" id="field-email-error">This event only accepts emails from its authorised domains.</p>');
    expect(html).toContain('<p class="field-error" id="field-fields.company-error">This field is required.</p>');
    expect(html).toContain('<p class="field-error" id="field-fields.country-error">Choose a country from the list.</p>');
    expect(html).toContain('Privacy notice: Accept the privacy notice to register.');
  });

  it('registers the first person and tells the second one they are on the waitlist', async () => {
    const answers: Array<[string, string]> = [
      ['fields[company]', 'Acme'],
      ['fields[topics][]', 'IA'],
      ['fields[topics][]', 'Datos'],
      ['fields[country]', 'mx'],
      ['consent', 'true'],
    ];
    const first = await post(server.url, path, [['name', 'Ana'], ['email', 'ana@alojado.test'], ...answers]);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/e/formulario-alojado/watch');
    const second = await post(server.url, path, [['name', 'Beto'], ['email', 'beto@alojado.test'], ...answers]);
    expect(second.status).toBe(202);
    expect(second.html).toContain('Estás en la lista de espera');
    expect(second.headers.get('set-cookie')).toBeNull();
    const table = await api(server.url, '/api/events/formulario-alojado/reports/participants', { token: admin });
    expect(table.body.items.map((row: { status: string; fields: object }) => [row.status, row.fields])).toEqual([
      ['registered', { company: 'Acme', topics: ['IA', 'Datos'], country: 'MX' }],
      ['waitlisted', { company: 'Acme', topics: ['IA', 'Datos'], country: 'MX' }],
    ]);
  });
});

describe.each(databaseTargets)('the hosted sign-in after the privacy notice changed on $name', (target) => {
  const server = useServer(target);
  beforeAll(async () => {
    const admin = await adminToken(server.url);
    const notice = { version: 'v1', es: 'Aviso primero.', en: 'First notice.' };
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: { slug: 'aviso-nuevo', title: 'Aviso nuevo', access_code: 'codigo-2050', sign_in: 'access_code', privacy_notice: notice },
    });
    await api(server.url, '/api/events/aviso-nuevo/register', {
      body: { name: 'Ana', email: 'ana@aviso.test', phone: '+34 600 000 000', consent: true },
    });
    await api(server.url, `/api/admin/events/${created.body.id}`, {
      method: 'PATCH',
      token: admin,
      body: { privacy_notice: { version: 'v2', es: 'Aviso segundo, con cambios.', en: 'Second notice.' } },
    });
  });

  it('shows the new notice with its box, and signs the attendee in once they accept it', async () => {
    const credentials: Array<[string, string]> = [['email', 'ana@aviso.test'], ['password', 'codigo-2050']];
    const asked = await post(server.url, '/e/aviso-nuevo/login', credentials);
    expect(asked.status).toBe(403);
    expect(asked.html).toContain('Lee y acepta el aviso de privacidad del evento para continuar.');
    expect(asked.html).toContain('Aviso segundo, con cambios.');
    expect(/<input[^>]*name="consent"[^>]*>/.exec(asked.html)![0]).not.toContain('checked');
    const accepted = await post(server.url, '/e/aviso-nuevo/login', [...credentials, ['consent', 'true']]);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/e/aviso-nuevo/watch');
  });
});
