import { randomBytes } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Poll, Question } from '@palco/sdk/protocol';
import { ChatMessageRow, PollVoteRow, QuestionRow, QuestionVoteRow } from '../../packages/backend/src/db/models.js';
import { eventually } from '../support/poll.js';
import { clientFrame, closeFrame } from '../support/raw-socket.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, socketUrl, type TestSocket, useRealtimeServer } from './support.js';

/** The TCP socket under a test client, to write frames and a close in one go, as a page that sends and leaves does. */
const tcpOf = (socket: TestSocket) => (socket.ws as unknown as { _socket: Socket })._socket;

/** Client frames of `commands`, each with a ref, as one buffer. */
const commandFrames = (commands: Array<Record<string, unknown>>) =>
  Buffer.concat(commands.map((command, index) => clientFrame(JSON.stringify({ ...command, ref: `last-${index}` }))));

describe.each(databaseTargets)('a client that sends and closes at once on $name', (target) => {
  const server = useRealtimeServer(target);

  it('stores and delivers the chat line sent right before the close frame, though nobody is left to ack it', async () => {
    const event = await createEvent(server, 'ultima-linea');
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const ana = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    tcpOf(ana).write(Buffer.concat([commandFrames([{ type: 'chat', message: 'Me voy, ¡gracias!' }]), closeFrame()]));
    await ana.closed;
    const delivered = await moderator.waitFor('chat', (chat) => chat.message === 'Me voy, ¡gracias!');
    expect(await ChatMessageRow.count({ where: { event_id: event.id, message: 'Me voy, ¡gracias!' } })).toBe(1);
    expect(delivered.user_name).toMatch(/Asistente/);
    await moderator.close();
  });

  it('stores the chat line and the question sent right before the TCP connection is half-closed (FIN, no close frame)', async () => {
    const event = await createEvent(server, 'ultima-pregunta');
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const ana = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    const tcp = tcpOf(ana);
    tcp.write(commandFrames([{ type: 'chat', message: 'Una pregunta antes de irme' }, { type: 'ask', question: '¿Compartirán las diapositivas?' }]));
    tcp.end();
    await moderator.waitFor('chat', (chat) => chat.message === 'Una pregunta antes de irme');
    await moderator.waitFor('pending_question', (question) => question.question === '¿Compartirán las diapositivas?');
    expect(await QuestionRow.count({ where: { event_id: event.id } })).toBe(1);
    await moderator.close();
  });

  it('carries out every command queued behind another when the client closes: chat, question, upvote and poll vote', async () => {
    const event = await createEvent(server, 'cola-al-cerrar');
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const poll = (await moderator.ok({ type: 'poll_create', kind: 'single', question: '¿Repetimos?', options: ['Sí', 'No'] })).data as Poll;
    await moderator.ok({ type: 'poll_open', id: poll.id });
    const asker = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    const asked = (await asker.ok({ type: 'ask', question: '¿Hay descanso?' })).data as Question;
    await moderator.ok({ type: 'approve', id: asked.id });
    const ana = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    const frames = commandFrames([
      { type: 'chat', message: 'Primero' },
      { type: 'chat', message: 'Segundo' },
      { type: 'ask', question: '¿Y después?' },
      { type: 'upvote', id: asked.id },
      { type: 'poll_vote', id: poll.id, choices: [poll.options[0]!.id] },
    ]);
    tcpOf(ana).write(Buffer.concat([frames, closeFrame()]));
    await ana.closed;
    const stored = await eventually(
      async () => ({
        chat: (await ChatMessageRow.findAll({ where: { event_id: event.id }, order: [['id', 'ASC']] })).map((row) => row.message),
        questions: await QuestionRow.count({ where: { event_id: event.id } }),
        upvotes: await QuestionVoteRow.count({ where: { question_id: asked.id } }),
        pollVotes: await PollVoteRow.count({ where: { poll_id: poll.id } }),
      }),
      (found) => found.pollVotes === 1,
    );
    expect(stored).toEqual({ chat: ['Primero', 'Segundo'], questions: 2, upvotes: 1, pollVotes: 1 });
    await Promise.all([moderator.close(), asker.close()]);
  });

  it('carries out a chat line sent with the token and closed before the welcome was ready', async () => {
    const event = await createEvent(server, 'antes-de-bienvenida');
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    // The upgrade request, the chat line and the close leave in one write, so the close is read
    // while the socket is still being admitted, whatever the machine's load.
    const url = new URL(socketUrl(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token, via: 'query' }));
    const tcp = connectTcp(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    tcp.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => tcp.on('close', () => resolve()));
    tcp.write(
      Buffer.concat([
        Buffer.from(
          `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        ),
        commandFrames([{ type: 'chat', message: 'Hola y adiós' }]),
        closeFrame(),
      ]),
    );
    await ended;
    const answer = Buffer.concat(received).toString('latin1');
    expect(answer).toMatch(/^HTTP\/1\.1 101 /);
    // Closed while still being admitted: no welcome ever left, yet the line was sent before the close.
    expect(answer).not.toContain('"type":"welcome"');
    await moderator.waitFor('chat', (chat) => chat.message === 'Hola y adiós');
    await moderator.close();
  });
});
