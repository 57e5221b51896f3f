import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, type Member, type TestSocket } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/** The ids of the lines the chat shows, top to bottom. */
function shownIds(page: Page): Promise<number[]> {
  return page.locator('palco-chat').locator('[role="log"] li.message').evaluateAll((lines) => lines.map((line) => Number(line.getAttribute('data-id'))));
}

/*
 * A page of history that arrives after the reader left the view that asked for it (they went
 * to the newest messages, then scrolled up again) belongs to no line they now see.
 */
describe.skipIf(!hasChromium)('<palco-chat> with a history page still on its way when the reader jumps to the newest', { timeout: 60_000 }, () => {
  let server: TestServer;
  let producer: ProducerSite;
  let browser: TestBrowser;
  let event: Awaited<ReturnType<typeof createEvent>>;
  let attendee: Member;
  let moderator: TestSocket;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startRealtimeServer(databaseTargets[0]!);
    producer = await startProducerSite();
    event = await createEvent(server, 'pagina-tardia', { allowed_origins: [producer.origin] });
    attendee = await attendeeOf(server, event.slug, 'Lía Lectora');
    const rows = Array.from({ length: 1_000 }, (_, index) => ({
      user_id: attendee.user.id, user_name: 'Lía Lectora', message: `Mensaje número ${index + 1}`, event_id: event.id, created_at: new Date(Date.now() - (1_100 - index) * 1000),
    }));
    await server.deps.db.sequelize.getQueryInterface().bulkInsert('chat_messages', rows);
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  async function openChat() {
    producer.setHtml(`<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title></head><body><script src="${server.url}/embed.js"></script><palco-chat event="${event.slug}"></palco-chat></body></html>`);
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.addInitScript(([key, token]) => localStorage.setItem(key!, token!), [`palco:${new URL(server.url).origin}:${event.slug}:token`, attendee.token]);
    await page.goto(producer.origin);
    const chat = page.locator('palco-chat');
    const log = chat.getByRole('log');
    await log.getByText('Mensaje número 1000').waitFor();
    return { page, chat, log };
  }

  /** A new message below the reader, so the button to the newest ones shows; answers its id. */
  async function newMessage(text: string): Promise<number> {
    const ack = await moderator.ok({ type: 'chat', message: text });
    return ack.id!;
  }

  it('a newer page that comes back after the reader jumped to the newest and scrolled up again puts no older line below the newest', async () => {
    const { page, chat, log } = await openChat();
    // Back far enough that the newest lines were let go of (at most 400 shown).
    while (!(await shownIds(page)).includes(550)) {
      await log.evaluate((element) => element.scrollTo({ top: 0, behavior: 'instant' }));
      await page.waitForTimeout(150);
    }
    await expect.poll(() => log.locator('.history-line').innerText()).toBe('');
    expect(Math.max(...(await shownIds(page)))).toBeLessThan(1000);
    // The page below is held on its way while the reader goes to the newest and up again.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    await page.route(/\/chat\?.*after=/, async (route) => {
      asked = true;
      await held;
      await route.continue();
    });
    await log.evaluate((element) => element.scrollTo({ top: element.scrollHeight, behavior: 'instant' }));
    await expect.poll(() => asked).toBe(true);
    const newest = await newMessage("Nuevo, abajo");
    await chat.getByRole('button', { name: /mensajes? nuevos?/ }).click();
    await log.getByText('Mensaje número 1000').waitFor();
    await log.evaluate((element) => element.scrollTo({ top: element.scrollHeight - element.clientHeight - 400, behavior: 'instant' }));
    await page.waitForTimeout(200);
    release();
    await expect.poll(() => log.getAttribute('aria-busy')).toBeNull();
    await page.waitForTimeout(300);
    const ids = await shownIds(page);
    // Every line from the first shown to the newest, in order, none twice.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => ids[0]! + index));
    expect(ids.at(-1)).toBe(newest);
    await page.close();
  });

  it('an older page that comes back after the reader jumped to the newest and scrolled up again leaves no gap above their line', async () => {
    const { page, chat, log } = await openChat();
    while (!(await shownIds(page)).includes(550)) {
      await log.evaluate((element) => element.scrollTo({ top: 0, behavior: 'instant' }));
      await page.waitForTimeout(150);
    }
    await expect.poll(() => log.locator('.history-line').innerText()).toBe('');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    await page.route(/\/chat\?.*before=/, async (route) => {
      asked = true;
      await held;
      await route.continue();
    });
    await log.evaluate((element) => element.scrollTo({ top: 0, behavior: 'instant' }));
    await expect.poll(() => asked).toBe(true);
    const newest = await newMessage("Nuevo, abajo");
    await chat.getByRole('button', { name: /mensajes? nuevos?/ }).click();
    await log.getByText('Mensaje número 1000').waitFor();
    await log.evaluate((element) => element.scrollTo({ top: element.scrollHeight - element.clientHeight - 400, behavior: 'instant' }));
    await page.waitForTimeout(200);
    release();
    await page.waitForTimeout(500);
    const ids = await shownIds(page);
    // Every line from the first shown to the newest, none missing.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => ids[0]! + index));
    expect(ids.at(-1)).toBe(newest);
    await page.close();
  });
});
