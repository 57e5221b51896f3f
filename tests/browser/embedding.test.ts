import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createStaff, setEventActive } from '../support/accounts.js';
import {
  exampleProducerPage,
  hasChromium,
  screenshotsDir,
  shoot,
  startBrowser,
  startProducerSite,
  type ProducerSite,
  type TestBrowser,
} from '../support/browser.js';
import { api, loginAs } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'lanzamiento-acme';
const xss = '<img src=x onerror="window.__xss=1">';

describe.skipIf(!hasChromium)('widgets in a real browser', () => {
  let server: TestServer;
  let producer: ProducerSite;
  let browser: TestBrowser;
  let admin: string;
  const pages: Record<'visitor' | 'attendee' | 'moderator' | 'speaker', Page> = {} as never;

  /** A browser context signed in through the HttpOnly cookie, as the hosted pages are. */
  const withCookie = (token: string, eventId: number) => browser.newPage({ cookie: { name: `palco_e${eventId}`, value: token, url: server.url } });

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    admin = await adminToken(server.url);
    producer = await startProducerSite();
    producer.setHtml(exampleProducerPage(server.url, slug));
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: {
        slug,
        title: 'Lanzamiento Acme 2050',
        allowed_email_domains: ['acme.com'],
        access_code: 'acme-codigo-2050',
        allowed_origins: [producer.origin],
      },
    });
    expect(created.status).toBe(201);
    await createStaff(server.url, admin, slug, { name: 'Marta (moderación)', email: 'mod@acme.com', role: 'moderador', password: 'moderadora-2050' });
    await createStaff(server.url, admin, slug, { name: 'Sergio (ponente)', email: 'speaker@acme.com', role: 'speaker', password: 'ponente-2050' });

    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  it('a visitor on the producer’s site registers, chats and asks, all shown as text', async () => {
    const page = (pages.visitor = await browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(producer.origin);

    const register = page.locator('palco-register');
    await expect.poll(() => register.getByText('Usa tu correo de acme.com.').count()).toBe(1);
    await register.getByLabel('Nombre completo').fill(`${xss}Ana`);
    await register.getByLabel('Correo electrónico').fill('ana@acme.com');
    await register.getByLabel('Teléfono').fill('+34 600 000 000');
    const registered = page.evaluate(
      () => new Promise<string>((resolve) => document.addEventListener('palco:registered', (e) => resolve((e as CustomEvent).detail.user.name), { once: true })),
    );
    await register.getByRole('button', { name: 'Entrar al evento' }).click();
    expect(await registered).toBe(`${xss}Ana`);
    await register.getByText(`Conectado como ${xss}Ana`).waitFor();

    const chat = page.locator('palco-chat');
    await chat.getByLabel('Mensaje para el chat').fill(`Hola ${xss}`);
    await chat.getByLabel('Mensaje para el chat').press('Enter');
    await chat.getByRole('log').getByText(`Hola ${xss}`).waitFor();

    const qa = page.locator('palco-qa');
    await qa.getByLabel('Tu pregunta').fill(`¿Habrá grabación? ${xss}`);
    await qa.getByRole('button', { name: 'Preguntar' }).click();
    await qa.getByText('Pendiente de aprobación').waitFor();

    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('a moderator approves on the hosted /mod; the question reaches /speaker and the producer’s site', async () => {
    const moderator = await loginAs(server.url, slug, 'mod@acme.com', 'moderadora-2050');
    const speaker = await loginAs(server.url, slug, 'speaker@acme.com', 'ponente-2050');
    const eventId = moderator.user.event_id!;
    pages.moderator = await withCookie(moderator.token, eventId);
    pages.speaker = await withCookie(speaker.token, eventId);
    await pages.moderator.goto(`${server.url}/e/${slug}/mod`);
    await pages.speaker.goto(`${server.url}/e/${slug}/speaker`);

    const queue = pages.moderator.locator('palco-mod-queue');
    await queue.getByText(`Hola ${xss}`).waitFor();
    const pending = queue.locator('li.question', { hasText: '¿Habrá grabación?' });
    await pending.getByText(`${xss}Ana`).waitFor();
    await pending.getByRole('button', { name: 'Aprobar' }).click();
    await queue.getByText('No hay preguntas pendientes.').waitFor();

    const board = pages.speaker.locator('palco-speaker-board');
    await board.getByText(`¿Habrá grabación? ${xss}`).waitFor();
    await pages.visitor.locator('palco-qa').locator('.questions').getByText(`¿Habrá grabación? ${xss}`).waitFor();

    await board.getByRole('button', { name: 'Destacar' }).click();
    await board.locator('.spotlight').getByText(`¿Habrá grabación? ${xss}`).waitFor();
    await pages.visitor.locator('palco-qa').getByText('En pantalla').waitFor();

    for (const page of [pages.moderator, pages.speaker, pages.visitor]) {
      expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    }
  });

  it('an attendee watches on the hosted /watch; screenshots of every page', async () => {
    const attendee = await api(server.url, `/api/events/${slug}/register`, {
      body: { name: 'Luis', email: 'luis@acme.com', phone: '+34 600 000 001' },
    });
    pages.attendee = await withCookie(attendee.body.token, attendee.body.user.event_id);
    await pages.attendee.goto(`${server.url}/e/${slug}/watch`);
    await pages.attendee.locator('palco-chat').getByText(`Hola ${xss}`).waitFor();
    await pages.attendee.locator('palco-qa').locator('.questions').getByText(`¿Habrá grabación? ${xss}`).waitFor();
    expect(await pages.attendee.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();

    await shoot(pages.visitor, 'producer-site');
    await shoot(pages.attendee, 'watch');
    await shoot(pages.moderator, 'mod');
    await shoot(pages.speaker, 'speaker');
  });

  it('when the admin closes the event, every page shows "Transmisión finalizada"', async () => {
    await setEventActive(server.url, admin, slug, false);
    for (const [name, page] of Object.entries(pages)) {
      const selector = name === 'moderator' ? 'palco-mod-queue' : name === 'speaker' ? 'palco-speaker-board' : 'palco-chat';
      await page.locator(selector).getByText('Transmisión finalizada').waitFor({ timeout: 10_000 });
    }
    await pages.visitor.locator('palco-player').getByText('Transmisión finalizada').waitFor();
    await pages.visitor.locator('palco-register').getByText('Transmisión finalizada').waitFor();
    await pages.visitor.evaluate(() => window.scrollTo(0, 0));
    await pages.visitor.screenshot({ path: join(screenshotsDir, 'producer-site-closed-desktop.png') });
  });
});
