import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventReport, ParticipantReport, Poll, TablePage, WebhookBody } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';
import { signatureVerifies, startReceiver, type Receiver } from '../webhooks/receiver.js';

describe.each(databaseTargets)('polls in the report, polls.csv and the poll_closed webhook on $name', (target) => {
  const server = useRealtimeServer(target, {}, { webhookPrivateTargets: true, webhooks: { retryDelaysMs: [100], timeoutMs: 3_000, concurrency: 4, pollIntervalMs: 50 } });
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('reports every poll with its results, each answer in polls.csv, answers per attendee and reactions per minute, and posts poll_closed', async () => {
    const event = await createEvent(server, 'informe-encuestas');
    const hook = await api<{ secret: string }>(server.url, `/api/admin/events/${event.id}/webhooks`, {
      token: event.admin,
      body: { url: receiver.url, topics: ['poll_closed'] },
    });
    expect(hook.status).toBe(201);
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const poll = (await moderator.ok({ type: 'poll_create', kind: 'single', question: '¿Repetimos el año que viene?', options: ['Sí', 'No'] })).data as Poll;
    await moderator.ok({ type: 'poll_open', id: poll.id });
    const ana = await attendeeOf(server, event.slug, 'Ana Núñez');
    const luis = await attendeeOf(server, event.slug, 'Luis');
    const anaSocket = (await connect(server, { event: event.slug, token: ana.token })).socket;
    const luisSocket = (await connect(server, { event: event.slug, token: luis.token })).socket;
    await anaSocket.ok({ type: 'poll_vote', id: poll.id, choices: [1] });
    await luisSocket.ok({ type: 'poll_vote', id: poll.id, choices: [2] });
    for (let tap = 0; tap < 3; tap += 1) await anaSocket.ok({ type: 'react', emoji: '👏' });
    await moderator.ok({ type: 'poll_close', id: poll.id });

    const delivered = await eventually(() => receiver.requests.find((request) => request.headers['x-palco-topic'] === 'poll_closed'), undefined, 5_000);
    expect(signatureVerifies(hook.body.secret, delivered.body, delivered.headers['x-palco-signature'] as string | undefined)).toBe(true);
    const body = JSON.parse(delivered.body) as WebhookBody<'poll_closed'>;
    expect(body.data.poll).toMatchObject({ id: poll.id, status: 'closed' });
    expect(body.data.results).toMatchObject({ total: 2, options: [{ id: 1, count: 1 }, { id: 2, count: 1 }] });

    // The reaction counts are written every 5 s.
    const report = await eventually(
      async () => (await api<EventReport>(server.url, `/api/events/${event.slug}/reports`, { token: event.admin })).body,
      (candidate) => candidate.reactions.length > 0,
      8_000,
    );
    expect(report.polls).toEqual([expect.objectContaining({ poll: expect.objectContaining({ id: poll.id }), results: expect.objectContaining({ total: 2 }) })]);
    expect(report.reactions[0]!.counts).toEqual({ '👏': 3 });

    const participants = await api<TablePage<ParticipantReport>>(server.url, `/api/events/${event.slug}/reports/participants`, { token: event.admin });
    expect(participants.body.items.map((row) => [row.name, row.poll_answers])).toEqual(expect.arrayContaining([['Ana Núñez', 1], ['Luis', 1]]));

    const csv = await fetch(`${server.url}/api/events/${event.slug}/reports/polls.csv?lang=en`, { headers: { authorization: `Bearer ${event.admin}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('poll_id,question,kind,answer_id,user_id,attendee,email,answer,answer_status,correct,score,answered_at');
    expect(lines.slice(1).map((line) => line.split(',').slice(5, 8))).toEqual([
      ['Ana Núñez', expect.stringContaining('@'), 'Sí'],
      ['Luis', expect.stringContaining('@'), 'No'],
    ]);
    await Promise.all([moderator.close(), anaSocket.close(), luisSocket.close()]);
  });
});
