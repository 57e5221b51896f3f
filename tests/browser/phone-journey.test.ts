import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken } from '../support/accounts.js';
import { checkAccessibility } from '../support/axe.js';
import { hasChromium, journeyPage, overflowingParts, startBrowser, viewports, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { emlMail } from '../support/smtp.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const hourMs = 3_600_000;

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
    server = await startTestServer(databaseTargets[0]!, { mail: emlMail });
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

  /** Registers on the event's hosted page, in English, as a person arriving from an invitation would. */
  async function registerInEnglish(page: Page, slug: string, person: { name: string; email: string; phone: string }) {
    await page.goto(`${server.url}/e/${slug}?lang=en`);
    await page.getByLabel('Full name').fill(person.name);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Phone').fill(person.phone);
    await page.getByRole('button', { name: 'Join the event' }).click();
  }

  it('the confirm-your-email notice and the line saying where the link went stay inside the chat on a phone', async () => {
    await createEvent({ slug: 'confirm-phone', title: 'Spring product launch for the whole Americas team', require_confirmation: true });
    const page = await phonePage();
    await registerInEnglish(page, 'confirm-phone', {
      name: 'Lucía Fernández-Castellanos',
      email: 'lucia.fernandez-castellanos.longaddress@subsidiary.example.com',
      phone: '+34 600 123 456',
    });
    const chat = page.locator('palco-chat');
    await chat.getByRole('button', { name: 'Send me the link again' }).click();
    await chat.getByText('We sent it to', { exact: false }).waitFor();
    expect(await overflowingParts(chat)).toEqual([]);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.close();
  });

  it('the registration page gives a scheduled event’s start in the reader’s zone, counts down, and offers the calendar', async () => {
    // 26 h 30 min ahead, on a whole minute: the countdown starts with "1 d 2 h".
    const startsAt = new Date(Math.ceil((Date.now() + 26.5 * hourMs) / 60_000) * 60_000).toISOString();
    await createEvent({
      slug: 'scheduled-phone',
      title: 'Spring launch',
      description: 'The new catalogue, with questions at the end.',
      starts_at: startsAt,
      time_zone: 'America/Mexico_City',
    });
    const page = await phonePage('Asia/Tokyo');
    await page.goto(`${server.url}/e/scheduled-phone?lang=en`);
    const schedule = page.locator('.schedule');
    const readerTime = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', hour: 'numeric', minute: '2-digit' }).format(new Date(startsAt));
    await expect.poll(() => schedule.innerText()).toContain(readerTime);
    expect(await schedule.innerText()).toContain('(your time)');
    expect(await schedule.innerText()).toContain('America/Mexico City');
    expect(await page.getByRole('timer').innerText()).toMatch(/^1 d 2 h \d\d min( \d\d s)?$/);
    expect(await schedule.getByRole('link', { name: 'Google Calendar' }).getAttribute('href')).toContain('calendar.google.com');
    expect(await page.getByText('The new catalogue, with questions at the end.').count()).toBe(1);
    expect(await sidewaysScroll(page)).toBe(0);
    expect((await checkAccessibility(page)).violations).toEqual([]);
    await page.close();

    // Without scripts the page still gives the start, on the event's clock.
    const plain = await journeyPage(browser, { viewport: viewports.phone, locale: 'en-US', javaScriptEnabled: false });
    await plain.goto(`${server.url}/e/scheduled-phone?lang=en`);
    const eventTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Mexico_City', hour: '2-digit', minute: '2-digit' }).format(new Date(startsAt));
    expect(await plain.locator('.schedule-when').innerText()).toMatch(new RegExp(`^Starts .*${eventTime} \\(America/Mexico City time\\)\\.$`));
    await plain.close();
  });

  it('the watch page names itself the broadcast, not “Live”, while the event waits for its start', async () => {
    await createEvent({ slug: 'waiting-phone', title: 'Town hall', starts_at: new Date(Date.now() + 3 * hourMs).toISOString() });
    const page = await phonePage();
    await registerInEnglish(page, 'waiting-phone', { name: 'Lucía Ferrer', email: 'lucia@ferrer.test', phone: '+34 611 000 111' });
    await page.locator('palco-player').getByText('The broadcast starts soon').waitFor();
    expect(await page.locator('header .site-section').innerText()).toBe('Broadcast');
    expect(await page.title()).toBe('Town hall · Broadcast');

    // The administrator goes live: the page changes without a reload, and nothing on it still says it is scheduled.
    const id = (await api(server.url, '/api/events/waiting-phone')).body.id as number;
    expect((await api(server.url, `/api/admin/events/${id}`, { token: admin, method: 'PATCH', body: { live: true } })).status).toBe(200);
    await page.locator('palco-player').getByText('The broadcast starts soon').waitFor({ state: 'detached' });
    expect(await page.locator('body').innerText()).not.toMatch(/scheduled|starts soon/i);
    await page.close();
  });

  it('the emailed sign-in link opens in the language the attendee registered in, whatever the browser prefers', async () => {
    await createEvent({ slug: 'english-link', title: 'Town hall in English' });
    const registered = await api(server.url, '/api/events/english-link/register?lang=en', { body: { name: 'Lucía Ferrer', email: 'lucia@english.test', phone: '+34 611 000 111' } });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const id = (await api(server.url, '/api/events/english-link')).body.id as number;
    const sent = await eventually(
      async () => (await api(server.url, `/api/admin/events/${id}/mail`, { token: admin })).body.items.find((item: { status: string }) => item.status === 'sent') as { id: number } | undefined,
      Boolean,
      10_000,
      'the confirmation to be written',
    );
    const { body: content } = await api(server.url, `/api/admin/events/${id}/mail/${sent!.id}`, { token: admin });
    const link = /href="([^"]*\/e\/english-link\/auth\?[^"]+)"/.exec(content.html)![1]!.replaceAll('&amp;', '&');
    // A browser that prefers Spanish.
    const page = await journeyPage(browser, { viewport: viewports.phone, locale: 'es-ES' });
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/e\/english-link\/watch/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.close();
  });
});
