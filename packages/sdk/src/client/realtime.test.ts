import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../protocol/codes.js';
import { ClientMessageSchema } from '../protocol/socket.js';
import { validate } from '../protocol/validate.js';
import { createClient, type ClientOptions, type PalcoClient } from './create-client.js';
import type { Question } from '../protocol/models.js';
import { questionDefaults } from '../protocol/question-messages.js';
import type { PageSignals } from './environment.js';
import { PalcoError } from './errors.js';
import type { ClientEventName, ClientEvents, StateChange } from './events.js';
import { FakeServer, type FakeServerOptions } from './test-support/fake-server.js';

let server: FakeServer;
let clients: PalcoClient[] = [];

function clientFor(options: Partial<ClientOptions> = {}): PalcoClient {
  const client = createClient({
    baseUrl: server.baseUrl,
    event: 'demo',
    WebSocket,
    token: 'secret-token',
    reconnect: { baseMs: 10, maxMs: 40 },
    random: () => 0.5,
    requestTimeoutMs: 2_000,
    ...options,
  });
  clients.push(client);
  return client;
}

function record<E extends ClientEventName>(client: PalcoClient, name: E): Array<ClientEvents[E]> {
  const seen: Array<ClientEvents[E]> = [];
  client.on(name, (payload) => void seen.push(payload));
  return seen;
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

async function startServer(options: FakeServerOptions = {}) {
  await server?.close();
  server = await FakeServer.start(options);
}

beforeEach(async () => {
  server = await FakeServer.start();
});

afterEach(async () => {
  for (const client of clients) client.disconnect();
  clients = [];
  await server.close();
});

describe('connecting', () => {
  it('authenticates with the first frame, keeps the token out of the URL and resolves with the welcome', async () => {
    const client = clientFor();
    const states = record(client, 'state');
    const welcome = await client.connect();
    const connection = await server.connection(0);

    expect(connection.received[0]).toEqual({ type: 'auth', token: 'secret-token' });
    expect(connection.url).toBe('/ws?event=demo&lang=es');
    expect(welcome.user.name).toBe('Ana');
    expect(client.state).toBe('connected');
    expect(states.map(({ previous, current, reason }) => [previous, current, reason])).toEqual([
      ['disconnected', 'connecting', 'connect_called'],
      ['connecting', 'connected', 'connected'],
    ]);
  });

  it('delivers every message of a coalesced array frame, in order', async () => {
    const client = clientFor();
    const chat = record(client, 'chat');
    const votes = record(client, 'question_votes');
    await client.connect();
    (await server.connection(0)).send([
      { type: 'chat', ...server.addChat(1) },
      { type: 'question_votes', id: 3, upvotes: 2 },
      { type: 'chat', ...server.addChat(2) },
    ]);
    await vi.waitFor(() => expect(chat.map((message) => message.id)).toEqual([1, 2]));
    expect(votes).toEqual([{ type: 'question_votes', id: 3, upvotes: 2 }]);
  });
});

describe('requests', () => {
  it('matches acks and errors to their requests by ref', async () => {
    const client = clientFor();
    await client.connect();
    const connection = await server.connection(0);

    const first = client.chat('hola');
    const second = client.ask('¿Cuándo empieza?');
    const third = client.approve(99);
    await vi.waitFor(() => expect(connection.received).toHaveLength(4));
    const [, chatFrame, askFrame, approveFrame] = connection.received as Array<{ ref: number }>;

    const question = { id: 5, question: '¿Cuándo empieza?', status: 'pending' };
    connection.send([
      { type: 'error', ref: approveFrame!.ref, code: 'question_not_found', message: 'No existe' },
      { type: 'ack', ref: askFrame!.ref, id: 5, data: question },
      { type: 'ack', ref: chatFrame!.ref, id: 1, data: server.addChat(1, 'hola') },
    ]);

    await expect(first).resolves.toMatchObject({ id: 1, message: 'hola' });
    await expect(second).resolves.toEqual(question);
    await expect(third).rejects.toMatchObject({ name: 'PalcoError', code: 'question_not_found', message: 'No existe' });
  });

  it('rejects with timeout when no ack arrives, and ignores the late ack', async () => {
    const client = clientFor({ requestTimeoutMs: 50 });
    const errors = record(client, 'error');
    await client.connect();
    const pending = client.approve(3);
    await expect(pending).rejects.toMatchObject({ code: 'timeout' });

    const connection = await server.connection(0);
    const approve = await connection.receive('approve');
    connection.send({ type: 'ack', ref: approve.ref! });
    await sleep(30);
    expect(errors).toEqual([]);
  });

  it('hands an error without a ref to the error listeners', async () => {
    const client = clientFor();
    const errors = record(client, 'error');
    await client.connect();
    (await server.connection(0)).send({ type: 'error', code: 'rate_limited', message: 'Espera', retry_after: 4 });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toBeInstanceOf(PalcoError);
    expect(errors[0]).toMatchObject({ code: 'rate_limited', retryAfter: 4 });
  });

  it('rejects sends with disconnected before connect and after disconnect', async () => {
    const client = clientFor();
    await expect(client.chat('antes')).rejects.toMatchObject({ code: 'disconnected' });
    await client.connect();
    const pending = client.ask('¿Sigue ahí?');
    client.disconnect();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    await expect(client.chat('después')).rejects.toMatchObject({ code: 'disconnected' });
    expect(client.state).toBe('disconnected');
  });

  it('sends messages queued while reconnecting once, after the welcome', async () => {
    const client = clientFor({ reconnect: { baseMs: 100, maxMs: 100 } });
    const connected = client.connect();
    const early = client.chat('mientras conecta');
    await connected;
    const first = await server.connection(0);
    const earlyFrame = await first.receive('chat');
    first.send({ type: 'ack', ref: earlyFrame.ref!, data: server.addChat(1, 'mientras conecta') });
    await early;

    first.close(CloseCode.serverRestarting);
    await vi.waitFor(() => expect(client.state).toBe('connecting'));
    const queued = client.chat('mientras reconecta');
    const second = await server.connection(1);
    const queuedFrame = await second.receive('chat');
    second.send({ type: 'ack', ref: queuedFrame.ref!, data: server.addChat(2, 'mientras reconecta') });
    await expect(queued).resolves.toMatchObject({ id: 2 });

    expect(second.received.map((message) => message.type)).toEqual(['auth', 'chat']);
    expect(first.received.filter((message) => message.type === 'chat')).toHaveLength(1);
    await sleep(150);
    expect(server.connections).toHaveLength(2);
    expect(second.received.filter((message) => message.type === 'chat')).toHaveLength(1);
  });

  it('sends again, after the wait it asks for, a request the server could not serve for now', async () => {
    const client = clientFor();
    const errors = record(client, 'error');
    await client.connect();
    const connection = await server.connection(0);
    const pending = client.chat('sin base de datos');
    const first = await connection.receive('chat');
    connection.send({ type: 'error', ref: first.ref!, code: 'service_unavailable', message: 'Vuelve a intentarlo', retry_after: 0.1 });
    await vi.waitFor(() => expect(connection.received.filter((message) => message.type === 'chat')).toHaveLength(2));
    const second = connection.received.filter((message) => message.type === 'chat')[1]!;
    expect(second).toEqual(first);
    connection.send({ type: 'ack', ref: second.ref!, data: server.addChat(1, 'sin base de datos') });
    await expect(pending).resolves.toMatchObject({ id: 1 });
    expect(errors).toEqual([]);
  });

  it('sends again, on the next socket, requests left unanswered by a server that restarts (1012)', async () => {
    const client = clientFor();
    await client.connect();
    const first = await server.connection(0);
    const pending = client.chat('durante el reinicio');
    const unanswered = await first.receive('chat');
    first.close(CloseCode.serverRestarting);
    const second = await server.connection(1);
    const resent = await second.receive('chat');
    expect(resent).toEqual(unanswered);
    second.send({ type: 'ack', ref: resent.ref!, data: server.addChat(1, 'durante el reinicio') });
    await expect(pending).resolves.toMatchObject({ id: 1 });
  });

  it('sends a chat message and a question again, with the same cid, after the socket dropped unanswered', async () => {
    const client = clientFor();
    await client.connect();
    const first = await server.connection(0);
    const chat = client.chat('se pierde el ack');
    const question = client.ask('¿Llega una vez?');
    const lostChat = await first.receive('chat');
    const lostQuestion = await first.receive('ask');
    first.drop();
    const second = await server.connection(1);
    const resentChat = await second.receive('chat');
    const resentQuestion = await second.receive('ask');
    expect(resentChat.cid).toBe(lostChat.cid);
    expect(resentQuestion.cid).toBe(lostQuestion.cid);
    second.send([
      { type: 'ack', ref: resentChat.ref!, id: 1, data: server.addChat(1, 'se pierde el ack') },
      { type: 'ack', ref: resentQuestion.ref!, id: 7, data: { id: 7, question: '¿Llega una vez?', status: 'pending' } },
    ]);
    await expect(chat).resolves.toMatchObject({ id: 1 });
    await expect(question).resolves.toMatchObject({ id: 7 });
  });

  it('gives each chat message and question a cid of its own that the protocol accepts', async () => {
    const client = clientFor();
    await client.connect();
    const connection = await server.connection(0);
    void client.chat('uno').catch(() => {});
    void client.chat('uno').catch(() => {});
    void client.ask('¿Dos?').catch(() => {});
    await vi.waitFor(() => expect(connection.received).toHaveLength(4));
    const cids = connection.received.slice(1).map((frame) => ('cid' in frame ? frame.cid : undefined));
    expect(new Set(cids).size).toBe(3);
    for (const frame of connection.received.slice(1)) expect(validate(ClientMessageSchema, frame).ok).toBe(true);
  });

  it('fails the other requests that were on a socket that dropped: they may have been done', async () => {
    const client = clientFor();
    await client.connect();
    const connection = await server.connection(0);
    const pending = client.approve(3);
    await connection.receive('approve');
    connection.drop();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('sends a poll answer and an upvote again after the socket dropped unanswered: the server does each once per person', async () => {
    const client = clientFor();
    await client.connect();
    const first = await server.connection(0);
    const vote = client.vote(4, { choices: [1] });
    const upvote = client.upvote(3);
    await first.receive('poll_vote');
    await first.receive('upvote');
    first.drop();
    const second = await server.connection(1);
    const resentVote = await second.receive('poll_vote');
    const resentUpvote = await second.receive('upvote');
    expect(resentVote).toMatchObject({ id: 4, choices: [1] });
    expect(resentUpvote).toMatchObject({ id: 3 });
    const counted = { poll_id: 4, choices: [1] };
    second.send([
      { type: 'ack', ref: resentVote.ref!, data: counted },
      { type: 'error', ref: resentUpvote.ref!, code: 'already_voted', message: 'Ya votaste' },
    ]);
    await expect(vote).resolves.toEqual(counted);
    await expect(upvote).rejects.toMatchObject({ code: 'already_voted' });
  });

});

/** Whether a promise has settled yet, and how, without waiting for it. */
function watchOutcome(promise: Promise<unknown>) {
  const outcome: { settled: 'resolved' | 'rejected' | null; value?: unknown } = { settled: null };
  promise.then(
    (value) => Object.assign(outcome, { settled: 'resolved', value }),
    (error) => Object.assign(outcome, { settled: 'rejected', value: error }),
  );
  return outcome;
}

describe('requests while the connection is away', () => {
  /**
   * A client whose connection dropped and whose next socket is open but not welcomed: it is
   * reconnecting until the test sends `second` a welcome by hand.
   */
  async function clientWaitingForItsConnection(options: Partial<ClientOptions>) {
    await startServer({ welcome: (connection) => (connection === server.connections[0] ? server.welcome() : null) });
    const client = clientFor(options);
    await client.connect();
    (await server.connection(0)).drop();
    const second = await server.connection(1);
    await second.receive('auth');
    return { client, second };
  }

  it('keeps requests made while reconnecting waiting past their timeout, then sends each once when the connection returns', async () => {
    const { client, second } = await clientWaitingForItsConnection({ requestTimeoutMs: 600 });
    const chat = watchOutcome(client.chat('mientras no hay conexión'));
    const question = watchOutcome(client.ask('¿Llega al volver?'));
    const vote = watchOutcome(client.vote(4, { choices: [2] }));
    await sleep(1_300);
    expect([chat.settled, question.settled, vote.settled]).toEqual([null, null, null]);

    second.send(server.welcome());
    const chatFrame = await second.receive('chat');
    // Refused for now on arrival (the long wait does not count against its retries), then stored.
    second.send({ type: 'error', ref: chatFrame.ref!, code: 'rate_limited', message: 'Espera', retry_after: 0.05 });
    await vi.waitFor(() => expect(second.received.filter((message) => message.type === 'chat')).toHaveLength(2));
    const askFrame = await second.receive('ask');
    const voteFrame = await second.receive('poll_vote');
    second.send([
      { type: 'ack', ref: chatFrame.ref!, id: 1, data: server.addChat(1, 'mientras no hay conexión') },
      { type: 'ack', ref: askFrame.ref!, id: 9, data: { id: 9, question: '¿Llega al volver?', status: 'pending' } },
      { type: 'ack', ref: voteFrame.ref!, data: { poll_id: 4, choices: [2] } },
    ]);
    await vi.waitFor(() => expect([chat.settled, question.settled, vote.settled]).toEqual(['resolved', 'resolved', 'resolved']));
    expect(chat.value).toMatchObject({ id: 1 });
    expect(second.received.map((message) => message.type)).toEqual(['auth', 'chat', 'ask', 'poll_vote', 'chat']);
  });

  it('does not fail a chat message or a question the socket never answers: it connects again and sends them with the same cid', async () => {
    const client = clientFor({ requestTimeoutMs: 150 });
    const errors = record(client, 'error');
    await client.connect();
    const first = await server.connection(0);
    const chat = watchOutcome(client.chat('sin respuesta'));
    const question = watchOutcome(client.ask('¿Hay alguien?'));
    const unansweredChat = await first.receive('chat');
    const unansweredQuestion = await first.receive('ask');

    await vi.waitFor(() => expect(server.connections).toHaveLength(2), { timeout: 1_000 });
    const second = server.connections[1]!;
    const resentChat = await second.receive('chat');
    const resentQuestion = await second.receive('ask');
    expect([chat.settled, question.settled]).toEqual([null, null]);
    expect([resentChat.cid, resentQuestion.cid]).toEqual([unansweredChat.cid, unansweredQuestion.cid]);
    second.send([
      { type: 'ack', ref: resentChat.ref!, id: 1, data: server.addChat(1, 'sin respuesta') },
      { type: 'ack', ref: resentQuestion.ref!, id: 3, data: { id: 3, question: '¿Hay alguien?', status: 'pending' } },
    ]);
    await vi.waitFor(() => expect([chat.settled, question.settled]).toEqual(['resolved', 'resolved']));
    expect(errors).toEqual([]);
  });

  it('does not fail a vote the socket never answers: it connects again and sends it there, where the server counts it once', async () => {
    const client = clientFor({ requestTimeoutMs: 150 });
    await client.connect();
    const first = await server.connection(0);
    const vote = watchOutcome(client.vote(4, { choices: [2] }));
    await first.receive('poll_vote');
    const second = await server.connection(1);
    const resent = await second.receive('poll_vote');
    expect(vote.settled).toBe(null);
    const counted = { poll_id: 4, choices: [2] };
    second.send({ type: 'ack', ref: resent.ref!, data: counted });
    await vi.waitFor(() => expect(vote).toEqual({ settled: 'resolved', value: counted }));
  });

  it('drops a reaction the connection did not return in time for, and never sends it later', async () => {
    const { client, second } = await clientWaitingForItsConnection({ requestTimeoutMs: 150 });
    await expect(client.react('👏')).rejects.toMatchObject({ code: 'timeout' });
    second.send(server.welcome());
    await vi.waitFor(() => expect(client.state).toBe('connected'));
    await sleep(100);
    expect(second.received.map((message) => message.type)).toEqual(['auth']);
  });
});

describe('sending while the server is busy', () => {
  it('stores every one of 60 messages sent while reconnecting: the outbox is paced, none is refused', async () => {
    await startServer({ commandQueue: { capacity: 32, serviceMs: 2, retryAfter: 0.05 } });
    const client = clientFor({ requestTimeoutMs: 10_000 });
    const errors = record(client, 'error');
    await client.connect();
    (await server.connection(0)).drop();
    const sent = Array.from({ length: 60 }, (_, n) => client.chat(`mensaje ${n + 1}`));
    const stored = await Promise.all(sent);
    expect(stored.map((message) => message.message)).toEqual(Array.from({ length: 60 }, (_, n) => `mensaje ${n + 1}`));
    expect(server.chat).toHaveLength(60);
    expect(server.refusedCommands).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('stores every message even behind a server queue smaller than the client’s window: refusals are retried, not reported', async () => {
    await startServer({ commandQueue: { capacity: 6, serviceMs: 5, retryAfter: 0.05 } });
    const client = clientFor({ requestTimeoutMs: 10_000 });
    const errors = record(client, 'error');
    await client.connect();
    (await server.connection(0)).drop();
    const stored = await Promise.all(Array.from({ length: 60 }, (_, n) => client.chat(`mensaje ${n + 1}`)));
    expect(new Set(stored.map((message) => message.message)).size).toBe(60);
    expect(server.chat).toHaveLength(60);
    expect(server.refusedCommands.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('sends a refused request again once its retry_after has passed, and the caller only sees the success', async () => {
    const client = clientFor();
    const errors = record(client, 'error');
    await client.connect();
    const connection = await server.connection(0);
    const pending = client.chat('con prisa');
    const chats = () => connection.received.filter((message) => message.type === 'chat');
    const refusedAt: number[] = [];
    for (const attempt of [0, 1]) {
      await vi.waitFor(() => expect(chats()).toHaveLength(attempt + 1));
      refusedAt.push(Date.now());
      connection.send({ type: 'error', ref: chats()[attempt]!.ref!, code: 'rate_limited', message: 'Espera', retry_after: 0.1 });
    }
    await vi.waitFor(() => expect(chats()).toHaveLength(3));
    const resentAt = Date.now();
    // The same frame each time (same ref, same cid), never before the wait the server asked for.
    expect(new Set(chats().map((message) => JSON.stringify(message))).size).toBe(1);
    expect(resentAt - refusedAt[1]!).toBeGreaterThanOrEqual(100);
    connection.send({ type: 'ack', ref: chats()[2]!.ref!, data: server.addChat(1, 'con prisa') });
    await expect(pending).resolves.toMatchObject({ id: 1, message: 'con prisa' });
    expect(errors).toEqual([]);
  });

  it('does not send a refused reaction again later: the caller hears the refusal at once', async () => {
    const client = clientFor();
    await client.connect();
    const connection = await server.connection(0);
    const pending = client.react('👏');
    const frame = await connection.receive('react');
    connection.send({ type: 'error', ref: frame.ref!, code: 'rate_limited', message: 'Espera', retry_after: 0.1 });
    await expect(pending).rejects.toMatchObject({ code: 'rate_limited' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(connection.received.filter((message) => message.type === 'react')).toHaveLength(1);
  });

  it('fails at once a refusal whose wait outlasts the request’s own timeout', async () => {
    const client = clientFor({ requestTimeoutMs: 2_000 });
    await client.connect();
    const connection = await server.connection(0);
    const pending = client.chat('demasiado pronto');
    const frame = await connection.receive('chat');
    const refusedAt = Date.now();
    connection.send({ type: 'error', ref: frame.ref!, code: 'rate_limited', message: 'Espera', retry_after: 30 });
    await expect(pending).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 30 });
    expect(Date.now() - refusedAt).toBeLessThan(1_000);
  });
});

describe('reconnecting', () => {
  it('waits a full-jitter backoff that grows with each failed attempt and is capped', async () => {
    await startServer({ welcome: (connection) => (connection.close(CloseCode.serverRestarting), null) });
    const client = clientFor({ reconnect: { baseMs: 40, maxMs: 100 }, random: () => 0.5 });
    const retries = record(client, 'state');
    void client.connect().catch(() => {});

    await server.connection(4);
    const lost = retries.filter((change) => change.reason === 'connection_lost');
    // random 0.5 of a ceiling of 40·2^n capped at 100: 20, 40, then 50 for good.
    expect(lost.slice(0, 4).map(({ current, attempt, retryInMs, closeCode }) => [current, attempt, retryInMs, closeCode])).toEqual([
      ['connecting', 1, 20, 1012],
      ['connecting', 2, 40, 1012],
      ['connecting', 3, 50, 1012],
      ['connecting', 4, 50, 1012],
    ]);
  });

  it('keeps the delay between connections at least the backoff delay', async () => {
    const arrivals: number[] = [];
    await startServer({
      welcome: (connection) => {
        arrivals.push(performance.now());
        connection.close(CloseCode.slowReader);
        return null;
      },
    });
    const client = clientFor({ reconnect: { baseMs: 60, maxMs: 120 }, random: () => 0.99 });
    void client.connect().catch(() => {});
    await server.connection(2);
    await vi.waitFor(() => expect(arrivals).toHaveLength(3));
    // Expected delays: floor(0.99·60) = 59, then floor(0.99·120) = 118; allow a millisecond of timer slack.
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(58);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(117);
  });

  it.each([
    [CloseCode.notAuthenticated, 'not_authenticated'],
    [CloseCode.forbidden, 'forbidden'],
    [CloseCode.eventNotFound, 'event_not_found'],
    [CloseCode.originNotAllowed, 'origin_not_allowed'],
  ])('does not retry after close code %i', async (closeCode, errorCode) => {
    const client = clientFor();
    const states = record(client, 'state');
    const errors = record(client, 'error');
    await client.connect();
    const queued = client.chat('no llega');
    (await server.connection(0)).close(closeCode, 'bye');

    await expect(queued).rejects.toMatchObject({ code: errorCode });
    await vi.waitFor(() => expect(client.state).toBe('disconnected'));
    expect(states.at(-1)).toMatchObject({ previous: 'connected', current: 'disconnected', reason: 'fatal_close', closeCode });
    expect(errors.map((error) => error.code)).toEqual([errorCode]);
    await sleep(100);
    expect(server.connections).toHaveLength(1);
    await expect(client.chat('tampoco')).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('rejects connect() when the server refuses the token', async () => {
    await startServer({ welcome: (connection) => (connection.close(CloseCode.notAuthenticated), null) });
    const client = clientFor();
    await expect(client.connect()).rejects.toMatchObject({ code: 'not_authenticated' });
    expect(client.state).toBe('disconnected');
  });

  it('emits event_closed once and stops when the event closes', async () => {
    const client = clientFor();
    const closed = record(client, 'event_closed');
    const states = record(client, 'state');
    await client.connect();
    const connection = await server.connection(0);
    connection.send({ type: 'event_closed', message: 'Transmisión finalizada' });
    connection.close(CloseCode.eventClosed);

    await vi.waitFor(() => expect(client.state).toBe('disconnected'));
    expect(closed).toEqual([{ type: 'event_closed', message: 'Transmisión finalizada' }]);
    expect(states.at(-1)).toMatchObject({ reason: 'fatal_close', closeCode: 4010 });
    await sleep(100);
    expect(server.connections).toHaveLength(1);
  });

  it('keeps the event state from the welcome, follows event_state and stays connected on demand', async () => {
    const client = clientFor();
    const changes = record(client, 'event_state');
    expect(client.eventState).toBeNull();
    await client.connect();
    expect(client.eventState).toBe('live');
    const connection = await server.connection(0);
    connection.send({ type: 'event_state', state: 'on_demand' });

    await vi.waitFor(() => expect(client.eventState).toBe('on_demand'));
    expect(changes).toEqual([{ type: 'event_state', state: 'on_demand' }]);
    expect(client.state).toBe('connected');
    connection.send({ type: 'event_closed', message: 'Fin' });
    connection.close(CloseCode.eventClosed);
    await vi.waitFor(() => expect(client.eventState).toBe('ended'));
  });

  it.each([CloseCode.serverRestarting, CloseCode.slowReader])('reconnects after close code %i', async (closeCode) => {
    const client = clientFor();
    const states = record(client, 'state');
    await client.connect();
    (await server.connection(0)).close(closeCode);
    await server.connection(1);
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ current: 'connected', reason: 'reconnected' }));
  });

  it('retries at once when the browser comes back online', async () => {
    let goOnline = () => {};
    const page: PageSignals = {
      isVisible: () => true,
      onVisible: () => () => {},
      onOnline: (listener) => ((goOnline = listener), () => {}),
    };
    const client = clientFor({ page, reconnect: { baseMs: 60_000, maxMs: 60_000 }, random: () => 0.99 });
    await client.connect();
    (await server.connection(0)).drop();
    await vi.waitFor(() => expect(client.state).toBe('connecting'));
    goOnline();
    await server.connection(1);
    await vi.waitFor(() => expect(client.state).toBe('connected'));
  });

  it('gives up on a socket that is never welcomed and tries again', async () => {
    await startServer({ welcome: (connection) => (connection === server.connections[0] ? null : server.welcome()) });
    const client = clientFor({ connectTimeoutMs: 80 });
    await client.connect();
    expect(server.connections).toHaveLength(2);
  });
});

describe('resuming', () => {
  it('fetches what it missed after a reconnect, without gaps or duplicates', async () => {
    // The welcome holds the last three messages: fewer than were missed, as after a long outage.
    await startServer({
      historyPageSize: 2,
      historyDelayMs: 50,
      welcome: () => server.welcome({ chat: server.chat.slice(-3) }),
    });
    const client = clientFor();
    const chat = record(client, 'chat');
    server.addChat(1);
    server.addChat(2);
    const welcome = await client.connect();
    expect(welcome.chat.map((message) => message.id)).toEqual([1, 2]);
    const first = await server.connection(0);
    first.send({ type: 'chat', ...server.addChat(3) });
    await vi.waitFor(() => expect(chat).toHaveLength(1));

    first.drop();
    // Written while the client was away.
    for (const id of [4, 5, 6, 7, 8]) server.addChat(id);
    const second = await server.connection(1);
    await second.receive('auth');
    // Live frames race the history fetch: a fresh message and a duplicate of a missed one.
    await sleep(10);
    second.send([{ type: 'chat', ...server.addChat(9) }, { type: 'chat', ...server.chat[6]! }]);

    await vi.waitFor(() => expect(chat.map((message) => message.id)).toEqual([3, 4, 5, 6, 7, 8, 9]));
    // The catch-up reaches back past the newest delivered message, for any that was overtaken.
    expect(server.historyRequests.map((query) => query.get('after'))).toEqual(['1', '3', '5', '7']);
    await sleep(50);
    expect(chat).toHaveLength(7);
  });

  it('delivers a chat message that arrives after a newer one, once', async () => {
    const client = clientFor();
    const chat = record(client, 'chat');
    await client.connect();
    const connection = await server.connection(0);
    const [older, newer] = [server.addChat(1), server.addChat(2)];
    connection.send([{ type: 'chat', ...newer }, { type: 'chat', ...older }, { type: 'chat', ...newer }]);
    connection.send({ type: 'chat', ...older });
    await vi.waitFor(() => expect(chat.map((message) => message.id)).toEqual([2, 1]));
    await sleep(30);
    expect(chat).toHaveLength(2);
  });

  it('tries the catch-up again when the history request fails, so the gap is still filled', async () => {
    await startServer({ historyFailures: 2, welcome: () => server.welcome({ chat: server.chat.slice(-1) }) });
    const client = clientFor();
    const chat = record(client, 'chat');
    const errors = record(client, 'error');
    server.addChat(1);
    await client.connect();
    (await server.connection(0)).drop();
    for (const id of [2, 3, 4]) server.addChat(id);
    await server.connection(1);
    await vi.waitFor(() => expect(chat.map((message) => message.id)).toEqual([2, 3, 4]));
    expect(server.historyRequests.map((query) => query.get('after'))).toEqual(['1', '1', '1']);
    expect(errors).toEqual([]);
  });

  it('uses the welcome alone when it reaches back to what was already seen', async () => {
    const client = clientFor();
    const chat = record(client, 'chat');
    server.addChat(1);
    await client.connect();
    (await server.connection(0)).drop();
    server.addChat(2);
    server.addChat(3);
    await server.connection(1);
    await vi.waitFor(() => expect(chat.map((message) => message.id)).toEqual([2, 3]));
    expect(server.historyRequests).toHaveLength(0);
  });

  it('delivers each question once per status, across frames and reconnects', async () => {
    const pending = { id: 6, user_id: 7, user_name: 'Ana', question: '¿Y el audio?', status: 'pending' as const,
      upvotes: 0, created_at: '2025-01-01T10:00:00Z', approved_at: null, read_at: null, moderated_by: null, ...questionDefaults };
    const approved = { ...pending, id: 5, question: '¿Hay grabación?', status: 'approved' as const, approved_at: '2025-01-01T10:01:00Z' };
    let questions: Question[] = [approved];
    await startServer({ welcome: () => server.welcome({ questions }) });
    const client = clientFor();
    const approvedEvents = record(client, 'approved_question');
    const pendingEvents = record(client, 'pending_question');
    await client.connect();

    const connection = await server.connection(0);
    const { id, question, user_id, user_name, upvotes, created_at, approved_at } = approved;
    connection.send({ type: 'approved_question', id, question, user_id, user_name, upvotes, created_at, approved_at });
    questions = [approved, pending];
    connection.drop();
    await server.connection(1);

    await vi.waitFor(() => expect(pendingEvents.map((message) => message.id)).toEqual([6]));
    expect(pendingEvents[0]).toEqual({ type: 'pending_question', id: 6, question: '¿Y el audio?', user_id: 7,
      user_name: 'Ana', created_at: '2025-01-01T10:00:00Z', anonymous: false, label: null, version: 0 });
    expect(approvedEvents).toEqual([]);
  });
});

describe('heartbeat', () => {
  it('pings on the interval the welcome asks for with the time the page was visible, and not while it is hidden', async () => {
    let visible = false;
    let becomeVisible = () => {};
    const page: PageSignals = {
      isVisible: () => visible,
      onVisible: (listener) => ((becomeVisible = listener), () => {}),
      onOnline: () => () => {},
    };
    await startServer({ welcome: () => server.welcome({ heartbeat_ms: 150 }) });
    const client = clientFor({ page });
    await client.connect();
    const connection = await server.connection(0);
    const pings = () => connection.received.filter((message) => message.type === 'ping').length;

    await sleep(200);
    expect(pings()).toBe(0);
    visible = true;
    const shownAt = Date.now();
    becomeVisible();
    await vi.waitFor(() => expect(pings()).toBe(1), { interval: 5, timeout: 400 });
    await vi.waitFor(() => expect(pings()).toBe(2), { interval: 5, timeout: 400 });
    const claimed = connection.received.flatMap((message) => (message.type === 'ping' ? [message.visible_ms ?? 0] : []));
    expect(claimed.every((ms) => ms > 0)).toBe(true);
    expect(claimed.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(Date.now() - shownAt);
  });

  it('stops pinging after disconnect', async () => {
    await startServer({ welcome: () => server.welcome({ heartbeat_ms: 20 }) });
    const client = clientFor();
    await client.connect();
    const connection = await server.connection(0);
    await vi.waitFor(() => expect(connection.received.some((message) => message.type === 'ping')).toBe(true));
    client.disconnect();
    const states: StateChange[] = record(client, 'state');
    await sleep(60);
    expect(states).toEqual([]);
    expect(client.state).toBe('disconnected');
  });
});
