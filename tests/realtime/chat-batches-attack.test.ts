import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@palco/sdk/protocol';
import { ChatWrites, type NewChatRow } from '../../packages/backend/src/services/chat-writes.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('chat stored in group commits, attacked on $name', (target) => {
  const server = useRealtimeServer(target);
  /** A cid as the SDK makes them, unique to this run. */
  const freshCid = () => `${crypto.randomUUID()}-${(cids += 1)}`;
  let cids = 0;
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;
  beforeAll(async () => {
    event = await createEvent(server, 'lotes');
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
  });

  const attendee = async (slug = event.slug) => {
    const member = await attendeeOf(server, slug);
    const { socket } = await connect(server, { event: slug, token: member.token });
    return { ...member, socket };
  };

  const rowsOf = async (userId: number) => {
    const [found] = await server.deps.db.sequelize.query('SELECT id, message, client_id FROM chat_messages WHERE user_id = ? ORDER BY id', {
      replacements: [userId],
    });
    return found as Array<{ id: number; message: string; client_id: string }>;
  };

  it('stores two messages whose cids differ only in case as two messages, as the protocol tells them apart', async () => {
    const ana = await attendee();
    const lower = `abcdefgh-${crypto.randomUUID().slice(0, 8)}`;
    const first = await ana.socket.ok({ type: 'chat', message: 'minúsculas', cid: lower });
    const second = await ana.socket.request({ type: 'chat', message: 'MAYÚSCULAS', cid: lower.toUpperCase() });
    expect(second.type).toBe('ack');
    const ack = second as { id: number; data: ChatMessage };
    expect(ack.id).not.toBe(first.id);
    expect(ack.data.message).toBe('MAYÚSCULAS');
    expect((await rowsOf(ana.user.id)).map((row) => row.message)).toEqual(['minúsculas', 'MAYÚSCULAS']);
  });

  it('settles one cid sent at once from two sockets, among other attendees, into one row, one charge and one id', async () => {
    const ana = await attendee();
    const again = (await connect(server, { event: event.slug, token: ana.token })).socket;
    const others = await Promise.all(Array.from({ length: 6 }, () => attendee()));
    const cid = freshCid();
    const replies = await Promise.all([
      ana.socket.request({ type: 'chat', message: 'carrera', cid }),
      again.request({ type: 'chat', message: 'carrera', cid }),
      ...others.map((other, i) => other.socket.request({ type: 'chat', message: `vecino ${i}`, cid: freshCid() })),
    ]);
    expect(replies.map((reply) => reply.type)).toEqual(replies.map(() => 'ack'));
    const [one, two] = replies as Array<{ id: number }>;
    expect(two!.id).toBe(one!.id);
    expect((await rowsOf(ana.user.id)).map((row) => row.id)).toEqual([one!.id]);
    for (const [i, other] of others.entries()) expect((await rowsOf(other.user.id)).map((row) => row.message)).toEqual([`vecino ${i}`]);
    // Charged once: four more new messages fit in the 5 per 10 s, the fifth does not.
    for (let i = 0; i < 4; i += 1) await ana.socket.ok({ type: 'chat', message: `más ${i}`, cid: freshCid() });
    expect(await ana.socket.request({ type: 'chat', message: 'sobra', cid: freshCid() })).toMatchObject({ type: 'error', code: 'rate_limited' });
  });

  it('broadcasts the messages of one event stored together in id order, as history lists them', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => attendee()));
    // One of them resends a cid already stored: its batch falls back to one insert a row.
    const resent = freshCid();
    await people[0]!.socket.ok({ type: 'chat', message: 'ya guardado', cid: resent });
    const from = moderator.received.length;
    const replies = await Promise.all(
      people.map((person, i) => person.socket.request({ type: 'chat', message: `orden ${i}`, cid: i === 0 ? resent : freshCid() })),
    );
    expect(replies.map((reply) => reply.type)).toEqual(replies.map(() => 'ack'));
    const newIds = (replies as Array<{ id: number }>).slice(1).map((reply) => reply.id);
    await expect.poll(() => newIds.every((id) => moderator.received.slice(from).some((m) => m.type === 'chat' && m.id === id))).toBe(true);
    const seen = moderator.received.slice(from).flatMap((m) => (m.type === 'chat' && newIds.includes(m.id) ? [m.id] : []));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('stores a flood of messages from many events arriving in one turn, each once, more than one statement holds', async () => {
    const events = await Promise.all(Array.from({ length: 3 }, (_, i) => createEvent(server, `riada-${i}`)));
    const people = (await Promise.all(events.map((each) => Promise.all(Array.from({ length: 3 }, () => attendee(each.slug)))))).flat();
    // Staff have no rate limit: three sockets of each event's moderator send 30 each, 270 in
    // all, without waiting (a socket queues at most 32 commands).
    const staff = await Promise.all(
      events.flatMap((each, e) => [0, 1, 2].map(async (k) => ({ e, k, socket: (await connect(server, { event: each.slug, token: each.moderator.token })).socket }))),
    );
    const sent = staff.flatMap(({ e, k, socket }) => Array.from({ length: 30 }, (_, i) => socket.request({ type: 'chat', message: `riada ${e}-${k * 30 + i}` })));
    const fromPeople = people.map((person, i) => person.socket.request({ type: 'chat', message: `persona ${i}`, cid: freshCid() }));
    const replies = await Promise.all([...sent, ...fromPeople]);
    expect(replies.filter((reply) => reply.type !== 'ack')).toEqual([]);
    const ids = (replies as Array<{ id: number }>).map((reply) => reply.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [e, each] of events.entries()) {
      const history = await api<{ items: ChatMessage[] }>(server.url, `/api/events/${each.slug}/chat?limit=200`, { token: each.moderator.token });
      const stored = history.body.items.filter((m) => m.message.startsWith(`riada ${e}-`)).map((m) => m.message);
      expect(stored.sort()).toEqual(Array.from({ length: 90 }, (_, i) => `riada ${e}-${i}`).sort());
    }
  });

  /** A message of this suite's event, handed straight to a ChatWrites on the server's database. */
  const row = (userId: number, text: string, clientId: string | null): NewChatRow => ({
    user_id: userId,
    user_name: `Persona ${userId}`,
    message: text,
    event_id: event.id,
    created_at: new Date(),
    client_id: clientId,
  });

  it("stores the rest of a batch when the database refuses one row for that row's own reason, and answers that sender alone", async () => {
    const writes = new ChatWrites();
    // A row the table cannot hold (here no text, against NOT NULL) fails the multi-row INSERT.
    const refused = { ...row(800_001, 'x', freshCid()), message: null } as unknown as NewChatRow;
    const outcomes = await Promise.allSettled([
      writes.insert.add(row(800_002, 'antes', freshCid())),
      writes.insert.add(refused),
      writes.insert.add(row(800_003, 'después', null)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    for (const [userId, text] of [[800_002, 'antes'], [800_003, 'después']] as const) expect((await rowsOf(userId)).map((stored) => stored.message)).toEqual([text]);
    // The batcher goes on.
    expect((await writes.insert.add(row(800_001, 'luego', freshCid()))).message).toBe('luego');
  });

  it('numbers a batch that fell back to one insert a row in the order its messages came, as they are broadcast', async () => {
    // Straight on the server's database: a batch with a resend in it, whose rows are then
    // inserted one by one; the room broadcasts them in the batch's order.
    const writes = new ChatWrites();
    const stored = freshCid();
    await writes.insert.add(row(900_001, 'primera', stored));
    const outcomes = await Promise.allSettled([
      writes.insert.add(row(900_001, 'reenvío', stored)),
      ...Array.from({ length: 40 }, (_, i) => writes.insert.add(row(900_002 + i, `en orden ${i}`, i % 2 ? freshCid() : null))),
    ]);
    expect(outcomes[0]!.status).toBe('rejected');
    const ids = outcomes.slice(1).map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.id : null));
    expect(ids).not.toContain(null);
    expect(ids).toEqual([...ids].sort((a, b) => a! - b!));
  });
});
