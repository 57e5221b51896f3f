import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatMessageRow, QuestionRow, SessionAnalyticsRow, UserRow, ViewerSampleRow } from '../../packages/backend/src/db/models.js';
import { adminToken, createStaff, eventId } from '../support/accounts.js';
import { hasChromium, screenshotsDir, startBrowser, viewports, type TestBrowser } from '../support/browser.js';
import { api, loginAs } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'informe-acme';
const attendees = 120;
const start = Date.parse('2026-03-01T18:00:00Z');

/** Audience over 90 minutes: a ramp to a peak of 97 at minute 35, then a slow fall. */
const viewersAt = (minute: number) => (minute <= 35 ? Math.round((minute / 35) * 97) : Math.max(0, Math.round(97 - (minute - 35) * 1.6)));

describe.skipIf(!hasChromium)('the report page in a real browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  const browserErrors: string[] = [];

  const report = () => page.locator('palco-report');
  const table = (name: string) => report().locator(`[data-table="${name}"]`);
  const rowsOf = (name: string) => table(name).locator('tbody tr');

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    const admin = await adminToken(server.url);
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: { slug, title: 'Lanzamiento Acme 2050', access_code: 'acme-codigo-2050' },
    });
    expect(created.status).toBe(201);
    const id = await eventId(server.url, slug);
    await createStaff(server.url, admin, slug, { name: 'Marta Moderadora', email: 'mod@acme.com', role: 'moderador', password: 'moderadora-2050' });

    // An event that happened: registrations, watch time, one sample a minute, questions and chat.
    const users = await UserRow.bulkCreate(
      Array.from({ length: attendees }, (_, i) => ({
        name: `${i % 2 ? 'Íñigo' : 'Begoña'} Núñez ${String(i + 1).padStart(3, '0')}`,
        email: `persona${i + 1}@acme.com`,
        phone: `+34 600 ${String(100_000 + i).slice(0, 3)} ${String(i).padStart(3, '0')}`,
        password: null,
        role: 'visor' as const,
        event_id: id,
        created_at: new Date(start - (attendees - i) * 60_000),
      })),
    );
    await SessionAnalyticsRow.bulkCreate(
      users.slice(0, 100).map((user, i) => ({
        user_id: user.id,
        event_id: id,
        start_time: new Date(start),
        last_ping: new Date(start + i * 50_000),
        total_seconds: i * 50,
        total_minutes: Math.floor((i * 50) / 60),
      })),
    );
    await ViewerSampleRow.bulkCreate(
      Array.from({ length: 91 }, (_, minute) => ({ event_id: id, sampled_at: new Date(start + minute * 60_000), viewers: viewersAt(minute) })),
    );
    const questions = ['¿Habrá grabación?', '¿Cuándo sale en España?', '¿Funciona con año bisiesto?', 'spam'];
    await QuestionRow.bulkCreate(
      questions.map((question_text, i) => ({
        user_id: users[i]!.id,
        user_name: users[i]!.name,
        question_text,
        status: (['read', 'approved', 'pending', 'rejected'] as const)[i],
        upvotes: [12, 7, 0, 0][i],
        event_id: id,
        moderated_by: null,
        approved_at: null,
        read_at: null,
      })),
    );
    await ChatMessageRow.bulkCreate(
      users.slice(0, 30).map((user) => ({ user_id: user.id, user_name: user.name, message: '¡Qué buena charla! ñandú', event_id: id })),
    );

    browser = await startBrowser();
    const moderator = await loginAs(server.url, slug, 'mod@acme.com', 'moderadora-2050');
    page = await browser.newPage({
      timezoneId: 'Europe/Madrid',
      acceptDownloads: true,
      cookie: { name: `palco_e${id}`, value: moderator.token, url: server.url },
    });
    page.on('pageerror', (error) => browserErrors.push(error.message));
    // CSP violations and script errors show up as console errors; failed requests by their URL.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) browserErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) browserErrors.push(`${response.status()} ${response.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the figures and draws the concurrency curve with its peak, under the strict CSP', async () => {
    const response = await page.goto(`${server.url}/e/${slug}/reports`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await report().locator('[data-figure="registered"]').waitFor();

    expect(await report().locator('[data-figure="registered"] .figure-value').textContent()).toBe('120');
    expect(await report().locator('[data-figure="peak"]').textContent()).toBe('Pico de espectadores97a las 19:35');
    expect(await report().locator('[data-status="read"]').textContent()).toBe('1Respondidas');
    expect(await report().locator('[data-figure="chat_messages"] .figure-value').textContent()).toBe('30');

    const curve = report().locator('[data-chart="concurrency"]');
    await curve.locator('.uplot canvas').waitFor();
    expect(await curve.locator('.chart').getAttribute('data-points')).toBe('91');
    // The canvas is really painted: the line, its fill and the peak's dot leave coloured pixels.
    const painted = await curve.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && !(data[i] === data[i + 1] && data[i + 1] === data[i + 2])) coloured += 1;
      return coloured;
    });
    expect(painted).toBeGreaterThan(1000);
    const bars = report().locator('[data-chart="distribution"]');
    await bars.locator('.uplot canvas').waitFor();
    expect(await bars.locator('.chart').getAttribute('data-points')).toBe('7');
    expect(await report().locator('.report').getAttribute('data-state')).toBe('live');
    expect(browserErrors).toEqual([]);
  });

  it('searches, sorts and pages the participants table on the server', async () => {
    await expect.poll(() => rowsOf('participants').count()).toBe(50);
    expect(await table('participants').locator('.pager .hint').textContent()).toBe('1–50 de 120');
    await table('participants').getByRole('button', { name: 'Siguiente' }).click();
    await expect.poll(() => table('participants').locator('.pager .hint').textContent()).toBe('51–100 de 120');
    expect(await rowsOf('participants').first().locator('td').first().textContent()).toBe('Begoña Núñez 051');

    await table('participants').locator('input[type="search"]').fill('núñez 007');
    await expect.poll(() => rowsOf('participants').count()).toBe(1);
    expect(await rowsOf('participants').first().locator('td').nth(1).textContent()).toBe('persona7@acme.com');
    expect(await table('participants').locator('.pager .hint').textContent()).toBe('1–1 de 1');

    await table('participants').locator('input[type="search"]').fill('');
    await table('participants').getByRole('button', { name: 'Minutos' }).click();
    await expect.poll(() => rowsOf('participants').first().locator('td').nth(4).textContent()).toBe('82');
    expect(await table('participants').locator('th[aria-sort="descending"]').textContent()).toContain('Minutos');

    // Questions: most voted first, with their status.
    expect(await rowsOf('questions').first().textContent()).toContain('¿Habrá grabación?');
    expect(await rowsOf('questions').first().locator('td').nth(2).textContent()).toBe('12');
    await table('questions').locator('select').selectOption('pending');
    await expect.poll(() => rowsOf('questions').count()).toBe(1);
    expect(await rowsOf('questions').first().textContent()).toContain('¿Funciona con año bisiesto?');
  });

  it('downloads the participants CSV starting with a byte order mark, accents and ñ intact', async () => {
    const downloading = page.waitForEvent('download');
    await report().getByRole('link', { name: 'Participantes' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${slug}-participants.csv`);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('id,nombre,correo,teléfono,registrado,minutos_vistos,segundos_vistos,segundos_en_vivo,segundos_repetición,último_ping,respuestas_encuestas,estado,consentimiento,versión_aviso,ip_consentimiento');
    expect(text).toContain('Begoña Núñez 001');
    expect(text).toContain('Íñigo Núñez 002');
  });

  it('fits a phone and a desktop screen (screenshots in docs/)', async () => {
    await page.goto(`${server.url}/e/${slug}/reports`);
    await report().locator('[data-chart="concurrency"] .uplot canvas').waitFor();
    await expect.poll(() => rowsOf('participants').count()).toBe(50);
    for (const [size, viewport] of Object.entries(viewports)) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${size} scrolls sideways`).toBeLessThanOrEqual(0);
      if (size === 'phone') {
        // Every cell of a row is on screen, labelled, with nothing cut off at the card's edge.
        const clipped = await report().locator('[data-table="participants"] .table-scroll').evaluate((box) => box.scrollWidth - box.clientWidth);
        expect(clipped, 'the participants table is cut off on a phone').toBeLessThanOrEqual(0);
        const email = rowsOf('participants').first().locator('td').nth(1);
        expect(await email.evaluate((cell) => getComputedStyle(cell, '::before').content)).toBe('"Correo"');
        expect(await email.boundingBox().then((box) => box!.x + box!.width)).toBeLessThanOrEqual(viewport.width);
      }
      await page.screenshot({ path: join(screenshotsDir, `reports-${size}.png`), fullPage: true });
    }
    await page.setViewportSize(viewports.desktop);
    expect(browserErrors).toEqual([]);
  });
});
