import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishPhone, hasChromium, journeyPage, startBrowser, type TestBrowser } from '../support/browser.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, createEvent, useRealtimeServer } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/**
 * The parts of the chat a writer needs, each named when it is not seen whole on the screen:
 * outside the chat's own box, covered by something else (another widget below, say), or
 * squeezed out of the conversation's scrolling list.
 */
async function partsOutOfView(chat: Locator): Promise<string[]> {
  return chat.evaluate((host) => {
    // At the bottom of the screen, clear of the player that stays at the top of a phone's.
    host.scrollIntoView({ block: 'end' });
    const shadow = host.shadowRoot!;
    const outer = host.getBoundingClientRect();
    const log = shadow.querySelector('[role="log"]');
    const parts: Array<[string, Element | null]> = [
      ['the newest message', shadow.querySelector('[role="log"] li.message:last-child')],
      ['the box', shadow.querySelector('textarea')],
      ['the send button', shadow.querySelector('form button[type="submit"]')],
    ];
    const hidden: string[] = [];
    for (const [name, element] of parts) {
      if (!element) {
        hidden.push(`${name}: missing`);
        continue;
      }
      const box = element.getBoundingClientRect();
      const within = (frame: DOMRect) => box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5;
      const middle = shadow.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (box.height === 0) hidden.push(`${name}: no height`);
      else if (!within(outer)) hidden.push(`${name}: outside the chat`);
      else if (log?.contains(element) && !within(log.getBoundingClientRect())) hidden.push(`${name}: outside the conversation's view`);
      else if (!middle || !element.contains(middle)) hidden.push(`${name}: covered`);
    }
    return hidden;
  });
}

/*
 * On a phone the chat has a fixed height. The writer's own lines kept apart from the
 * conversation (waiting for the connection, or refused and offered back) must share it, not push
 * the conversation or the box out of it.
 */
describe.skipIf(!hasChromium)('<palco-chat> with lines of its writer kept apart, on a phone', { timeout: 90_000 }, () => {
  const server = useRealtimeServer(databaseTargets[0]!);
  let browser: TestBrowser;
  let event: Awaited<ReturnType<typeof createEvent>>;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    event = await createEvent(server, 'own-lines-phone', { blocked_words: ['banana'], blocked_words_action: 'refuse' });
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function watching(name: string): Promise<{ page: Page; chat: Locator; box: Locator }> {
    const attendee = await attendeeOf(server, event.slug, name);
    const page = await journeyPage(browser, { ...englishPhone, cookie: { name: `palco_e${event.id}`, value: attendee.token, url: server.url } });
    await page.clock.install();
    await page.goto(`${server.url}/e/${event.slug}/watch?lang=en`);
    const chat = page.locator('palco-chat');
    const box = chat.getByRole('textbox', { name: 'Chat message' });
    await box.fill(`Hello, I am ${name}`);
    await box.press('Enter');
    await chat.locator('[role="log"]').getByText(`Hello, I am ${name}`, { exact: true }).waitFor();
    return { page, chat, box };
  }

  async function sendAll(box: Locator, lines: string[]) {
    for (const line of lines) {
      await box.fill(line);
      await box.press('Enter');
    }
  }

  it('keeps the conversation and the box in view while several lines wait for the connection', async () => {
    const { page, chat, box } = await watching('Tania Tunnel');
    await page.context().setOffline(true);
    await sendAll(box, ['First from the tunnel', 'Second from the tunnel', 'Third from the tunnel', 'A fourth one, long enough to wrap onto a second line on a phone']);
    // Past the SDK's 10 s request timeout: the socket the network left never answered.
    await page.clock.fastForward(11_000);
    const waiting = chat.getByRole('list', { name: 'Waiting to be sent' });
    await expect.poll(() => waiting.getByText('Sending when the connection returns').count()).toBe(4);

    expect(await partsOutOfView(chat)).toEqual([]);
    await page.context().setOffline(false);
  });

  it('keeps the conversation and the box in view with several lines listed as not sent under it', async () => {
    const { page, chat, box } = await watching('Rita Refused');
    await page.context().setOffline(true);
    await sendAll(box, ['banana one', 'banana two', 'banana three']);
    await box.fill('What I am writing now');
    await page.context().setOffline(false);
    const notSent = chat.getByRole('list', { name: 'Not sent' });
    await page.clock.fastForward(11_000);
    await expect.poll(() => notSent.getByRole('listitem').count(), { timeout: 20_000 }).toBe(3);

    expect(await partsOutOfView(chat)).toEqual([]);
    expect(await box.inputValue()).toBe('What I am writing now');
  });

  it('keeps the keyboard in the chat when a line not sent is edited again or discarded', async () => {
    const { page, chat, box } = await watching('Kim Keyboard');
    await page.context().setOffline(true);
    await sendAll(box, ['banana first', 'banana second']);
    await box.fill('A draft');
    await page.context().setOffline(false);
    const notSent = chat.getByRole('list', { name: 'Not sent' });
    await page.clock.fastForward(11_000);
    await expect.poll(() => notSent.getByRole('listitem').count(), { timeout: 20_000 }).toBe(2);
    /** The element that has the keyboard, inside the chat's shadow root: its text, or the box's value. */
    const focused = () =>
      chat.evaluate((host) => {
        const active = host.shadowRoot!.activeElement;
        return active instanceof HTMLTextAreaElement ? `the box: ${active.value}` : active ? `${active.tagName.toLowerCase()}: ${active.textContent}` : 'outside the chat';
      });

    await notSent.getByRole('button', { name: 'Edit again' }).first().focus();
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('the box: banana first');

    await notSent.getByRole('button', { name: 'Discard' }).first().focus();
    await page.keyboard.press('Enter');
    expect(await notSent.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('banana second')]);
    expect(await focused()).toBe('button: Edit again');

    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await notSent.count()).toBe(0);
    expect(await focused()).toBe('the box: banana first');
  });
});
