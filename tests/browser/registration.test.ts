import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken } from '../support/accounts.js';
import { checkAccessibility } from '../support/axe.js';
import { hasChromium, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets, startTestServer, testAdmin, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'foro-datos';

describe.skipIf(!hasChromium)('registration and personal data in a real browser', { timeout: 90_000 }, () => {
  let server: TestServer;
  let producer: ProducerSite;
  let browser: TestBrowser;
  let admin: Page;
  let eventId: number;

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => {
      throw error;
    });
    return page;
  }
  const app = () => admin.locator('palco-admin');

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    producer = await startProducerSite();
    browser = await startBrowser();
    const created = await api(server.url, '/api/admin/events', {
      token: await adminToken(server.url),
      body: { slug, title: 'Foro de datos', access_code: 'codigo-2050', allowed_origins: [producer.origin] },
    });
    eventId = created.body.id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  it('an administrator builds a form of three questions and a privacy notice', async () => {
    admin = await newPage();
    await admin.goto(`${server.url}/admin/events/${eventId}/registration`);
    await app().getByLabel('Correo electrónico').fill(testAdmin.email);
    await app().getByLabel('Contraseña').fill(testAdmin.password);
    await app().getByRole('button', { name: 'Iniciar sesión' }).click();
    await app().getByRole('heading', { name: 'Preguntas del formulario' }).waitFor();

    const question = async (index: number, label: string, type: string) => {
      await app().getByRole('button', { name: 'Añadir pregunta' }).click();
      await app().locator(`#question-${index}-es`).fill(label);
      await app().locator(`#question-${index}-type`).selectOption({ label: type });
      await app().locator(`#question-${index}-es`).locator('xpath=ancestor::li').getByLabel('Obligatoria').check();
    };
    await question(0, 'Puesto', 'Lista (una opción)');
    await app().locator('#question-0-options').fill('Dirección\nIngeniería\nVentas');
    await question(1, 'Empresa', 'Texto');
    await question(2, 'País', 'País');
    // The key follows the Spanish text until it is changed by hand.
    await expect.poll(() => app().locator('#question-2-key').inputValue()).toBe('pais');
    // Company first: moved above the role.
    await app().getByRole('button', { name: 'Subir «Empresa»' }).click();
    await expect.poll(() => app().locator('#question-0-es').inputValue()).toBe('Empresa');
    await app().getByRole('group', { name: 'Vista previa del formulario' }).getByLabel('Puesto').waitFor();

    await app().getByLabel('Pedir que acepten un aviso de privacidad').check();
    await app().getByLabel('Versión del aviso').fill('2026-03');
    await app().getByLabel('Aviso en español (texto o URL)').fill('Foro de datos trata tus datos para organizar el evento.');
    expect((await checkAccessibility(admin)).violations).toEqual([]);
    await app().getByRole('button', { name: 'Guardar' }).click();
    await app().getByText('Cambios guardados.').waitFor();

    const saved = (await api(server.url, `/api/events/${slug}`)).body;
    expect(saved.registration_fields.map((field: { key: string; type: string; required: boolean }) => [field.key, field.type, field.required])).toEqual([
      ['empresa', 'text', true],
      ['puesto', 'select', true],
      ['pais', 'country', true],
    ]);
    expect(saved.privacy_notice).toEqual({ version: '2026-03', es: 'Foro de datos trata tus datos para organizar el evento.' });
  });

  it('an attendee registers through the widget on the producer’s own site, answering and consenting', async () => {
    producer.setHtml(
      `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title></head><body>` +
        `<script src="${server.url}/embed.js" async></script><palco-register event="${slug}" api="${server.url}"></palco-register></body></html>`,
    );
    const visitor = await newPage();
    // The hosted form asks the same questions, and passes the same audit.
    await visitor.goto(`${server.url}/e/${slug}`);
    await visitor.getByLabel('Empresa').waitFor();
    expect((await checkAccessibility(visitor)).violations).toEqual([]);
    await visitor.goto(producer.origin);
    const form = visitor.locator('palco-register');
    await form.getByLabel('Nombre completo').fill('Lucía Ferrer');
    await form.getByLabel('Correo electrónico').fill('lucia@ferrer.test');
    await form.getByLabel('Teléfono').fill('+34 611 000 111');
    await form.getByLabel('Empresa').fill('Ferrer Analítica');
    await form.getByRole('button', { name: 'Entrar al evento' }).click();
    // Nothing is sent while the role, the country and the consent are missing.
    await form.getByText('Acepta el aviso de privacidad para registrarte.').waitFor();
    // The form with its questions, and with every problem shown, is WCAG 2.2 AA.
    expect((await checkAccessibility(visitor)).violations).toEqual([]);
    await form.getByLabel('Puesto').selectOption('Ingeniería');
    await form.getByLabel('País').selectOption({ label: 'México' });
    await form.locator('summary', { hasText: 'Aviso de privacidad' }).click();
    await form.getByText('Foro de datos trata tus datos').waitFor();
    await form.getByLabel('He leído y acepto el aviso de privacidad.').check();
    await form.getByRole('button', { name: 'Entrar al evento' }).click();
    await form.getByText('Lucía Ferrer', { exact: false }).waitFor();
  });

  it('the administrator finds the answers in the table and the CSV, exports the person, erases them and reads the audit log', async () => {
    await app().getByRole('link', { name: 'Participantes' }).click();
    await app().getByLabel('Buscar por nombre, correo, teléfono o respuesta').fill('Analítica');
    const row = app().locator('table.participants tr', { hasText: 'Lucía Ferrer' });
    await row.getByText('Empresa: Ferrer Analítica · Puesto: Ingeniería · País: MX').waitFor();
    await row.getByText('(v2026-03)', { exact: false }).waitFor();

    const csv = await admin.request.get(`${server.url}/api/events/${slug}/reports/participants.csv`);
    const [header, lucia] = (await csv.text()).split('\r\n');
    expect(header).toMatch(/,Empresa,Puesto,País$/);
    expect(lucia).toMatch(/,registered,[^,]+,2026-03,[^,]+,Ferrer Analítica,Ingeniería,México$/);

    const [download] = await Promise.all([admin.waitForEvent('download'), row.getByRole('button', { name: 'Exportar sus datos' }).click()]);
    const exported = JSON.parse(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString()));
    expect(exported.registration).toMatchObject({ name: 'Lucía Ferrer', email: 'lucia@ferrer.test' });
    expect(exported.fields).toEqual({ empresa: 'Ferrer Analítica', puesto: 'Ingeniería', pais: 'MX' });

    await row.getByRole('button', { name: 'Borrar sus datos' }).click();
    await app().getByRole('alertdialog').getByRole('button', { name: 'Borrar sus datos' }).click();
    await app().getByText('Nadie coincide.').waitFor();
    const table = await api(server.url, `/api/events/${slug}/reports/participants`, { token: await adminToken(server.url) });
    expect(table.body.items[0]).toMatchObject({ name: expect.stringMatching(/^erased-\d+$/), fields: {} });

    await app().getByRole('link', { name: 'Auditoría' }).click();
    expect(new URL(admin.url()).pathname).toBe('/admin/events/audit');
    await app().getByRole('heading', { name: 'Registro de auditoría' }).waitFor();
    await app().locator('table.log tbody tr').first().waitFor();
    expect((await checkAccessibility(admin)).violations).toEqual([]);
    await app().getByLabel('Evento').selectOption({ label: 'Foro de datos' });
    await app().getByRole('button', { name: 'Filtrar' }).click();
    const log = app().locator('table.log');
    for (const action of ['borró los datos de una persona', 'exportó los datos de una persona', 'descargó una exportación', 'cambió el evento']) {
      await log.getByText(action, { exact: true }).first().waitFor();
    }
    await log.getByText('participants.csv', { exact: false }).waitFor();
    await app().getByLabel('Acción').selectOption({ label: 'borró los datos de una persona' });
    await app().getByRole('button', { name: 'Filtrar' }).click();
    await expect.poll(() => log.locator('tbody tr').count()).toBe(1);
  });
});
