import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.js';
import { useLongChat } from './long-chat.js';

/** How far (px) the list is from its bottom: 0 when its newest line is in view. */
function belowView(log: Locator): Promise<number> {
  return log.evaluate((element) => Math.round(element.scrollHeight - element.clientHeight - element.scrollTop));
}

/*
 * A producer's page that puts the chat in a tab panel (hidden while another tab shows) or
 * resizes it: a reader who was at the newest line finds the newest line when it shows again.
 */
describe.skipIf(!hasChromium)('<palco-chat> hidden or resized by the page, with the reader at the newest line', { timeout: 60_000 }, () => {
  const history = useLongChat('chat-en-pestana', { messages: 60, author: 'Tina Pestañas' });

  async function openChat(panelStyle = 'height: 500px; display: flex; flex-direction: column', chatStyle = '--palco-chat-height: 100%; height: 100%') {
    const { page, log } = await history.open(
      `<div id="panel" role="tabpanel" style="${panelStyle}"><palco-chat event="${history.event.slug}" style="${chatStyle}"></palco-chat></div>`,
    );
    expect(await belowView(log)).toBeLessThanOrEqual(1);
    return { page, log };
  }

  it('shows the newest line when its tab panel shows again after messages came while it was hidden', async () => {
    const { page, log } = await openChat('', '');
    await page.evaluate(() => (document.getElementById('panel')!.hidden = true));
    await page.waitForTimeout(200);
    for (let n = 1; n <= 5; n += 1) await history.moderator.ok({ type: 'chat', message: `Mientras tanto ${n}` });
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
