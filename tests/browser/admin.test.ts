import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, journeyPage, shoot, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import type { AdminEvent } from '@palco/sdk';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets, startTestServer, testAdmin, type TestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'estreno-acme';
const moderator = { name: 'Marta Moderadora', email: 'marta@acme.com', password: 'moderadora-2050', newPassword: 'nueva-clave-2051' };
const speaker = { name: 'Sergio Ponente', email: 'sergio@acme.com', password: 'ponente-2050' };

describe.skipIf(!hasChromium)('the admin pages in a real browser', { timeout: 60_000 }, () => {
  let server: TestServer;
  let producer: ProducerSite;
  let receiver: Receiver;
  let browser: TestBrowser;
  let admin: Page;
  let visitor: Page;
  let snippet = '';

  const newPage = () => journeyPage(browser);

  const app = () => admin.locator('palco-admin');

  beforeAll(async () => {
    ensureWidgetsBuilt();
    // The webhook receiver listens on this machine.
    server = await startTestServer(databaseTargets[0]!, { webhookPrivateTargets: true });
    producer = await startProducerSite();
    receiver = await startReceiver();
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    producer?.close();
    await receiver?.close();
    await server?.stop();
  });

  it('the admin signs in on /admin/events and sees every event with its state and audience', async () => {
    admin = await newPage();
    const response = await admin.goto(`${server.url}/admin/events`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await app().getByRole('heading', { name: 'Administración de Palco' }).waitFor();

    await app().getByLabel('Correo electrónico').fill(testAdmin.email);
    await app().getByLabel('Contraseña').fill('not-the-password');
    await app().getByRole('button', { name: 'Iniciar sesión' }).click();
    await app().getByRole('alert').getByText('Correo o contraseña incorrectos', { exact: false }).waitFor();

    await app().getByLabel('Contraseña').fill(testAdmin.password);
    await app().getByRole('button', { name: 'Iniciar sesión' }).click();
    const demo = app().locator('li.event-card', { hasText: 'demo-fast' });
    await demo.getByText('Abierto').waitFor();
    await demo.getByText('0 espectadores ahora').waitFor();
    await shoot(admin, 'admin-events');
  });

  it('creates an event: slug preview, video preview, client checks and the server’s own message', async () => {
    await app().getByRole('link', { name: 'Nuevo evento' }).click();
    expect(new URL(admin.url()).pathname).toBe('/admin/events/new');

    // The slug follows the title, accents and spaces made into an address, until typed by hand.
    await app().getByLabel('Título').fill('Estreno Ácme 2050');
    await expect.poll(() => app().locator('output.slug-preview').textContent()).toBe(`${server.url}/e/estreno-acme-2050`);
    await app().getByLabel('Título').fill('Estreno Acme');
    await app().getByLabel('Identificador (slug)').fill('Demo Fast');
    await expect.poll(() => app().locator('output.slug-preview').textContent()).toBe(`${server.url}/e/demo-fast`);
    await app().getByLabel('URL del video').fill('https://youtu.be/dQw4w9WgXcQ');
    await expect
      .poll(() => app().locator('.preview iframe').getAttribute('src'))
      .toBe('https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&playsinline=1');
    await app().getByLabel('Dominios de correo admitidos').fill('acme.com');
    await app().getByLabel('Código de acceso', { exact: true }).fill('acme-2050');
    // The access code can be read back and copied before saving.
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    expect(await app().getByLabel('Código de acceso', { exact: true }).getAttribute('type')).toBe('password');
    await app().getByRole('button', { name: 'Mostrar el código' }).click();
    expect(await app().getByLabel('Código de acceso', { exact: true }).getAttribute('type')).toBe('text');
    await app().getByRole('button', { name: 'Copiar' }).click();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe('acme-2050');
    await app().getByRole('button', { name: 'Ocultar el código' }).click();
    await app().getByLabel('Orígenes permitidos para insertar').fill('ftp://acme.com');
    await app().getByRole('button', { name: 'Crear evento' }).click();
    await app().getByText('Escribe un origen válido (ej. https://empresa.com).').waitFor();

    // Valid on the page, refused by the server: its message is what the admin reads.
    await app().getByLabel('Orígenes permitidos para insertar').fill(producer.origin);
    await app().getByRole('button', { name: 'Crear evento' }).click();
    await app().getByRole('alert').getByText('Ya existe un evento con esa dirección.').waitFor();

    await app().getByLabel('Identificador (slug)').fill(slug);
    await expect.poll(() => app().locator('output.slug-preview').textContent()).toBe(`${server.url}/e/${slug}`);
    await shoot(admin, 'admin-event-form');
    await app().getByRole('button', { name: 'Crear evento' }).click();
    await app().getByRole('heading', { name: 'Equipo del evento' }).waitFor();
    expect(new URL(admin.url()).pathname).toMatch(/^\/admin\/events\/\d+\/staff$/);
    await app()
      .getByRole('status')
      .getByText(`Evento «Estreno Acme» creado. Su dirección pública es ${server.url}/e/${slug}. Ahora añade al equipo.`)
      .waitFor();

    const created = await api(server.url, `/api/events/${slug}`);
    expect(created.body).toMatchObject({ title: 'Estreno Acme', is_active: true, allowed_email_domains: ['acme.com'] });
  });

  it('adds a moderator and a speaker, and a new password works for signing in', async () => {
    for (const [member, role] of [[moderator, 'Moderador(a)'], [speaker, 'Ponente']] as const) {
      await app().getByLabel('Nombre', { exact: true }).fill(member.name);
      await app().locator('#staff-email').fill(member.email);
      await app().getByLabel('Rol').selectOption({ label: role });
      await app().getByLabel('Contraseña (mínimo 8 caracteres)').fill(member.password);
      await app().getByRole('button', { name: 'Añadir', exact: true }).click();
      await app().locator('li.staff-member', { hasText: member.name }).getByText(role, { exact: true }).waitFor();
    }

    const marta = app().locator('li.staff-member', { hasText: moderator.name });
    await marta.getByRole('button', { name: 'Cambiar contraseña' }).click();
    await marta.getByLabel(`Nueva contraseña para ${moderator.name}`).fill('corta');
    await marta.getByRole('button', { name: 'Guardar' }).click();
    await marta.getByText('Es demasiado corto.').waitFor();
    await marta.getByLabel(`Nueva contraseña para ${moderator.name}`).fill(moderator.newPassword);
    await marta.getByRole('button', { name: 'Guardar' }).click();
    await app().getByText(`Contraseña de ${moderator.name} cambiada.`, { exact: false }).waitFor();

    // A generated password is strong, shown in clear once with a copy button, and gone after saving.
    const sergio = app().locator('li.staff-member', { hasText: speaker.name });
    await sergio.getByRole('button', { name: 'Cambiar contraseña' }).click();
    await sergio.getByRole('button', { name: 'Generar una contraseña segura' }).click();
    const box = sergio.getByLabel(`Nueva contraseña para ${speaker.name}`);
    const generated = await box.inputValue();
    expect(generated).toMatch(/^[A-HJ-NP-Za-km-z2-9]{18}$/);
    expect(await box.getAttribute('type')).toBe('text');
    await sergio.getByText('Cópiala ahora y entrégala por un canal seguro: no se volverá a mostrar.').waitFor();
    await sergio.getByRole('button', { name: 'Copiar' }).waitFor();
    await shoot(admin, 'admin-staff');
    await sergio.getByRole('button', { name: 'Guardar' }).click();
    await app().getByText(`Contraseña de ${speaker.name} cambiada.`, { exact: false }).waitFor();
    expect(await app().locator(`input[value="${generated}"]`).count()).toBe(0);
    const speakerLogin = await api(server.url, `/api/events/${slug}/login`, { body: { email: speaker.email, password: generated } });
    expect(speakerLogin.status).toBe(200);

    const login = (password: string) => api(server.url, `/api/events/${slug}/login`, { body: { email: moderator.email, password } });
    expect((await login(moderator.password)).status).toBe(401);
    expect((await login(moderator.newPassword)).status).toBe(200);
  });

  it('copies the embed snippet into a producer’s page on another origin, where an attendee registers and chats', async () => {
    await app().getByRole('link', { name: 'Insertar' }).click();
    // The identity secret stays hidden until asked for.
    const { body: events } = await api<AdminEvent[]>(server.url, '/api/admin/events', { token: await adminToken(server.url) });
    const secret = events.find((event) => event.slug === slug)!.embed_secret;
    expect(await app().getByText(secret).count()).toBe(0);
    await app().getByRole('button', { name: 'Mostrar secreto' }).click();
    await app().getByText(secret).waitFor();
    await app().getByRole('button', { name: 'Ocultar secreto' }).click();
    await app().getByRole('button', { name: 'Copiar' }).click();
    await app().getByRole('button', { name: 'Copiado' }).waitFor();
    snippet = (await app().locator('#embed-snippet').textContent()) ?? '';
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    expect(snippet).toContain(`<script src="${server.url}/embed.js" async></script>`);
    expect(snippet).toContain(`<palco-chat     event="${slug}"></palco-chat>`);
    await shoot(admin, 'admin-embed');

    producer.setHtml(`<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title></head><body>${snippet}</body></html>`);
    visitor = await newPage();
    await visitor.goto(producer.origin);
    const register = visitor.locator('palco-register');
    await register.getByLabel('Nombre completo').fill('Ana Asistente');
    await register.getByLabel('Correo electrónico').fill('ana@acme.com');
    await register.getByLabel('Teléfono').fill('+34 600 000 000');
    await register.getByRole('button', { name: 'Entrar al evento' }).click();
    await register.getByText('Conectado como Ana Asistente').waitFor();
    const chat = visitor.locator('palco-chat');
    await chat.getByLabel('Mensaje para el chat').fill('Hola desde el sitio de Acme');
    await chat.getByLabel('Mensaje para el chat').press('Enter');
    await chat.getByRole('log').getByText('Hola desde el sitio de Acme').waitFor();
    // The minute's point of the concurrency curve, taken now rather than waiting for the minute.
    await server.hub.analytics.sampleViewers();
  });

  it('the moderator signs in on /mod with the new password; the admin reads what they did in the log', async () => {
    const mod = await newPage();
    await mod.goto(`${server.url}/e/${slug}/login`);
    await mod.getByLabel('Correo electrónico').fill(moderator.email);
    await mod.getByLabel('Código de acceso o contraseña').fill(moderator.newPassword);
    await mod.getByRole('button', { name: 'Iniciar sesión' }).click();
    await mod.waitForURL((url) => url.pathname === `/e/${slug}/mod`);
    const queue = mod.locator('palco-mod-queue');
    await queue.getByRole('log').getByText('Hola desde el sitio de Acme').waitFor();
    await queue.getByRole('button', { name: 'Borrar el mensaje de Ana Asistente' }).click();
    await visitor.locator('palco-chat').getByRole('log').getByText('Hola desde el sitio de Acme').waitFor({ state: 'detached' });

    await app().getByRole('link', { name: 'Moderación', exact: true }).click();
    const row = app().locator('table.log tbody tr').first();
    await row.getByText(moderator.name).waitFor();
    await row.getByText('borró un mensaje').waitFor();
    await row.getByText('Ana Asistente').waitFor();
    await shoot(admin, 'admin-log');
  });

  it('adds a webhook and, once the admin confirms the close, every attendee page shows the event closed and the delivery shows as delivered', async () => {
    await app().getByRole('link', { name: 'Webhooks' }).click();
    await app().getByLabel('URL (https://)').fill(`${receiver.url}/palco`);
    await app().getByRole('button', { name: 'Añadir webhook' }).click();
    const webhook = app().locator('li.webhook');
    await webhook.getByText('Activo').waitFor();
    await webhook.getByText('Sin entregas todavía.').waitFor();

    await app().getByRole('button', { name: 'Cerrar el evento' }).click();
    const dialog = app().getByRole('alertdialog', { name: '¿Cerrar el evento?' });
    await dialog.waitFor();
    await shoot(admin, 'admin-close-dialog');
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    expect((await api(server.url, `/api/events/${slug}`)).body.is_active).toBe(true);

    await app().getByRole('button', { name: 'Cerrar el evento' }).click();
    await dialog.getByRole('button', { name: 'Cerrar el evento' }).click();
    await app().locator('.event-page').getByText('Cerrado', { exact: true }).waitFor();
    await visitor.locator('palco-chat').getByText('Transmisión finalizada').waitFor({ timeout: 10_000 });
    await visitor.locator('palco-player').getByText('Transmisión finalizada').waitFor();

    await expect.poll(() => receiver.requests.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await app().getByRole('link', { name: 'Ajustes' }).click();
    await app().getByRole('link', { name: 'Webhooks' }).click();
    await app().locator('li.webhook tr', { hasText: 'Evento cerrado' }).getByText('Entregada').waitFor();
    await shoot(admin, 'admin-webhooks');
  });

  it('reads the closed event’s final report from its page: figures and the concurrency chart', async () => {
    const href = await app().getByRole('link', { name: 'Informe' }).getAttribute('href');
    expect(href).toContain(`/e/${slug}/reports`);
    const reportPage = await newPage();
    await reportPage.context().addCookies(await admin.context().cookies());
    await reportPage.goto(new URL(href!, server.url).toString());
    const report = reportPage.locator('palco-report');
    await report.locator('.report[data-state="final"]').waitFor();
    // The attendee who registered on the producer's site.
    expect(await report.locator('[data-figure="registered"] .figure-value').textContent()).toBe('1');
    // Their one message was deleted by the moderator: deleted chat does not count.
    expect(await report.locator('[data-figure="chat_messages"] .figure-value').textContent()).toBe('0');
    expect(await report.locator('[data-figure="peak"] .figure-value').textContent()).toBe('1');
    await report.locator('[data-chart="concurrency"] .uplot canvas').waitFor();
    await report.locator('[data-chart="distribution"] .uplot canvas').waitFor();
    await reportPage.close();
  });

  it('works in English, deep links included', async () => {
    const eventId = (await api(server.url, `/api/events/${slug}`)).body.id;
    await admin.goto(`${server.url}/admin/events/${eventId}/staff?lang=en`);
    await app().getByRole('heading', { name: 'Event staff' }).waitFor();
    await app().locator('li.staff-member', { hasText: speaker.name }).getByText('Speaker').waitFor();
    await app().getByRole('link', { name: 'Events', exact: true }).first().click();
    await app().locator('li.event-card', { hasText: slug }).getByText('Closed').waitFor();
    expect(admin.url()).toBe(`${server.url}/admin/events?lang=en`);
  });

  it('the Title label on an event’s settings leads to the title field, not to the page’s heading', async () => {
    const eventId = (await api(server.url, `/api/events/${slug}`)).body.id;
    await admin.goto(`${server.url}/admin/events/${eventId}/settings?lang=en`);
    await app().getByRole('heading', { name: 'Estreno Acme' }).waitFor();
    expect(await app().getByLabel('Title', { exact: true }).inputValue({ timeout: 5_000 })).toBe('Estreno Acme');
  });

  it('names every webhook topic beside its box', async () => {
    await app().getByRole('link', { name: 'Webhooks' }).click();
    const topics = app().locator('fieldset', { hasText: 'Notify about' }).locator('label.check');
    await topics.first().waitFor();
    expect(await topics.allTextContents()).toEqual([
      'Attendee registered', 'Question approved', 'Question answered', 'Event closed', 'Report ready', 'Email confirmed', 'Poll closed',
      "Each attendee's attendance",
    ]);
  });
});
