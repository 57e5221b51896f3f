import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMailSettings } from '../../packages/backend/src/config.js';
import { adminToken } from '../support/accounts.js';
import { hasChromium, journeyPage, startBrowser, viewports, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/** The elements inside `host`'s shadow root whose right edge passes the host's own, by how much. */
async function overflowingParts(host: Locator): Promise<string[]> {
  return host.evaluate((element) => {
    const right = element.getBoundingClientRect().right;
    const found: string[] = [];
    for (const inner of element.shadowRoot!.querySelectorAll('*')) {
      const box = inner.getBoundingClientRect();
      if (box.width > 0 && box.right > right + 0.5) found.push(`${inner.tagName.toLowerCase()}.${inner.className}: ${Math.round(box.right - right)} px`);
    }
    return found;
  });
}

/** How far the page scrolls sideways: 0 when nothing is wider than the phone. */
function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/*
 * A newcomer's journey on a phone (390 × 844), in English: what an attendee reads when the
 * texts are long (a long address, a long title) and the screen is narrow.
 */
describe.skipIf(!hasChromium)('the attendee journey on a phone, in English', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let admin: string;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!, { mail: { ...defaultMailSettings, enabled: true, smtpUrl: null, from: 'Palco <no-reply@localhost>', pollIntervalMs: 100 } });
    admin = await adminToken(server.url);
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function createEvent(body: Record<string, unknown>) {
    const created = await api(server.url, '/api/admin/events', { token: admin, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }

  const phonePage = (timezoneId = 'Europe/Madrid') => journeyPage(browser, { viewport: viewports.phone, locale: 'en-US', timezoneId });

  it('the confirm-your-email notice and the line saying where the link went stay inside the chat on a phone', async () => {
    await createEvent({ slug: 'confirm-phone', title: 'Spring product launch for the whole Americas team', require_confirmation: true });
    const page = await phonePage();
    await page.goto(`${server.url}/e/confirm-phone?lang=en`);
    await page.getByLabel('Full name').fill('Lucía Fernández-Castellanos');
    await page.getByLabel('Email').fill('lucia.fernandez-castellanos.longaddress@subsidiary.example.com');
    await page.getByLabel('Phone').fill('+34 600 123 456');
    await page.getByRole('button', { name: 'Join the event' }).click();
    const chat = page.locator('palco-chat');
    await chat.getByRole('button', { name: 'Send me the link again' }).click();
    await chat.getByText('We sent it to', { exact: false }).waitFor();
    expect(await overflowingParts(chat)).toEqual([]);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.close();
  });
});
