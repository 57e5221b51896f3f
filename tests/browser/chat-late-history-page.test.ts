import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.js';
import { useLongChat } from './long-chat.js';

/** The ids of the lines the chat shows, top to bottom. */
function shownIds(page: Page): Promise<number[]> {
  return page.locator('palco-chat').locator('[role="log"] li.message').evaluateAll((lines) => lines.map((line) => Number(line.getAttribute('data-id'))));
}

/*
 * A page of history that arrives after the reader left the view that asked for it (they went
 * to the newest messages, then scrolled up again) belongs to no line they now see.
 */
describe.skipIf(!hasChromium)('<palco-chat> with a history page still on its way when the reader jumps to the newest', { timeout: 60_000 }, () => {
  const history = useLongChat('pagina-tardia', { messages: 1_000, author: 'Lía Lectora' });

  /**
   * A new message comes below the reader, who takes the button to the newest messages and
   * scrolls up a little again; answers the new message's id.
   */
  async function toNewestAndUpAgain(page: Page, chat: Locator, log: Locator): Promise<number> {
    const newest = (await history.moderator.ok({ type: 'chat', message: 'Nuevo, abajo' })).id!;
    await chat.getByRole('button', { name: /mensajes? nuevos?/ }).click();
    await log.getByText('Mensaje número 1000').waitFor();
    await log.evaluate((element) => element.scrollTo({ top: element.scrollHeight - element.clientHeight - 400, behavior: 'instant' }));
    await page.waitForTimeout(200);
    return newest;
  }

  /** Pages back until the list shows message `id` and no page is loading. */
  async function pageBackTo(page: Page, log: Locator, id: number) {
    while (!(await shownIds(page)).includes(id)) {
      await log.evaluate((element) => element.scrollTo({ top: 0, behavior: 'instant' }));
      await page.waitForTimeout(150);
    }
    await expect.poll(() => log.locator('.history-line').innerText()).toBe('');
  }

  /** Holds the history requests that match `pattern` on their way: answers whether one was asked and what releases them. */
  async function holdPages(page: Page, pattern: RegExp) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const state = { asked: false, release };
    await page.route(pattern, async (route) => {
      state.asked = true;
      await held;
      await route.continue();
    });
    return state;
  }

  it('a newer page that comes back after the reader jumped to the newest and scrolled up again puts no older line below the newest', async () => {
    const { page, chat, log } = await history.open();
    // Back far enough that the newest lines were let go of (at most 400 shown).
    await pageBackTo(page, log, 550);
    expect(Math.max(...(await shownIds(page)))).toBeLessThan(1000);
    // The page below is held on its way while the reader goes to the newest and up again.
    const held = await holdPages(page, /\/chat\?.*after=/);
    await log.evaluate((element) => element.scrollTo({ top: element.scrollHeight, behavior: 'instant' }));
    await expect.poll(() => held.asked).toBe(true);
    const newest = await toNewestAndUpAgain(page, chat, log);
    held.release();
    await expect.poll(() => log.getAttribute('aria-busy')).toBeNull();
    await page.waitForTimeout(300);
    const ids = await shownIds(page);
    // Every line from the first shown to the newest, in order, none twice.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => ids[0]! + index));
    expect(ids.at(-1)).toBe(newest);
    await page.close();
  });

  it('an older page that comes back after the reader jumped to the newest and scrolled up again leaves no gap above their line', async () => {
    const { page, chat, log } = await history.open();
    await pageBackTo(page, log, 550);
    const held = await holdPages(page, /\/chat\?.*before=/);
    await log.evaluate((element) => element.scrollTo({ top: 0, behavior: 'instant' }));
    await expect.poll(() => held.asked).toBe(true);
    const newest = await toNewestAndUpAgain(page, chat, log);
    held.release();
    await page.waitForTimeout(500);
    const ids = await shownIds(page);
    // Every line from the first shown to the newest, none missing.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => ids[0]! + index));
    expect(ids.at(-1)).toBe(newest);
    await page.close();
  });
});
