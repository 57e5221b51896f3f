import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createStaff } from '../support/accounts.js';
import { checkAccessibility } from '../support/axe.js';
import { hasChromium, shoot, startBrowser, viewports, type TestBrowser } from '../support/browser.js';
import { api, loginAs } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'lanzamiento-acme';
const title = 'Lanzamiento Acme 2050';

describe.skipIf(!hasChromium)('the hosted pages in a real browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let eventId: number;
  const tokens: Record<'attendee' | 'moderator' | 'speaker' | 'admin', string> = {} as never;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    tokens.admin = await adminToken(server.url);
    // A logo URL nobody answers: the header must not show a broken image.
    const created = await api<{ id: number }>(server.url, '/api/admin/events', {
      token: tokens.admin,
      body: { slug, title, logo_url: 'https://127.0.0.1:9/logo.png', access_code: 'acme-codigo-2050' },
    });
    expect(created.status).toBe(201);
    eventId = created.body.id;
    await createStaff(server.url, tokens.admin, slug, { name: 'Marta', email: 'mod@acme.com', role: 'moderador', password: 'moderadora-2050' });
    await createStaff(server.url, tokens.admin, slug, { name: 'Sergio', email: 'speaker@acme.com', role: 'speaker', password: 'ponente-2050' });
    tokens.moderator = (await loginAs(server.url, slug, 'mod@acme.com', 'moderadora-2050')).token;
    tokens.speaker = (await loginAs(server.url, slug, 'speaker@acme.com', 'ponente-2050')).token;
    const attendee = await api<{ token: string }>(server.url, `/api/events/${slug}/register`, {
      body: { name: 'Luis', email: 'luis@acme.com', phone: '+34 600 000 001' },
    });
    tokens.attendee = attendee.body.token;
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a page, failing on any request of ours that errs (a missing favicon or stylesheet included). */
  async function open(path: string, cookie?: { name: string; value: string }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await browser.newPage({ colorScheme, ...(cookie ? { cookie: { ...cookie, url: server.url } } : {}) });
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400 && response.url().startsWith(server.url)) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(server.url + path);
    await page.waitForLoadState('networkidle');
    expect(failed).toEqual([]);
    return page;
  }

  /** Each page, who opens it, and what its widgets show once they are live (checked only then). */
  const eventPages = [
    { path: `/e/${slug}`, section: null, who: null, ready: null },
    { path: `/e/${slug}/login`, section: null, who: null, ready: null },
    { path: `/e/${slug}/watch`, section: 'Transmisión', who: ['attendee', 'Luis', 'Asistente'], ready: ['palco-qa', 'textarea'] },
    { path: `/e/${slug}/mod`, section: 'Moderación', who: ['moderator', 'Marta', 'Moderador(a)'], ready: ['palco-mod-queue', '.audience'] },
    { path: `/e/${slug}/speaker`, section: 'Preguntas', who: ['speaker', 'Sergio', 'Ponente'], ready: ['palco-speaker-board', '.board .hint'] },
    { path: `/e/${slug}/reports`, section: 'Informe', who: ['moderator', 'Marta', 'Moderador(a)'], ready: ['palco-report', '.figures'] },
  ] as const;

  it.each(eventPages)('$path opens with the event’s title, its initials for the broken logo, who you are and the language switch', async ({ path, section, who }) => {
    const cookie = who ? { name: `palco_e${eventId}`, value: tokens[who[0]] } : undefined;
    const page = await open(path, cookie);
    const header = page.locator('header.site-header');
    expect(await header.count()).toBe(1);
    expect(await header.locator('h1').textContent()).toBe(title);
    const logo = header.locator('img.event-logo');
    expect(await logo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth === 0)).toBe(true);
    expect(await logo.evaluate((image) => getComputedStyle(image, '::after').content)).toBe('"LA"');
    if (section) expect(await header.locator('.site-section').textContent()).toBe(section);
    if (who) expect(await header.locator('.site-account').textContent()).toBe(`Conectado como ${who[1]} ${who[2]}`);
    expect(await header.getByRole('link', { name: 'English' }).getAttribute('href')).toContain('lang=en');
    // The form pages' screenshots; the event shells' are taken where their widgets are exercised.
    if (!who) await shoot(page, path.endsWith('/login') ? 'login' : 'register');
  });

  it.each(eventPages)('$path passes axe’s WCAG 2.2 AA rules, widgets included, in light and dark', async ({ path, who, ready }) => {
    const cookie = who ? { name: `palco_e${eventId}`, value: tokens[who[0]] } : undefined;
    for (const scheme of ['light', 'dark'] as const) {
      const page = await open(path, cookie, scheme);
      if (ready) await page.locator(ready[0]).locator(ready[1]).first().waitFor();
      const report = await checkAccessibility(page);
      expect(report.violations, scheme).toEqual([]);
      expect(report.contrastChecked).toBeGreaterThan(0);
    }
  });

  it('an attendee who opens the moderation page is told, in their language, that it is for the moderators, and finds the way back', async () => {
    const page = await browser.newPage({ cookie: { name: `palco_e${eventId}`, value: tokens.attendee, url: server.url } });
    const response = await page.goto(`${server.url}/e/${slug}/mod?lang=en`);
    expect(response?.status()).toBe(403);
    expect(page.url()).toBe(`${server.url}/e/${slug}/mod?lang=en`);
    expect(await page.locator('main h1.page-title').textContent()).toBe("This page is for the event's moderators.");
    expect(await page.locator('main').textContent()).toContain('Signed in as Luis (Attendee).');
    expect(await page.getByRole('link', { name: 'Sign in as staff' }).getAttribute('href')).toBe(`/e/${slug}/login?lang=en`);
    const report = await checkAccessibility(page);
    expect(report.violations).toEqual([]);
    await page.getByRole('link', { name: 'Back to your page of the event' }).click();
    await page.waitForURL(`${server.url}/e/${slug}/watch?lang=en`);
    expect(await page.locator('header.site-header .site-section').textContent()).toBe('Broadcast');
  });

  it('the watch page says what the event is under the player, and on a phone keeps the player in view while reading the chat', async () => {
    const page = await open(`/e/${slug}/watch`, { name: `palco_e${eventId}`, value: tokens.attendee });
    const about = page.locator('section.about');
    expect(await about.getByRole('heading', { level: 2 }).textContent()).toBe(title);
    await about.getByText('Cómo participar').waitFor();
    const desktopPlayer = await page.locator('palco-player').boundingBox();
    const desktopAbout = await about.boundingBox();
    // Right under the player, in its column, rather than an empty stretch.
    expect(desktopAbout!.y).toBeGreaterThan(desktopPlayer!.y + desktopPlayer!.height);
    expect(desktopAbout!.y - (desktopPlayer!.y + desktopPlayer!.height)).toBeLessThan(60);

    await page.setViewportSize(viewports.phone);
    await page.locator('palco-qa').scrollIntoViewIfNeeded();
    const player = await page.locator('palco-player').boundingBox();
    expect(player!.y).toBeLessThanOrEqual(1);
    expect(player!.height).toBeGreaterThan(150);
    const sign = page.locator('form.sign-out');
    expect(await sign.getByRole('button', { name: 'Cerrar sesión' }).count()).toBe(1);
  });

  it('a reader whose system asks for a dark scheme gets dark pages, widgets included', async () => {
    const page = await browser.newPage({
      colorScheme: 'dark',
      cookie: { name: `palco_e${eventId}`, value: tokens.attendee, url: server.url },
    });
    await page.goto(`${server.url}/e/${slug}/watch`);
    const panel = page.locator('palco-chat').locator('.panel');
    await panel.waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(17, 18, 24)');
    expect(await panel.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(28, 30, 38)');
    expect(await panel.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(236, 238, 244)');
  });

  it('the admin pages open with Palco’s mark and the section', async () => {
    const page = await open('/admin/events', { name: 'palco_admin', value: tokens.admin });
    const header = page.locator('header.site-header');
    expect(await header.locator('.site-home').textContent()).toBe('Palco');
    expect(await header.locator('.site-section').textContent()).toBe('Administración de eventos');
    expect(await header.locator('img.palco-mark').evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
    await page.locator('palco-admin').locator('.event-card').first().waitFor();
    const report = await checkAccessibility(page);
    expect(report.violations).toEqual([]);
    expect(report.contrastChecked).toBeGreaterThan(0);
  });

  it('/favicon.ico is an icon, not a 404', async () => {
    const response = await fetch(`${server.url}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/x-icon');
    const bytes = new Uint8Array(await response.arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon); the image inside is a PNG.
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(new TextDecoder().decode(bytes.slice(23, 26))).toBe('PNG');
  });
});
