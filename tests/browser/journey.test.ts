import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, eventId as eventIdOf } from '../support/accounts.js';
import { checkAccessibility } from '../support/axe.js';
import { hasChromium, journeyPage, shoot, startBrowser, viewports, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { databaseTargets, startTestServer, testAdmin, type TestServer } from '../support/server.js';
import { emlMail } from '../support/smtp.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const hourMs = 3_600_000;

/*
 * The attendee journey in Chromium (docs/journey.md): the waiting room that turns live when
 * an administrator starts the broadcast, the emailed sign-in link, and the replay read-only.
 * Every state is checked with axe-core (WCAG 2.2 AA) at desktop and phone widths, and the
 * screenshots of docs/journey.md are taken here.
 */
describe.skipIf(!hasChromium)('the attendee journey in a real browser', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let admin: string;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    // Mail leaves as .eml files under the data directory (the embedded default), looked for often.
    server = await startTestServer(databaseTargets[0]!, { mail: emlMail });
    admin = await adminToken(server.url);
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function createEvent(body: Record<string, unknown>): Promise<number> {
    const created = await api(server.url, '/api/admin/events', { token: admin, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return eventIdOf(server.url, body.slug as string);
  }

  async function registered(slug: string, email: string): Promise<string> {
    const response = await api(server.url, `/api/events/${slug}/register`, { body: { name: 'Lucía Ferrer', email, phone: '+34 611 000 111' } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.token as string;
  }

  /** axe at both widths; `contrastMeasured` false where a sandboxed frame (an email) keeps axe from measuring texts. */
  async function expectAccessible(page: Page, state: string, contrastMeasured = true) {
    for (const [size, viewport] of Object.entries(viewports)) {
      await page.setViewportSize(viewport);
      const report = await checkAccessibility(page);
      expect(report.violations, `${state}, ${size}`).toEqual([]);
      if (contrastMeasured) expect(report.contrastChecked, `${state}, ${size}`).toBeGreaterThan(0);
    }
    await page.setViewportSize(viewports.desktop);
  }

  async function adminApp(path: string): Promise<Page> {
    const page = await journeyPage(browser);
    await page.goto(`${server.url}/admin/events${path}`);
    const app = page.locator('palco-admin');
    await app.getByLabel('Correo electrónico').fill(testAdmin.email);
    await app.getByLabel('Contraseña').fill(testAdmin.password);
    await app.getByRole('button', { name: 'Iniciar sesión' }).click();
    return page;
  }

  it('the waiting room counts down in the reader’s zone and turns live without a reload when an administrator goes live', async () => {
    const startsAt = new Date(Math.ceil((Date.now() + 26.5 * hourMs) / 60_000) * 60_000).toISOString();
    const id = await createEvent({
      slug: 'estreno',
      title: 'Estreno en vivo',
      description: 'La presentación del nuevo catálogo, con preguntas al final.',
      starts_at: startsAt,
      ends_at: new Date(Date.parse(startsAt) + 2 * hourMs).toISOString(),
      time_zone: 'America/Mexico_City',
      video_url: 'https://127.0.0.1:9/directo.mp4',
    });
    const token = await registered('estreno', 'lucia@ferrer.test');
    // The reader is in Madrid; the event is in Mexico City.
    const attendee = await journeyPage(browser, { timezoneId: 'Europe/Madrid', cookie: { name: `palco_e${id}`, value: token, url: server.url } });
    await attendee.goto(`${server.url}/e/estreno/watch`);
    const player = attendee.locator('palco-player');
    await player.getByText('La transmisión empieza pronto').waitFor();
    const madrid = new Intl.DateTimeFormat('es-ES', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit' }).format(new Date(startsAt));
    const mexico = new Intl.DateTimeFormat('es-ES', { timeZone: 'America/Mexico_City', hour: '2-digit', minute: '2-digit' }).format(new Date(startsAt));
    expect(await player.locator('time').getAttribute('datetime')).toBe(startsAt);
    expect(await player.locator('time').innerText()).toContain(madrid);
    expect(await player.locator('.waiting-zone').innerText()).toMatch(new RegExp(`America/Mexico City.*${mexico}`));
    // The countdown ticks each second; screen readers hear it to the minute.
    const countdown = player.locator('.countdown');
    const first = await countdown.innerText();
    expect(first).toMatch(/^1 d 2 h \d{2} min \d{2} s$/);
    const next = await eventually(() => countdown.innerText(), (text) => text !== first, 5_000, 'the countdown to tick');
    expect(next).toMatch(/^1 d 2 h \d{2} min \d{2} s$/);
    expect(await player.getByRole('status').filter({ hasText: 'Empieza en' }).innerText()).toMatch(/^Empieza en 1 día 2 horas( \d+ minutos?)?\.$/);
    const calendar = player.getByRole('navigation', { name: 'Añadir al calendario' });
    expect(await calendar.getByRole('link', { name: /\.ics/ }).getAttribute('href')).toBe(`${server.url}/e/estreno/calendar.ics`);
    expect(await calendar.getByRole('link', { name: 'Google Calendar' }).getAttribute('href')).toContain('calendar.google.com');
    expect(await calendar.getByRole('link', { name: 'Outlook.com' }).getAttribute('href')).toContain('outlook.live.com');
    await shoot(attendee, 'journey-waiting-room');
    await expectAccessible(attendee, 'waiting room');
    // Chat waits with the room.
    await attendee.locator('palco-chat').getByLabel('Mensaje para el chat').waitFor();

    // Less motion: the countdown drops its seconds.
    const calm = await journeyPage(browser, { reducedMotion: 'reduce', cookie: { name: `palco_e${id}`, value: token, url: server.url } });
    await calm.goto(`${server.url}/e/estreno/watch`);
    expect(await calm.locator('palco-player .countdown').innerText()).toMatch(/^1 d 2 h \d{2} min$/);
    await calm.close();

    await attendee.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    const adminPage = await adminApp(`/${id}`);
    const app = adminPage.locator('palco-admin');
    await app.getByText('Programado').waitFor();
    expect(await app.getByLabel('Inicio').inputValue()).toBe(
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/Mexico_City', dateStyle: 'short', timeStyle: 'short' }).format(new Date(startsAt)).replace(' ', 'T'),
    );
    await app.getByRole('button', { name: 'Iniciar la transmisión' }).click();
    await app.getByRole('alertdialog').getByRole('button', { name: 'Iniciar la transmisión' }).click();
    await app.getByText('En vivo', { exact: true }).waitFor();

    await player.locator('video').waitFor();
    expect(await player.getByText('La transmisión empieza pronto').count()).toBe(0);
    expect(await attendee.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    await adminPage.close();
    await attendee.close();
  });

  it('the administrator types the schedule in the event’s zone, and a wrong one is named on its field', async () => {
    const page = await adminApp('/new');
    const app = page.locator('palco-admin');
    await app.getByLabel('Título').fill('Taller de otoño');
    await app.getByLabel('Zona horaria del evento').selectOption('Europe/Madrid');
    // 2026-10-25 02:30 happens twice in Madrid: the first one is kept.
    await app.getByLabel('Inicio').fill('2026-10-25T02:30');
    await app.getByLabel('Final (opcional)').fill('2026-10-25T01:00');
    await app.getByRole('radio', { name: 'Código de acceso compartido' }).check();
    await app.getByRole('button', { name: 'Crear evento' }).click();
    const error = app.locator('#event-ends_at-error');
    await error.getByText('El final debe ser posterior al inicio.').waitFor();
    expect(await app.getByLabel('Final (opcional)').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'admin schedule form with an error');
    await shoot(page, 'admin-schedule-form');
    await app.getByLabel('Final (opcional)').fill('2026-10-25T04:00');
    await app.getByRole('button', { name: 'Crear evento' }).click();
    await app.getByRole('heading', { name: 'Taller de otoño' }).waitFor();
    const { body } = await api(server.url, '/api/events/taller-de-otono');
    expect(body).toMatchObject({ starts_at: '2026-10-25T00:30:00.000Z', ends_at: '2026-10-25T03:00:00.000Z', time_zone: 'Europe/Madrid', sign_in: 'access_code' });
    await page.close();
  });

  it('an unconfirmed attendee is told to open the emailed link, asks for it again, opens it and presses its button', async () => {
    const id = await createEvent({ slug: 'confirmar', title: 'Charla confirmada', require_confirmation: true });
    const page = await journeyPage(browser);
    await page.goto(`${server.url}/e/confirmar`);
    await page.getByLabel('Nombre completo').fill('Pablo Ruiz');
    await page.getByLabel('Correo electrónico').fill('pablo@ruiz.test');
    await page.getByLabel('Teléfono').fill('+34 622 000 222');
    await page.getByRole('button', { name: 'Entrar al evento' }).click();
    const chat = page.locator('palco-chat');
    await chat.getByText('Falta confirmar tu correo').waitFor();
    expect(await chat.getByLabel('Mensaje para el chat').count()).toBe(0);
    await chat.getByRole('button', { name: 'Enviarme el enlace otra vez' }).click();
    await chat.getByText('Te lo enviamos a pablo@ruiz.test', { exact: false }).waitFor();
    expect(await chat.getByRole('status').filter({ hasText: 'Te lo enviamos' }).innerText()).toContain('«Tu enlace para entrar: Charla confirmada»');
    await expectAccessible(page, 'chat, Q&A and polls asking to confirm the email');
    await shoot(page, 'journey-confirm-email');

    // The link, from the .eml file Palco wrote, read through the admin API the Mail tab uses.
    const sentLink = await eventually(
      async () => {
        const { body } = await api(server.url, `/api/admin/events/${id}/mail`, { token: admin });
        return body.items.find((item: { kind: string; status: string }) => item.kind === 'sign_in_link' && item.status === 'sent') as { id: number } | undefined;
      },
      Boolean,
      10_000,
      'the sign-in link to be written',
    );
    const { body: content } = await api(server.url, `/api/admin/events/${id}/mail/${sentLink!.id}`, { token: admin });
    expect(content.subject).toBe('Tu enlace para entrar: Charla confirmada');
    const link = /href="([^"]*\/e\/confirmar\/auth\?token=[^"]+)"/.exec(content.html)![1]!.replaceAll('&amp;', '&');

    // The email as a mail client renders it.
    const mailPage = await journeyPage(browser);
    await mailPage.setContent(content.html);
    await shoot(mailPage, 'journey-email-sign-in-link');
    await mailPage.close();

    await page.goto(link);
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    await expectAccessible(page, 'sign-in link page, one button');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(/\/e\/confirmar\/watch/);
    await chat.getByLabel('Mensaje para el chat').fill('Ya confirmé mi correo');
    await chat.getByLabel('Mensaje para el chat').press('Enter');
    await chat.getByRole('log').getByText('Ya confirmé mi correo').waitFor();
    expect(await chat.getByText('Falta confirmar tu correo').count()).toBe(0);

    // The Mail tab lists the outbox and opens a message as its reader gets it.
    const adminPage = await adminApp(`/${id}/mail`);
    const app = adminPage.locator('palco-admin');
    const rows = app.locator('table.outbox tbody tr');
    await rows.first().waitFor();
    // The confirmation on registering, and the link asked for again.
    expect(await rows.filter({ hasText: 'pablo@ruiz.test' }).filter({ hasText: 'Enviado' }).allInnerTexts()).toEqual([
      expect.stringContaining('Enlace de acceso'),
      expect.stringContaining('Confirmación'),
    ]);
    await expectAccessible(adminPage, 'admin Mail tab');
    await rows.filter({ hasText: 'Confirmación' }).getByRole('button', { name: 'Ver el correo a pablo@ruiz.test' }).click();
    await app.getByRole('heading', { name: 'Confirma tu registro: Charla confirmada' }).waitFor();
    // The frame shows the email with its own styles, under the policy the server gives it.
    await adminPage.frameLocator('palco-admin iframe').getByRole('link', { name: 'Confirmar y entrar' }).waitFor();
    await expectAccessible(adminPage, 'admin Mail tab with a message open', false);
    await shoot(adminPage, 'admin-mail-tab');
    await app.getByRole('button', { name: 'Como texto' }).click();
    expect(await app.locator('.mail-view pre').innerText()).toContain('/e/confirmar/auth?token=');
    await adminPage.close();
    await page.close();
  });

  it('after the close the replay plays, and chat, Q&A and polls keep their history read-only', async () => {
    const id = await createEvent({
      slug: 'repeticion',
      title: 'Charla con repetición',
      video_url: 'https://127.0.0.1:9/directo.mp4',
      replay_url: 'https://127.0.0.1:9/repeticion.mp4',
      on_demand_until: new Date(Date.now() + 7 * 24 * hourMs).toISOString(),
    });
    const token = await registered('repeticion', 'ana@ferrer.test');
    const page = await journeyPage(browser, { cookie: { name: `palco_e${id}`, value: token, url: server.url } });
    await page.goto(`${server.url}/e/repeticion/watch`);
    const chat = page.locator('palco-chat');
    await chat.getByLabel('Mensaje para el chat').fill('Hola desde el directo');
    await chat.getByLabel('Mensaje para el chat').press('Enter');
    await chat.getByRole('log').getByText('Hola desde el directo').waitFor();
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));

    const closed = await api(server.url, `/api/admin/events/${id}`, { method: 'PATCH', token: admin, body: { is_active: false } });
    expect(closed.status).toBe(200);
    const replayLine = 'Estás viendo la repetición: el chat, las preguntas y las encuestas son de solo lectura.';
    await chat.getByText(replayLine).waitFor();
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    expect(await chat.getByLabel('Mensaje para el chat').count()).toBe(0);
    expect(await page.locator('palco-player video').getAttribute('src')).toBe('https://127.0.0.1:9/repeticion.mp4');

    // Someone arriving during the replay meets the same read-only widgets.
    await page.reload();
    await chat.getByText(replayLine).waitFor();
    await chat.getByRole('log').getByText('Hola desde el directo').waitFor();
    await page.locator('palco-qa').getByText(replayLine).waitFor();
    await page.locator('palco-polls').getByText(replayLine).waitFor();
    expect(await page.locator('palco-qa').getByLabel('Tu pregunta').count()).toBe(0);
    await page.locator('palco-player').getByText('Repetición', { exact: true }).waitFor();
    await expectAccessible(page, 'replay, read-only');
    await shoot(page, 'journey-replay');
    await page.close();
  });
});
