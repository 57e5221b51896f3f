import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, journeyPage, startBrowser, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets, startTestServer, testAdmin, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/* The event form in English, as a newcomer fills it in: what it says before saving a replay nobody could watch. */
describe.skipIf(!hasChromium)('the admin event form’s replay', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks until when the replay is available before saving a replay URL without it, and saves once given', async () => {
    const page = await journeyPage(browser, { locale: 'en-US' });
    await page.goto(`${server.url}/admin/events/new?lang=en`);
    const app = page.locator('palco-admin');
    await app.getByLabel('Email', { exact: true }).fill(testAdmin.email);
    await app.getByLabel('Password', { exact: true }).fill(testAdmin.password);
    await app.getByRole('button', { name: 'Sign in' }).click();
    await app.getByLabel('Title', { exact: true }).fill('Quarterly results');
    await app.getByLabel('Identifier (slug)').fill('quarterly-results');
    await app.getByLabel('Replay URL').fill('https://cdn.example.com/quarterly.m3u8');
    await app.getByRole('button', { name: 'Create event' }).click();
    const until = app.getByLabel('Available until');
    await app.getByText('Say until when the replay can be watched', { exact: false }).waitFor();
    expect(await until.getAttribute('aria-invalid')).toBe('true');
    expect(await until.evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect((await api(server.url, '/api/events/quarterly-results')).status).toBe(404);

    await until.fill('2030-01-31T18:00');
    await app.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(async () => (await api(server.url, '/api/events/quarterly-results')).status).toBe(200);
    await page.close();
  });
});
