import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, type Member, type TestSocket } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/** How far (px) the list is from its bottom: 0 when its newest line is in view. */
function belowView(log: Locator): Promise<number> {
  return log.evaluate((element) => Math.round(element.scrollHeight - element.clientHeight - element.scrollTop));
}

/*
 * A producer's page that puts the chat in a tab panel (hidden while another tab shows) or
 * resizes it: a reader who was at the newest line finds the newest line when it shows again.
 */
describe.skipIf(!hasChromium)('<palco-chat> hidden or resized by the page, with the reader at the newest line', { timeout: 60_000 }, () => {
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
    event = await createEvent(server, 'chat-en-pestana', { allowed_origins: [producer.origin] });
    attendee = await attendeeOf(server, event.slug, 'Tina Pestañas');
    const rows = Array.from({ length: 60 }, (_, index) => ({
      user_id: attendee.user.id, user_name: 'Tina Pestañas', message: `Mensaje número ${index + 1}`, event_id: event.id, created_at: new Date(Date.now() - (100 - index) * 1000),
    }));
    await server.deps.db.sequelize.getQueryInterface().bulkInsert('chat_messages', rows);
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    moderator?.close();
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  async function openChat(panelStyle = 'height: 500px; display: flex; flex-direction: column', chatStyle = '--palco-chat-height: 100%; height: 100%') {
    producer.setHtml(`<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title></head><body>
      <script src="${server.url}/embed.js"></script>
      <div id="panel" role="tabpanel" style="${panelStyle}"><palco-chat event="${event.slug}" style="${chatStyle}"></palco-chat></div>
    </body></html>`);
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.addInitScript(([key, token]) => localStorage.setItem(key!, token!), [`palco:${new URL(server.url).origin}:${event.slug}:token`, attendee.token]);
    await page.goto(producer.origin);
    const log = page.locator('palco-chat').locator('[role="log"]');
    await log.getByText('Mensaje número 60', { exact: true }).waitFor();
    expect(await belowView(log)).toBeLessThanOrEqual(1);
    return { page, log };
  }

  it('shows the newest line when its tab panel shows again after messages came while it was hidden', async () => {
    const { page, log } = await openChat('', '');
    await page.evaluate(() => (document.getElementById('panel')!.hidden = true));
    await page.waitForTimeout(200);
    for (let n = 1; n <= 5; n += 1) await moderator.ok({ type: 'chat', message: `Mientras tanto ${n}` });
    await page.waitForTimeout(300);
    await log.getByText('Mientras tanto 5').waitFor({ state: 'attached' });
    await page.evaluate(() => (document.getElementById('panel')!.hidden = false));
    await page.waitForTimeout(300);
    await expect.poll(() => belowView(log)).toBeLessThanOrEqual(1);
    await page.close();
  });

  it('keeps the newest line in view when the page makes the chat shorter', async () => {
    const { page, log } = await openChat();
    await page.evaluate(() => (document.getElementById('panel')!.style.height = '260px'));
    await expect.poll(() => belowView(log)).toBeLessThanOrEqual(1);
    await page.close();
  });
});
