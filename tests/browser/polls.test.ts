import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility } from '../support/axe.js';
import { hasChromium, shoot, startBrowser, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

describe.skipIf(!hasChromium)('a word cloud from the moderator’s panel to the speaker’s big screen, in a real browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let event: Awaited<ReturnType<typeof createEvent>>;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startRealtimeServer(databaseTargets[0]!);
    event = await createEvent(server, 'nube-de-palabras');
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string, token: string): Promise<Page> {
    const page = await browser.newPage({ cookie: { name: `palco_e${event.id}`, value: token, url: server.url } });
    await page.goto(server.url + path);
    return page;
  }

  it('builds and opens a word cloud, takes the attendees’ words, shows the cloud on the board, then closes and reveals it', async () => {
    const moderatorPage = await open(`/e/${event.slug}/mod`, event.moderator.token);
    const panel = moderatorPage.locator('palco-poll-panel');
    await panel.getByLabel('Tipo').selectOption('word_cloud');
    await panel.getByLabel('Pregunta').fill('¿Qué palabra describe esta charla?');
    await panel.getByRole('button', { name: 'Crear borrador' }).click();
    await panel.getByRole('button', { name: 'Abrir' }).click();
    await panel.locator('.poll-row .badge', { hasText: 'Abierta' }).waitFor();

    const attendee = await attendeeOf(server, event.slug, 'Lucía');
    const watchPage = await open(`/e/${event.slug}/watch`, attendee.token);
    const polls = watchPage.locator('palco-polls');
    await polls.getByText('¿Qué palabra describe esta charla?').waitFor();
    await polls.getByLabel('Palabra 1').fill('Inspiradora');
    await polls.getByLabel('Palabra 2').fill('Clara');
    await polls.getByRole('button', { name: 'Enviar' }).click();
    await polls.getByText('Tu respuesta:').waitFor();

    const words = [['inspiradora', 'útil'], ['Inspiradora', 'clara'], ['ÚTIL', 'divertida', 'clara'], ['inspiradora'], ['práctica', 'útil']];
    for (const answer of words) {
      const member = await attendeeOf(server, event.slug);
      const { socket } = await connect(server, { event: event.slug, token: member.token });
      await socket.ok({ type: 'poll_vote', id: Number(await panel.locator('.poll-row').first().getAttribute('data-poll')), words: answer });
      await socket.close();
    }
    await panel.locator('.poll-head .meta', { hasText: '6 respuestas' }).waitFor();

    const board = await open(`/e/${event.slug}/speaker`, event.speaker.token);
    const boardPoll = board.locator('palco-speaker-board').locator('.poll-board');
    await boardPoll.getByText('¿Qué palabra describe esta charla?').waitFor();
    expect(await boardPoll.locator('.cloud-word').count()).toBe(0);

    await panel.getByRole('button', { name: 'Cerrar' }).click();
    await panel.getByRole('button', { name: 'Mostrar resultados' }).click();
    await boardPoll.locator('.cloud-word').first().waitFor();
    const cloud = await boardPoll.locator('.cloud-word').allTextContents();
    expect(cloud[0]).toBe('inspiradora');
    expect(new Set(cloud)).toEqual(new Set(['inspiradora', 'útil', 'clara', 'divertida', 'práctica']));
    const sizes = await boardPoll.locator('.cloud-word').evaluateAll((spans) => spans.map((span) => parseFloat(getComputedStyle(span).fontSize)));
    expect(sizes[0]).toBe(Math.max(...sizes));
    await polls.locator('.cloud-word').first().waitFor();

    for (const page of [board, moderatorPage, watchPage]) {
      const report = await checkAccessibility(page);
      expect(report.violations).toEqual([]);
    }
    await shoot(board, 'poll-word-cloud-board');
    await shoot(moderatorPage, 'poll-panel');
    await shoot(watchPage, 'poll-watch');
  });
});
