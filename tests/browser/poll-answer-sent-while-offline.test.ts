import { beforeAll, describe, expect, it } from 'vitest';
import type { PollsSnapshot } from '@palco/sdk/protocol';
import { hasChromium, journeyPage, keepWidgetToken } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useRealtimeServer } from '../realtime/support.js';
import { useProducerEvent } from '../support/producer-event.js';

const slug = 'voto-en-el-tunel';

/*
 * The network goes while the socket still looks open, and the attendee answers a poll: the
 * answer rides on a socket that will never answer. It must wait for the connection as chat
 * lines do ("Se enviará al volver la conexión"), not fail, and count once when it returns.
 */
describe.skipIf(!hasChromium)('<palco-polls> answering while the network is gone, in Chromium', { timeout: 90_000 }, () => {
  const server = useRealtimeServer(databaseTargets[0]!);
  const suite = useProducerEvent(server, slug, 'Tania Túnel');
  let pollId: number;

  beforeAll(async () => {
    pollId = ((await suite.moderator.ok({ type: 'poll_create', kind: 'single', question: '¿Se oye bien?', options: ['Sí', 'No'] })).data as { id: number }).id;
    await suite.moderator.ok({ type: 'poll_open', id: pollId });
  });

  it('shows a poll answer given while the network is gone as waiting for it, never as failed, and counts it once when the network returns', async () => {
    suite.producer.setHtml(`<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title></head><body>
      <script src="${server.url}/embed.js"></script><palco-polls event="${slug}"></palco-polls></body></html>`);
    const page = await journeyPage(suite.browser);
    await keepWidgetToken(page, server.url, slug, suite.attendee.token);
    await page.clock.install();
    await page.goto(suite.producer.origin);
    const polls = page.locator('palco-polls');
    await polls.getByLabel('Sí').waitFor();

    await page.context().setOffline(true);
    await polls.getByLabel('Sí').check();
    await polls.getByRole('button', { name: 'Votar' }).click();
    // Past the SDK's 10 s request timeout: the socket the network left never answered.
    await page.clock.fastForward(11_000);
    await polls.getByText('Se enviará al volver la conexión').waitFor();
    expect(await polls.locator('[role="alert"]').count()).toBe(0);

    await page.context().setOffline(false);
    // Past any reconnect backoff the offline attempts built up (on a loaded machine, more of them).
    await page.clock.fastForward(30_000);
    await polls.getByText('Tu respuesta:').waitFor();
    expect(await polls.locator('[role="alert"]').count()).toBe(0);
    const { body } = await api<PollsSnapshot>(server.url, `/api/events/${slug}/polls`, { token: suite.event.moderator.token });
    expect(body.poll_results.find((results) => results.id === pollId)?.total).toBe(1);
  });
});
