import { describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.js';
import { useLongChat } from './long-chat.js';

/** Every node of the page, through the widgets' shadow roots: what is really shown. */
function nodesInDocument(): number {
  let count = 0;
  const walk = (root: Node) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
    for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
      count += 1;
      const shadow = (node as Element).shadowRoot;
      if (shadow) walk(shadow);
    }
  };
  walk(document);
  return count;
}

/*
 * A reader paging far back through a long chat: the list holds at most 400 lines, and the
 * lines it lets go of are gone from memory too, not kept alive detached from the page.
 */
describe.skipIf(!hasChromium)('<palco-chat> paging through a long history, in Chromium', { timeout: 60_000 }, () => {
  const history = useLongChat('historia-larga', { messages: 1_200, author: 'Lía Lectora' });

  it('lets the lines it drops be collected while the chat goes on: no detached lines stay alive after paging back 15 pages', async () => {
    const { page, log } = await history.open();
    const pages: string[] = [];
    page.on('request', (request) => void (/\/chat\?.*before=/.test(request.url()) && pages.push(request.url())));
    while (pages.length < 15) {
      const asked = pages.length;
      await log.evaluate((element) => element.scrollTo({ top: 0, behavior: 'instant' }));
      await expect.poll(() => pages.length).toBeGreaterThan(asked);
      await expect.poll(() => log.locator('.history-line').innerText()).toBe('');
      // The chat goes on below the reader: the list renders again, its lines do not.
      for (let n = 0; n < 3; n += 1) await history.moderator.ok({ type: 'chat', message: `Nuevo ${pages.length}.${n}` });
      await page.locator('palco-chat').getByRole('button', { name: /mensajes? nuevos?/ }).waitFor();
    }
    expect(await log.locator('li').count()).toBe(400);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const alive = (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'Nodes')!.value;
    const shown = await page.evaluate(nodesInDocument);
    // 15 pages dropped 750 lines of about nine nodes each from the bottom of the list: kept
    // alive, they were 3 600 nodes more than the page shows (15 now, what a layout holds).
    expect(alive - shown).toBeLessThan(200);
    await page.close();
  });
});
