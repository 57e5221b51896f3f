import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, type Member } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const hourMs = 3_600_000;

/*
 * The week's journey states (waiting room, replay, the chat's history) on a producer's page of
 * another origin that gets in the way: its scripts replace globals, its CSS and policies are odd.
 */
describe.skipIf(!hasChromium)('the journey’s widgets on a hostile producer page', { timeout: 60_000 }, () => {
  let server: TestServer;
  let producer: ProducerSite;
  let browser: TestBrowser;
  let live: Awaited<ReturnType<typeof createEvent>>;
  let scheduled: Awaited<ReturnType<typeof createEvent>>;
  let attendee: Member;
  let scheduledAttendee: Member;
  let startsAt: string;
  let pageErrors: string[] = [];
  /** What Palco wrote to the console as errors, heard from before the page loads: a refused socket can be reported before `goto` returns. */
  let palcoConsoleErrors: string[] = [];

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startRealtimeServer(databaseTargets[0]!);
    producer = await startProducerSite();
    live = await createEvent(server, 'hostil-en-vivo', { allowed_origins: [producer.origin] });
    startsAt = new Date(Math.ceil((Date.now() + 26.5 * hourMs) / 60_000) * 60_000).toISOString();
    scheduled = await createEvent(server, 'hostil-programado', {
      allowed_origins: [producer.origin],
      starts_at: startsAt,
      ends_at: new Date(Date.parse(startsAt) + 2 * hourMs).toISOString(),
      time_zone: 'America/Mexico_City',
      video_url: 'https://127.0.0.1:9/directo.mp4',
    });
    attendee = await attendeeOf(server, live.slug, 'Ana Anfitriona');
    scheduledAttendee = await attendeeOf(server, scheduled.slug, 'Eva Espera');
    // 180 messages of history: more than the 50 the chat starts with, so it pages back.
    const rows = Array.from({ length: 180 }, (_, index) => ({
      user_id: attendee.user.id, user_name: 'Ana Anfitriona', message: `Mensaje número ${index + 1}`, event_id: live.id, created_at: new Date(Date.now() - (200 - index) * 1000),
    }));
    await server.deps.db.sequelize.getQueryInterface().bulkInsert('chat_messages', rows);
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  /** The producer's page (`%API%` is the backend), signed in to both events as the widgets keep it. */
  async function open(body: string, options: { head?: string; headers?: Record<string, string>; timezoneId?: string } = {}): Promise<Page> {
    producer.setHtml(
      `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title>${options.head ?? ''}</head><body>${body.replaceAll('%API%', server.url)}</body></html>`,
      options.headers,
    );
    const page = await browser.newPage(options.timezoneId ? { timezoneId: options.timezoneId } : {});
    page.setDefaultTimeout(10_000);
    const origin = new URL(server.url).origin;
    await page.addInitScript(
      (tokens) => {
        for (const [key, token] of tokens) localStorage.setItem(key!, token!);
      },
      [
        [`palco:${origin}:${live.slug}:token`, attendee.token],
        [`palco:${origin}:${scheduled.slug}:token`, scheduledAttendee.token],
      ],
    );
    const errors: string[] = (pageErrors = []);
    page.on('pageerror', (error) => errors.push(error.message));
    const consoleErrors: string[] = (palcoConsoleErrors = []);
    page.on('console', (message) => void (message.type() === 'error' && message.text().startsWith('Palco:') && consoleErrors.push(message.text())));
    await page.goto(producer.origin);
    return page;
  }

  it('the chat pages back to its start on a page that unsets every element, zooms, turns, scrolls smoothly and hides its overflow', async () => {
    const page = await open(`<script src="%API%/embed.js"></script><div class="frame"><palco-chat event="${live.slug}"></palco-chat></div>`, {
      head: `<style>
        * { all: unset; scroll-behavior: smooth !important; }
        html { zoom: 1.37; direction: rtl; }
        body { overflow: hidden; font-size: 10px; }
        .frame { display: block; transform: scale(0.83) rotate(0.5deg); }
        ::-webkit-scrollbar { width: 30px; }
        palco-chat { display: inline; zoom: 0.71; }
      </style>`,
    });
    const chat = page.locator('palco-chat');
    const log = chat.getByRole('log');
    await log.getByText('Mensaje número 180').waitFor();
    // The list scrolls inside its own height instead of growing with the page.
    const box = await log.evaluate((element) => ({ scrollHeight: element.scrollHeight, clientHeight: element.clientHeight }));
    expect(box.scrollHeight).toBeGreaterThan(box.clientHeight);
    // Scrolled up, older pages come in until the first message, each keeping the reader's line.
    for (let step = 0; step < 10 && (await chat.getByText('Inicio del chat').count()) === 0; step += 1) {
      await log.evaluate((element) => element.scrollTo({ top: 0, behavior: 'instant' }));
      await page.waitForTimeout(300);
    }
    await chat.getByText('Inicio del chat').waitFor();
    expect(await log.locator('li.message').count()).toBe(180);
    await log.getByText('Mensaje número 1', { exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('a page with Prototype.js’s toJSON on arrays and objects still votes in a poll and chats', async () => {
    const { socket: moderator } = await connect(server, { event: live.slug, token: live.moderator.token });
    const poll = (await moderator.ok({ type: 'poll_create', kind: 'multiple', question: '¿Qué temas?', options: ['Uno', 'Dos', 'Tres'], max_choices: 2 })).data as { id: number };
    await moderator.ok({ type: 'poll_open', id: poll.id });
    const page = await open(`
      <script>
        // Prototype.js 1.6 writes arrays (and, through Object.toJSON, objects) as its own strings.
        Array.prototype.toJSON = function () { return '[' + this.join(', ') + ']'; };
        Object.defineProperty(Object.prototype, 'toJSON', { value: function () { return String(this); }, configurable: true, writable: true });
      </script>
      <script src="%API%/embed.js"></script>
      <palco-polls event="${live.slug}"></palco-polls>
      <palco-chat event="${live.slug}"></palco-chat>`);
    const polls = page.locator('palco-polls');
    await polls.getByText('¿Qué temas?').waitFor();
    await polls.getByLabel('Uno').check();
    await polls.getByLabel('Tres').check();
    await polls.getByRole('button', { name: 'Votar' }).click();
    await polls.getByText('Tu respuesta:').waitFor();
    const chat = page.locator('palco-chat');
    await chat.getByLabel('Mensaje para el chat').fill('Hola desde Prototype');
    await chat.getByRole('button', { name: 'Enviar' }).click();
    await chat.getByRole('log').getByText('Hola desde Prototype').waitFor();
    expect(pageErrors).toEqual([]);
    moderator.close();
    await page.close();
  });

  it('a page that moves its widgets keeps what the reader typed, their place in the chat and the running countdown', async () => {
    const page = await open(`
      <script src="%API%/embed.js"></script>
      <main><palco-player event="${scheduled.slug}"></palco-player><palco-chat event="${live.slug}"></palco-chat><palco-qa event="${live.slug}"></palco-qa></main>
      <aside></aside>`);
    const chat = page.locator('palco-chat');
    const log = chat.getByRole('log');
    await log.locator('li.message').first().waitFor();
    await chat.getByLabel('Mensaje para el chat').fill('Borrador a medias');
    await page.locator('palco-qa').getByRole('textbox').first().fill('¿Una pregunta a medias?');
    // Scrolled up to read, away from both ends (no page loads).
    await log.evaluate((element) => element.scrollTo({ top: 400, behavior: 'instant' }));
    await chat.getByRole('button', { name: /mensajes? nuevos?/ }).or(chat.locator('.history-line')).first().waitFor({ state: 'attached' });
    await page.waitForTimeout(300);
    const before = await log.evaluate((element) => element.scrollTop);
    expect(before).toBeGreaterThan(200);
    // A layout script moving everything into another column, as on a resize.
    await page.evaluate(() => {
      const aside = document.querySelector('aside')!;
      for (const element of document.querySelectorAll('main > *')) aside.append(element);
    });
    expect(await chat.getByLabel('Mensaje para el chat').inputValue()).toBe('Borrador a medias');
    expect(await page.locator('palco-qa').getByRole('textbox').first().inputValue()).toBe('¿Una pregunta a medias?');
    expect(await log.evaluate((element) => element.scrollTop)).toBe(before);
    // The countdown keeps ticking after the move.
    const countdown = page.locator('palco-player').locator('.countdown');
    const shown = await countdown.innerText();
    await expect.poll(() => countdown.innerText(), { timeout: 3_000 }).not.toBe(shown);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('a page whose Content-Security-Policy leaves the socket out says so in each widget and once in the console, not “Cargando…” for ever', async () => {
    const backend = new URL(server.url).origin;
    const policy = `script-src ${backend}; connect-src ${backend}`;
    const body = `<script src="%API%/embed.js"></script><palco-chat event="${live.slug}"></palco-chat><palco-qa event="${live.slug}"></palco-qa>`;
    const page = await open(body, { headers: { 'Content-Security-Policy': policy } });
    const errors = palcoConsoleErrors;
    const refused = 'Esta página no permite conexiones en directo (WebSocket): el chat, las preguntas y las encuestas no pueden funcionar aquí.';
    await page.locator('palco-chat').getByRole('alert').getByText(refused).waitFor();
    await page.locator('palco-qa').getByRole('alert').getByText(refused).waitFor();
    await expect.poll(() => errors).toEqual([
      `Palco: this page's Content-Security-Policy (connect-src) does not allow ${backend.replace('http', 'ws')}, so the widgets cannot go live; add it to connect-src.`,
    ]);
    await page.close();
    // A report-only policy blocks nothing: the chat goes live.
    const reporting = await open(body, { headers: { 'Content-Security-Policy-Report-Only': policy } });
    await reporting.locator('palco-chat').getByLabel('Mensaje para el chat').waitFor();
    await reporting.close();
  });

  it('a page whose Intl throws still shows the waiting room’s start, countdown and calendar links, and the chat’s times', async () => {
    const page = await open(
      `<script>
        // A partial polyfill that took the place of the browser's own.
        for (const name of ['DateTimeFormat', 'NumberFormat', 'ListFormat']) {
          const broken = function () { throw new RangeError('Intl.' + name + ' is not supported here'); };
          broken.supportedLocalesOf = broken;
          Intl[name] = broken;
        }
      </script>
      <script src="%API%/embed.js"></script>
      <palco-player event="${scheduled.slug}"></palco-player>
      <palco-chat event="${live.slug}"></palco-chat>`,
      { timezoneId: 'Europe/Madrid' },
    );
    const player = page.locator('palco-player');
    await player.locator('.countdown').waitFor();
    expect(await player.locator('.countdown').innerText()).toMatch(/^1 d 2 h \d{2} min \d{2} s$/);
    // The start in plain figures: the reader's clock (Madrid), and the event's zone in UTC.
    const start = new Date(startsAt);
    const madrid = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Madrid', dateStyle: 'short', timeStyle: 'short' }).format(start);
    expect(await player.locator('time').innerText()).toContain(madrid);
    expect(await player.locator('.waiting-zone').innerText()).toContain(`${start.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    await player.getByRole('link', { name: 'Google Calendar' }).waitFor();
    const firstLine = page.locator('palco-chat').getByRole('log').locator('li.message time').first();
    expect(await firstLine.innerText()).toMatch(/^\d{2}:\d{2}$/);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
