import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, keepWidgetToken } from '../support/browser.js';
import { databaseTargets } from '../support/server.js';
import { useRealtimeServer } from '../realtime/support.js';
import { useProducerEvent } from '../support/producer-event.js';

const slug = 'pagina-arabe';

/**
 * Where each piece of Arabic text inside the widgets puts its closing "!": read right to left,
 * it ends on the left of its first letter. One entry per text node, `text → left|right`.
 */
async function closingMarks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const host of document.querySelectorAll('palco-chat, palco-qa, palco-polls')) {
      const walker = document.createTreeWalker(host.shadowRoot!, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent!.trim();
        if (!/^[\u0600-\u06FF].*!$/.test(text)) continue;
        const start = node.textContent!.indexOf(text);
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + 1);
        const firstLetter = range.getBoundingClientRect();
        range.setStart(node, start + text.length - 1);
        range.setEnd(node, start + text.length);
        const mark = range.getBoundingClientRect();
        found.push(`${text} → ${mark.left < firstLetter.left ? 'left' : 'right'}`);
      }
    }
    return found.sort();
  });
}

/*
 * A producer's page in Arabic (dir="rtl"): the widgets speak Spanish or English left to right,
 * but what people write there, and the producer's own polls, are Arabic.
 */
describe.skipIf(!hasChromium)('widgets on a right-to-left producer page', { timeout: 60_000 }, () => {
  const server = useRealtimeServer(databaseTargets[0]!);
  const suite = useProducerEvent(server, slug, 'Layla');

  beforeAll(async () => {
    await suite.moderator.ok({ type: 'chat', message: 'مرحبا بالجميع!' });
    const poll = (await suite.moderator.ok({ type: 'poll_create', kind: 'single', question: 'هل تسمعنا؟', options: ['نعم!', 'لا!'] })).data as { id: number };
    await suite.moderator.ok({ type: 'poll_open', id: poll.id });
  });

  it('Arabic chat lines, questions, poll options and a line waiting for the connection end with their "!" on the left', async () => {
    suite.producer.setHtml(`<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>أكمي</title></head><body>
      <script src="${server.url}/embed.js"></script>
      <palco-chat event="${slug}"></palco-chat>
      <palco-qa event="${slug}"></palco-qa>
      <palco-polls event="${slug}"></palco-polls>
    </body></html>`);
    const page = await suite.browser.newPage();
    page.setDefaultTimeout(10_000);
    await keepWidgetToken(page, server.url, slug, suite.attendee.token);
    await page.goto(suite.producer.origin);
    const chat = page.locator('palco-chat');
    await chat.getByRole('log').getByText('مرحبا بالجميع!').waitFor();
    await page.locator('palco-polls').getByText('نعم!').waitFor();
    const qa = page.locator('palco-qa');
    await qa.getByRole('textbox').fill('متى يبدأ البث!');
    await qa.getByRole('button', { name: 'Preguntar' }).click();
    await qa.locator('.mine').getByText('متى يبدأ البث!').waitFor();

    await page.context().setOffline(true);
    const box = chat.getByLabel('Mensaje para el chat');
    await box.fill('أنا في النفق!');
    await box.press('Enter');
    await chat.getByRole('list', { name: 'Por enviar' }).getByText('أنا في النفق!').waitFor();

    expect(await closingMarks(page)).toEqual([
      'أنا في النفق! → left',
      'لا! → left',
      'متى يبدأ البث! → left',
      'مرحبا بالجميع! → left',
      'نعم! → left',
    ]);
    await page.close();
  });
});
