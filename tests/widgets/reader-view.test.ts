import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ChatMessage, type PalcoClient } from '@palco/sdk';
import { hasChromium, startBrowser, viewports, type TestBrowser } from '../support/browser.js';
import { api, loginAs } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from './built-widgets.js';

const readerZone = 'America/Mexico_City';
const longName = 'Maximilianoalejandrodelosangelesfernandezdecordovaysaavedra'.repeat(2);
const rightToLeftName = 'שלום עליכם';

/**
 * What an attendee in Mexico City sees on a phone, and a moderator's queue, while people
 * whose names are long or written right to left chat: a real server, a real Chromium.
 */
describe.skipIf(!hasChromium)('chat as its reader sees it, in their zone, on a phone', () => {
  let server: TestServer;
  let browser: TestBrowser;
  const clients: PalcoClient[] = [];
  const sent: ChatMessage[] = [];
  let eventId: number;
  let readerToken: string;

  async function chatAs(name: string, email: string, text: string) {
    const client = createClient({ baseUrl: server.url, event: 'demo-fast', WebSocket: WebSocket as never });
    clients.push(client);
    await client.register({ name, email, phone: '+52 55 1234 5678' });
    await client.connect();
    // Plain words: stored at once, never held for review.
    sent.push((await client.chat(text)) as ChatMessage);
  }

  async function openAs(token: string): Promise<Page> {
    return browser.newPage({
      viewport: viewports.phone,
      locale: 'es-MX',
      timezoneId: readerZone,
      cookie: { name: `palco_e${eventId}`, value: token, url: server.url },
    });
  }

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    await chatAs(longName, 'largo@produccionesfast.com', 'Hola desde Monterrey');
    await chatAs(rightToLeftName, 'shalom@produccionesfast.com', 'שלום לכולם');
    eventId = (await api(server.url, '/api/events/demo-fast')).body.id;
    const reader = await api(server.url, '/api/events/demo-fast/register', {
      body: { name: 'Lectora', email: 'lectora@produccionesfast.com', phone: '+52 55 0000 0000' },
    });
    readerToken = reader.body.token;
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    clients.forEach((client) => client.disconnect());
    await browser?.close();
    await server?.stop();
  });

  it('shows each chat time in the reader’s zone and language, not the server’s', async () => {
    const page = await openAs(readerToken);
    await page.goto(`${server.url}/e/demo-fast/watch`);
    const times = page.locator('palco-chat').locator('li.message time');
    await expect.poll(() => times.count()).toBe(2);

    const inReaderZone = new Intl.DateTimeFormat('es-MX', { hour: '2-digit', minute: '2-digit', timeZone: readerZone });
    const shown = await times.allTextContents();
    expect(shown).toEqual(sent.map((message) => inReaderZone.format(new Date(message.created_at))));
    // The server runs in UTC, six hours from the reader: the old "HH:MM" field is never what they see.
    expect(shown).not.toContain(sent[0]!.timestamp);
  });

  it('shows the moderator queue and the speaker board in the reader’s zone too', async () => {
    const asker = clients[0]!;
    const question = await asker.ask('¿A qué hora empieza el segundo bloque?');
    const moderator = await loginAs(server.url, 'demo-fast', server.adminEmail, server.adminPassword);
    const page = await openAs(moderator.token);
    await page.goto(`${server.url}/e/demo-fast/mod`);
    const queue = page.locator('palco-mod-queue');
    const chatTimes = queue.locator('li.message time');
    // The queue loads its own script and reads the restricted people first: on a busy machine that takes a few seconds.
    await expect.poll(() => chatTimes.count(), { timeout: 15_000 }).toBe(2);
    const inReaderZone = new Intl.DateTimeFormat('es-MX', { hour: '2-digit', minute: '2-digit', timeZone: readerZone });
    expect(await chatTimes.allTextContents()).toEqual(sent.map((message) => inReaderZone.format(new Date(message.created_at))));
    const asked = queue.locator('li.question', { hasText: question.question }).locator('time');
    expect(await asked.textContent()).toBe(inReaderZone.format(new Date(question.created_at)));

    const staff = createClient({ baseUrl: server.url, event: 'demo-fast', WebSocket: WebSocket as never, token: moderator.token });
    clients.push(staff);
    await staff.connect();
    await staff.approve(question.id);
    const board = await openAs(moderator.token);
    await board.goto(`${server.url}/e/demo-fast/speaker`);
    const onBoard = board.locator('palco-speaker-board').locator('li.question', { hasText: question.question }).locator('time');
    await onBoard.waitFor();
    expect(await onBoard.textContent()).toBe(inReaderZone.format(new Date(question.created_at)));
  });

  it('lets a long unbroken name wrap: the chat never scrolls sideways at 390 px', async () => {
    const moderator = await loginAs(server.url, 'demo-fast', server.adminEmail, server.adminPassword);
    for (const path of ['/e/demo-fast/watch', '/e/demo-fast/mod']) {
      const token = path.endsWith('/mod') ? moderator.token : (await api(server.url, '/api/events/demo-fast/login', {
        body: { email: 'largo@produccionesfast.com', password: 'produccionesfast2050' },
      })).body.token;
      const page = await openAs(token);
      await page.goto(server.url + path);
      const widget = page.locator(path.endsWith('/mod') ? 'palco-mod-queue' : 'palco-chat');
      await widget.getByText('Hola desde Monterrey').waitFor();
      const overflow = await widget.locator('[role="log"]').evaluate((log) => ({
        log: log.scrollWidth - log.clientWidth,
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }));
      expect(overflow, path).toEqual({ log: 0, page: 0 });
    }
  });

  it('draws a right-to-left name apart from the time after it', async () => {
    const page = await openAs(readerToken);
    await page.goto(`${server.url}/e/demo-fast/watch`);
    const line = page.locator('palco-chat').locator('li.message', { hasText: 'שלום לכולם' });
    await line.waitFor();
    const author = (await line.locator('.author').boundingBox())!;
    const time = (await line.locator('time').boundingBox())!;
    // In a left-to-right page the time follows the name on the right, as for any other name.
    expect(time.x).toBeGreaterThanOrEqual(author.x + author.width - 1);
    // Isolated from the text around it: `isolate`, or `plaintext`, which isolates an inline box
    // too and takes its direction from its own first letter (CSS Writing Modes 3, unicode-bidi).
    expect(['isolate', 'plaintext']).toContain(await line.locator('.author').evaluate((element) => getComputedStyle(element).unicodeBidi));
  });

  it('gives a moderator’s answer the question card’s whole width on a phone, not the sliver beside the votes', async () => {
    const question = await clients[0]!.ask('¿Habrá grabación de la sesión para quien no pueda verla en directo?');
    const moderator = await loginAs(server.url, 'demo-fast', server.adminEmail, server.adminPassword);
    const staff = createClient({ baseUrl: server.url, event: 'demo-fast', WebSocket: WebSocket as never, token: moderator.token });
    clients.push(staff);
    await staff.connect();
    await staff.approve(question.id);
    await staff.answer(question.id, 'Sí: la grabación queda en esta misma página una semana, con el chat y las preguntas.');
    const page = await openAs(readerToken);
    await page.goto(`${server.url}/e/demo-fast/watch`);
    const card = page.locator('palco-qa').locator('li.question', { hasText: question.question });
    const answer = card.locator('.answer');
    await answer.waitFor();
    const inner = await card.evaluate((element) => {
      const style = getComputedStyle(element);
      return element.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    });
    const answerBox = (await answer.boundingBox())!;
    const votesBox = (await card.locator('.votes').boundingBox())!;
    expect(answerBox.width).toBeGreaterThanOrEqual(inner - 1);
    // Under the votes, not beside them.
    expect(answerBox.y).toBeGreaterThanOrEqual(votesBox.y + votesBox.height);
  });
});
