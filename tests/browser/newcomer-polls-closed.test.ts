import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility } from '../support/axe.js';
import { hasChromium, englishPhone, journeyPage, overflowingParts, startBrowser, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, type TestSocket } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/*
 * A newcomer on a phone, in English, answers a poll; the moderators close it with the results
 * hidden, reveal them, and hide them again, while the newcomer reads along and reloads.
 */
describe.skipIf(!hasChromium)('a closed poll in a newcomer’s panel on a phone, in English', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startRealtimeServer(databaseTargets[0]!);
    event = await createEvent(server, 'encuesta-cerrada');
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await moderator?.close();
    await browser?.close();
    await server?.stop();
  });

  async function phone(token: string): Promise<Page> {
    const page = await journeyPage(browser, {
      ...englishPhone,
      cookie: { name: `palco_e${event.id}`, value: token, url: server.url },
    });
    await page.goto(`${server.url}/e/${event.slug}/watch`);
    return page;
  }

  async function openPoll(question: string, options: string[]): Promise<number> {
    const poll = (await moderator.ok({ type: 'poll_create', kind: 'single', question, options })).data as { id: number };
    await moderator.ok({ type: 'poll_open', id: poll.id });
    return poll.id;
  }

  it('keeps the answered poll through close, reveal and hide, with the results only while they are published', async () => {
    const question = 'Which session did you like most?';
    const pollId = await openPoll(question, ['The keynote', 'The workshop']);
    const newcomer = await attendeeOf(server, event.slug, 'Nora Newcomer');
    const page = await phone(newcomer.token);
    const polls = page.locator('palco-polls');
    await polls.getByText(question).waitFor();
    await polls.getByLabel('The workshop').check();
    await polls.getByRole('button', { name: 'Vote' }).click();
    await polls.getByText('Your answer:').waitFor();

    const card = polls.locator('article.poll');
    const awaiting = card.getByText('The results will show once the moderators publish them.');
    const results = card.locator('.results');
    /** What the newcomer reads in the card once it is closed, this step and after a reload. */
    const closedCard = async (published: boolean) => {
      for (const reloaded of [false, true]) {
        if (reloaded) await page.reload();
        await card.locator('.badge', { hasText: 'Closed' }).waitFor();
        await (published ? results : awaiting).waitFor();
        expect(await card.locator('.own').innerText()).toBe('Your answer: The workshop');
        expect(await awaiting.count()).toBe(published ? 0 : 1);
        expect(await results.count()).toBe(published ? 1 : 0);
        expect(await overflowingParts(polls)).toEqual([]);
        expect((await checkAccessibility(page)).violations).toEqual([]);
      }
    };

    await moderator.ok({ type: 'poll_close', id: pollId });
    await closedCard(false);
    await moderator.ok({ type: 'poll_reveal', id: pollId, visible: true });
    await closedCard(true);
    expect(await results.innerText()).toContain('The workshop\n100%');
    // Hidden again, the results leave the panel at once, as a reload shows it.
    await moderator.ok({ type: 'poll_reveal', id: pollId, visible: false });
    await closedCard(false);
  });
});
