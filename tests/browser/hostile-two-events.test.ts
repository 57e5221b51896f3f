import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, type Member, type TestSocket } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/** One event of the page: its moderator and two attendees on sockets, and the page's own attendee. */
interface PageEvent {
  slug: string;
  created: Awaited<ReturnType<typeof createEvent>>;
  moderator: TestSocket;
  attendees: TestSocket[];
  reader: Member;
  /** What was stored, by id: the chat each widget of this event must show, in this order. */
  sent: Map<number, string>;
}

/*
 * A producer's page that shows two events at once (a keynote and a side room), while both
 * rooms' chats arrive as lone messages and bursts: a quiet room's first message leaves alone
 * (a JSON object), what follows within the coalescing window as one JSON array, and the two
 * events' messages are stored in the same group commits.
 */
describe.skipIf(!hasChromium)('two events’ widgets on one producer page', { timeout: 90_000 }, () => {
  let server: TestServer;
  let producer: ProducerSite;
  let browser: TestBrowser;
  const events: PageEvent[] = [];
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startRealtimeServer(databaseTargets[0]!);
    producer = await startProducerSite();
    for (const slug of ['sala-principal', 'sala-lateral']) {
      const created = await createEvent(server, slug, { allowed_origins: [producer.origin] });
      const attendees: TestSocket[] = [];
      for (const name of ['Uno', 'Dos']) {
        const member = await attendeeOf(server, slug, `${name} de ${slug}`);
        attendees.push((await connect(server, { event: slug, token: member.token })).socket);
      }
      const moderator = (await connect(server, { event: slug, token: created.moderator.token })).socket;
      events.push({ slug, created, moderator, attendees, reader: await attendeeOf(server, slug, `Lectora de ${slug}`), sent: new Map() });
    }
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const event of events) for (const socket of [event.moderator, ...event.attendees]) socket.close();
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  /** The producer's page (`%API%` is the backend), signed in to both events as the widgets keep it. */
  async function open(body: string, head = ''): Promise<Page> {
    producer.setHtml(
      `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title>${head}</head><body>${body.replaceAll('%API%', server.url)}</body></html>`,
    );
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const origin = new URL(server.url).origin;
    await page.addInitScript(
      (tokens) => {
        for (const [key, token] of tokens) localStorage.setItem(key!, token!);
      },
      events.map((event) => [`palco:${origin}:${event.slug}:token`, event.reader.token]),
    );
    const errors: string[] = (pageErrors = []);
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(producer.origin);
    return page;
  }

  /** Sends a chat message from `socket` and records it as stored; resolves with its id. */
  async function say(event: PageEvent, socket: TestSocket, text: string): Promise<number> {
    const ack = await socket.ok({ type: 'chat', message: text });
    const id = (ack.data as { id: number }).id;
    event.sent.set(id, text);
    return id;
  }

  /** Every message stored for `event` so far, oldest first, as its chat must show it. */
  const expectedChat = (event: PageEvent) => [...event.sent.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);

  /** The texts of the chat lines `page` shows for `event`, top to bottom. */
  const shownChat = (page: Page, event: PageEvent) => page.locator(`palco-chat[event="${event.slug}"]`).locator('li.message .text').allTextContents();

  /**
   * One round: a lone message in each room after a pause, then both rooms' bursts at once. The
   * attendees write in it only `withAttendees` (they may send 5 messages in 10 s), else the moderators alone.
   */
  async function round(label: string, withAttendees = true) {
    for (const event of events) {
      await say(event, withAttendees ? event.attendees[0]! : event.moderator, `${event.slug}: sola ${label}`);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await Promise.all(
      events.flatMap((event) => [
        ...Array.from({ length: 6 }, (_, index) => say(event, event.moderator, `${event.slug}: ráfaga ${label}.${index + 1}`)),
        ...(withAttendees ? [say(event, event.attendees[1]!, `${event.slug}: en la ráfaga ${label}`)] : []),
      ]),
    );
  }

  it('each event’s chat shows its own messages only, each once and in order, through lone messages and grouped frames', async () => {
    const page = await open(
      `<script src="%API%/embed.js"></script>` +
        events.map((event) => `<section><palco-chat event="${event.slug}"></palco-chat><palco-qa event="${event.slug}"></palco-qa></section>`).join(''),
    );
    for (const event of events) await page.locator(`palco-chat[event="${event.slug}"]`).getByLabel('Mensaje para el chat').waitFor();
    const framesBefore = events.map((event) => event.attendees[0]!.frames.length);
    for (const label of ['1', '2', '3']) await round(label);
    // The page's own readers write in both rooms through the widgets.
    for (const event of events) {
      const chat = page.locator(`palco-chat[event="${event.slug}"]`);
      await chat.getByLabel('Mensaje para el chat').fill(`${event.slug}: desde la página`);
      await chat.getByRole('button', { name: 'Enviar' }).click();
    }
    for (const event of events) {
      const own = await event.attendees[0]!.waitFor('chat', (message) => message.message === `${event.slug}: desde la página`);
      event.sent.set(own.id, own.message);
    }
    for (const event of events) {
      await expect.poll(() => shownChat(page, event), { timeout: 3_000 }).toEqual(expectedChat(event));
    }
    // Both kinds of frame reached the page: lone objects and arrays of several.
    const frames = events.flatMap((event, index) => event.attendees[0]!.frames.slice(framesBefore[index]).filter((frame) => frame.includes('"chat"')));
    expect(frames.some((frame) => frame.startsWith('['))).toBe(true);
    expect(frames.some((frame) => frame.startsWith('{'))).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('a chat the page moves in the turn its newest line comes stays at its newest lines, in both events', async () => {
    for (const event of events) await say(event, event.moderator, `${event.slug}: antes de abrir`);
    const page = await open(
      `<script src="%API%/embed.js"></script><main>` +
        events.map((event) => `<palco-chat event="${event.slug}"></palco-chat>`).join('') +
        '</main><aside></aside>',
    );
    for (const event of events) await page.locator(`palco-chat[event="${event.slug}"]`).getByRole('log').getByText(`${event.slug}: antes de abrir`).waitFor();
    for (const label of ['6', '7']) await round(label, false);
    for (const event of events) await expect.poll(() => shownChat(page, event), { timeout: 3_000 }).toEqual(expectedChat(event));
    // A layout script that moves the widgets as they change: here the moment a line is added,
    // after the chat scrolled to it and before the browser drew it.
    await page.evaluate(() => {
      for (const chat of document.querySelectorAll('palco-chat')) {
        new MutationObserver(() => {
          const column = chat.closest('main') ? document.querySelector('aside')! : document.querySelector('main')!;
          column.append(chat);
        }).observe(chat.shadowRoot!.querySelector('ol')!, { childList: true });
      }
    });
    for (const label of ['8', '9']) {
      await round(label, false);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const event of events) {
      const chat = page.locator(`palco-chat[event="${event.slug}"]`);
      await expect.poll(() => shownChat(page, event), { timeout: 3_000 }).toEqual(expectedChat(event));
      // The reader never scrolled: nothing waits behind a "new messages" button.
      expect(await chat.locator('.new-messages').count()).toBe(0);
    }
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('each event’s questions and polls show only in its own widgets', async () => {
    const page = await open(
      `<script src="%API%/embed.js"></script>` +
        events.map((event) => `<section><palco-qa event="${event.slug}"></palco-qa><palco-polls event="${event.slug}"></palco-polls></section>`).join(''),
    );
    for (const event of events) await page.locator(`palco-qa[event="${event.slug}"]`).getByText('Todavía no hay preguntas aprobadas.').waitFor();
    await Promise.all(
      events.map(async (event) => {
        const poll = (await event.moderator.ok({ type: 'poll_create', kind: 'single', question: `¿Encuesta de ${event.slug}?`, options: ['Sí', 'No'] })).data as { id: number };
        await event.moderator.ok({ type: 'poll_open', id: poll.id });
        const asked = await Promise.all(event.attendees.map((attendee, index) => attendee.ok({ type: 'ask', question: `¿Pregunta ${index + 1} de ${event.slug}?` })));
        await Promise.all(asked.map((ack) => event.moderator.ok({ type: 'approve', id: (ack.data as { id: number }).id })));
      }),
    );
    for (const event of events) {
      const other = events.find((candidate) => candidate !== event)!;
      const qa = page.locator(`palco-qa[event="${event.slug}"]`);
      await expect.poll(() => qa.locator('.questions li.question .text').allTextContents(), { timeout: 3_000 }).toEqual([1, 2].map((n) => `¿Pregunta ${n} de ${event.slug}?`));
      const polls = page.locator(`palco-polls[event="${event.slug}"]`);
      await polls.getByText(`¿Encuesta de ${event.slug}?`).waitFor();
      expect(await polls.getByText(`¿Encuesta de ${other.slug}?`).count()).toBe(0);
    }
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
