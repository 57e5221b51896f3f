import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowser, startProducerSite, keepWidgetToken, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, type Member, type TestSocket } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'globales-ajenos';

/*
 * A producer's page whose scripts replaced globals the widgets read their data with, while the
 * chat arrives as lone messages (one JSON object a frame) and bursts (one JSON array a frame).
 */
describe.skipIf(!hasChromium)('widgets on a page that replaced the globals they parse with', { timeout: 60_000 }, () => {
  let server: TestServer;
  let producer: ProducerSite;
  let browser: TestBrowser;
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;
  let reader: Member;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startRealtimeServer(databaseTargets[0]!);
    producer = await startProducerSite();
    event = await createEvent(server, slug, { allowed_origins: [producer.origin] });
    moderator = (await connect(server, { event: slug, token: event.moderator.token })).socket;
    reader = await attendeeOf(server, slug, 'Lectora');
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    moderator?.close();
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  /** The producer's page with `script` run before embed.js, signed in as the reader. */
  async function open(script: string): Promise<Page> {
    producer.setHtml(
      `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title><script>${script}</script></head>` +
        `<body><script src="${server.url}/embed.js"></script><palco-chat event="${slug}"></palco-chat></body></html>`,
    );
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await keepWidgetToken(page, server.url, slug, reader.token);
    const errors: string[] = (pageErrors = []);
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(producer.origin);
    return page;
  }

  it('a page whose JSON.parse turns ISO dates into Date objects still shows every message with its time', async () => {
    await moderator.ok({ type: 'chat', message: 'Antes de abrir la página' });
    const page = await open(`
      // What json.date-extensions' JSON.useDateParser() and its kin do: every JSON.parse revives dates.
      const nativeParse = JSON.parse;
      const isoDate = /^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$/;
      JSON.parse = function (text, reviver) {
        return nativeParse(text, function (key, value) {
          if (typeof value === 'string' && isoDate.test(value)) return new Date(value);
          return reviver ? reviver.call(this, key, value) : value;
        });
      };`);
    const chat = page.locator('palco-chat');
    const log = chat.getByRole('log');
    await log.getByText('Antes de abrir la página').waitFor();
    await moderator.ok({ type: 'chat', message: 'Sola' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    const burst = ['Ráfaga 1', 'Ráfaga 2', 'Ráfaga 3'];
    await Promise.all(burst.map((message) => moderator.ok({ type: 'chat', message })));
    await chat.getByLabel('Mensaje para el chat').fill('Desde la página');
    await chat.getByRole('button', { name: 'Enviar' }).click();
    const expected = ['Antes de abrir la página', 'Sola', ...burst, 'Desde la página'];
    await expect.poll(() => log.locator('li.message .text').allTextContents(), { timeout: 5_000 }).toEqual(expected);
    const sentAt = await moderator.waitFor('chat', (message) => message.message === 'Sola');
    const times = await log.locator('li.message time').evaluateAll((lines) => lines.map((line) => line.getAttribute('datetime')));
    expect(times[1]).toBe(sentAt.created_at);
    expect(await log.locator('li.message time').allTextContents()).toEqual(expected.map(() => expect.stringMatching(/^\d{2}:\d{2}$/)));
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
