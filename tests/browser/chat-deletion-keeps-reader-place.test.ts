import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, journeyPage, startBrowser, viewports, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, type Member } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/*
 * An attendee scrolled up in the chat on a phone, reading, while a moderator deletes messages:
 * the deleted lines go, and the line the reader is on stays where it is on the screen.
 */
describe.skipIf(!hasChromium)('<palco-chat> deleting messages while a reader is scrolled up, in Chromium', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let event: Awaited<ReturnType<typeof createEvent>>;
  let reader: Member;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startRealtimeServer(databaseTargets[0]!);
    event = await createEvent(server, 'deleted-while-reading');
    reader = await attendeeOf(server, event.slug, 'Rea Reader');
    const writer = await attendeeOf(server, event.slug, 'Wes Writer');
    const rows = Array.from({ length: 120 }, (_, index) => ({
      user_id: writer.user.id, user_name: 'Wes Writer', message: `Message number ${index + 1}`, event_id: event.id, created_at: new Date(Date.now() - (200 - index) * 1000),
    }));
    await server.deps.db.sequelize.getQueryInterface().bulkInsert('chat_messages', rows);
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps the line the reader is on in place when a message above it, or that very line, is deleted', async () => {
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const page = await journeyPage(browser, {
      viewport: viewports.phone, locale: 'en-US', hasTouch: true, isMobile: true,
      cookie: { name: `palco_e${event.id}`, value: reader.token, url: server.url },
    });
    await page.goto(`${server.url}/e/${event.slug}/watch?lang=en`);
    const log = page.locator('palco-chat').locator('[role="log"]');
    await log.getByText('Message number 120', { exact: true }).waitFor();
    const ids = new Map(await log.evaluate((element) => [...element.querySelectorAll<HTMLElement>('li')].map((line) => [line.querySelector('.text')!.textContent!, Number(line.dataset.id)] as [string, number])));
    /** The first line the reader sees at the top of the list, and how far (px) it stands from that top. */
    const reading = () => log.evaluate((element) => {
      const top = element.getBoundingClientRect().top;
      const line = [...element.querySelectorAll('li')].find((item) => item.getBoundingClientRect().bottom > top)!;
      return { text: line.querySelector('.text')!.textContent, offset: Math.round(line.getBoundingClientRect().top - top) };
    });
    // Up to the middle of what the session holds, well away from both ends.
    await log.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2, behavior: 'instant' }));
    await page.waitForTimeout(200);
    const before = await reading();
    const at = Number(/\d+$/.exec(before.text!)![0]);

    await moderator.ok({ type: 'delete_chat', id: ids.get(`Message number ${at - 5}`)! });
    await log.getByText(`Message number ${at - 5}`, { exact: true }).waitFor({ state: 'detached' });
    expect(await reading()).toEqual(before);

    // The line the reader is on goes: the next one takes its place.
    const next = await log.getByText(`Message number ${at + 1}`, { exact: true }).evaluate((element) => Math.round(element.closest('li')!.getBoundingClientRect().top));
    await moderator.ok({ type: 'delete_chat', id: ids.get(`Message number ${at}`)! });
    await log.getByText(`Message number ${at}`, { exact: true }).waitFor({ state: 'detached' });
    expect(await log.getByText(`Message number ${at + 1}`, { exact: true }).evaluate((element) => Math.round(element.closest('li')!.getBoundingClientRect().top))).toBe(next);

    // New messages afterwards still leave the reader where they are, behind the button.
    const still = await reading();
    await moderator.ok({ type: 'chat', message: 'Fresh one' });
    await page.locator('palco-chat').getByRole('button', { name: '↓ 1 new message' }).waitFor();
    expect(await reading()).toEqual(still);
    await page.close();
  });
});
