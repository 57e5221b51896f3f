import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createClient } from '@palco/sdk';
import type { ChatServerMessage, StateChange } from '@palco/sdk';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from './support.js';
import { eventually } from '../support/poll.js';

/** The `ws` WebSocket, but the first ack it receives is lost: the connection is cut as it arrives. */
function losingFirstAck() {
  let lost = false;
  return class extends WebSocket {
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (!lost && event === 'message' && (JSON.parse(String(args[0])) as { type?: string }).type === 'ack') {
        lost = true;
        this.terminate();
        return false;
      }
      return super.emit(event, ...args);
    }
  };
}

describe.each(databaseTargets)('the SDK client against the real hub on $name', (target) => {
  const server = useRealtimeServer(target);

  it('connects, chats with an ack carrying the stored message, and stops for good when banned', async () => {
    const event = await createEvent(server, 'sdk-real');
    const ana = await attendeeOf(server, event.slug, 'Ana SDK');
    const client = createClient({ baseUrl: server.url, event: event.slug, WebSocket, token: ana.token });
    const welcome = await client.connect();
    expect(welcome.user.id).toBe(ana.user.id);

    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const received: ChatServerMessage[] = [];
    client.on('chat', (message) => received.push(message));
    const sent = await client.chat('Hola desde el SDK');
    expect(sent).toMatchObject({ user_id: ana.user.id, message: 'Hola desde el SDK' });
    await moderator.waitFor('chat', (m) => m.id === sent.id);
    await eventually(() => received.length, (count) => count === 1);

    const states: StateChange[] = [];
    client.on('state', (change) => states.push(change));
    await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'banned' });
    const fatal = await eventually(() => states.find((change) => change.reason === 'fatal_close'));
    expect(fatal).toMatchObject({ current: 'disconnected', closeCode: 4003 });
  });

  it('sends a chat message whose ack was lost with the socket again: stored once, shown once', async () => {
    const event = await createEvent(server, 'sdk-ack-perdido');
    const ana = await attendeeOf(server, event.slug, 'Ana Reenvía');
    const client = createClient({
      baseUrl: server.url,
      event: event.slug,
      WebSocket: losingFirstAck() as never,
      token: ana.token,
      reconnect: { baseMs: 50, maxMs: 200 },
    });
    const states: StateChange[] = [];
    client.on('state', (change) => states.push(change));
    const shown: number[] = [];
    client.on('chat', (chat) => shown.push(chat.id));
    await client.connect();
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;

    const sent = await client.chat('El ack se perdió');
    expect(states.some((change) => change.reason === 'connection_lost')).toBe(true);
    const [rows] = await server.deps.db.sequelize.query('SELECT id FROM chat_messages WHERE event_id = ? AND message = ?', {
      replacements: [event.id, 'El ack se perdió'],
    });
    expect(rows).toEqual([{ id: sent.id }]);
    // The server broadcasts the resend again (the first broadcast may have died with a
    // process); every copy carries the one id, and the SDK shows it once.
    await expect.poll(() => moderator.all('chat').length).toBe(2);
    await moderator.expectNone('chat', 300);
    expect(new Set(moderator.all('chat').map((chat) => chat.id))).toEqual(new Set([sent.id]));
    await expect.poll(() => shown).toEqual([sent.id]);
    client.disconnect();
  });
});
