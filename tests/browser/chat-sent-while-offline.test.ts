import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Page as HistoryPage } from '@palco/sdk/protocol';
import { hasChromium, journeyPage, startBrowser, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, createEvent, useRealtimeServer, type Member } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/*
 * The network goes while the socket still looks open (a train's tunnel, wifi handed over): the
 * attendee's line waits for it, is told so, and is stored once when the network returns, so
 * nobody sends it twice thinking it failed.
 */
describe.skipIf(!hasChromium)('<palco-chat> sending while the network is gone, in Chromium', { timeout: 90_000 }, () => {
  const server = useRealtimeServer(databaseTargets[0]!);
  let browser: TestBrowser;
  let event: Awaited<ReturnType<typeof createEvent>>;
  let attendee: Member;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    event = await createEvent(server, 'sent-while-offline');
    attendee = await attendeeOf(server, event.slug, 'Tania Túnel');
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  const storedChat = async () =>
    (await api<HistoryPage<ChatMessage>>(server.url, `/api/events/${event.slug}/chat?limit=50`, { token: attendee.token })).body.items.map((message) => message.message);

  it('shows a line sent while the network is gone as waiting for it, never as failed, and stores it once when the network returns', async () => {
    const page = await journeyPage(browser, { locale: 'en-US', cookie: { name: `palco_e${event.id}`, value: attendee.token, url: server.url } });
    await page.clock.install();
    await page.goto(`${server.url}/e/${event.slug}/watch?lang=en`);
    const chat = page.locator('palco-chat');
    const box = chat.locator('textarea');
    await box.waitFor();

    await page.context().setOffline(true);
    await box.fill('Sent from the tunnel');
    await box.press('Enter');
    // Past the SDK's 10 s request timeout: the socket the network left never answered.
    await page.clock.fastForward(11_000);
    const waiting = chat.getByRole('list', { name: 'Waiting to be sent' });
    await waiting.getByText('Sending when the connection returns').waitFor();
    expect(await box.inputValue()).toBe('');
    expect(await chat.locator('[role="alert"]').count()).toBe(0);
    expect(await storedChat()).toEqual([]);

    await page.context().setOffline(false);
    await chat.locator('[role="log"]').getByText('Sent from the tunnel', { exact: true }).waitFor();
    await waiting.waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('');
    expect(await chat.locator('[role="log"] .text').allTextContents()).toEqual(['Sent from the tunnel']);
    expect(await storedChat()).toEqual(['Sent from the tunnel']);
  });
});
