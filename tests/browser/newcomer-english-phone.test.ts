import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishPhone, hasChromium, journeyPage, startBrowser, type TestBrowser } from '../support/browser.js';
import { useServer } from '../support/fixture.js';
import { eventually } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/** What a phone on a mobile network waits for each frame from the server. */
const mobileDelayMs = 400;

/*
 * A newcomer on a phone, in English, in the demo event: registers, then chats as people do,
 * a few lines in a row and one more after a pause, while a second attendee reads along.
 */
describe.skipIf(!hasChromium)('a newcomer chatting on a phone, in English', { timeout: 120_000 }, () => {
  const server = useServer(databaseTargets[0]!);
  let browser: TestBrowser;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function attendee(name: string, email: string): Promise<Page> {
    const page = await journeyPage(browser, englishPhone);
    await page.goto(`${server.url}/e/demo-fast`);
    await page.getByLabel('Full name').fill(name);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Phone').fill('+34 600 111 222');
    await page.getByRole('button', { name: 'Join the event' }).click();
    await page.waitForURL(/\/e\/demo-fast\/watch/);
    await page.locator('palco-chat').getByRole('textbox', { name: 'Chat message' }).waitFor();
    return page;
  }

  const chatLines = (page: Page) => page.locator('palco-chat').locator('li.message .text').allInnerTexts();

  it('sends every line typed while the one before is still on its way, once each and in order', async () => {
    const writer = await attendee('Ana Newcomer', 'ana.newcomer@produccionesfast.com');
    const reader = await attendee('Bruno Reader', 'bruno.reader@produccionesfast.com');
    // The writer's phone hears back from the server only after a mobile network's delay.
    await writer.routeWebSocket(/\/ws/, (socket) => {
      const toServer = socket.connectToServer();
      toServer.onMessage((frame) => void setTimeout(() => socket.send(frame), mobileDelayMs));
    });
    await writer.reload();
    const box = writer.locator('palco-chat').getByRole('textbox', { name: 'Chat message' });
    await box.waitFor();

    const burst = ['Hi everyone!', 'Can you hear the speaker?', 'I can’t yet'];
    for (const line of burst) {
      await box.pressSequentially(line);
      await box.press('Enter');
    }
    await writer.waitForTimeout(2 * mobileDelayMs);
    await box.pressSequentially('Now I can, thanks');
    await box.press('Enter');

    const sent = [...burst, 'Now I can, thanks'];
    const read = await eventually(() => chatLines(reader), (lines) => lines.length >= sent.length, 10_000, 'the reader to see four lines');
    await writer.waitForTimeout(2 * mobileDelayMs);
    expect(await chatLines(reader)).toEqual(sent);
    expect(read).toEqual(sent);
    expect(await box.inputValue()).toBe('');
  });
});
