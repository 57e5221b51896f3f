import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Question } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('a chat message or question resent with its client id (cid) on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;
  let cids = 0;
  /** A cid of the shape the SDK sends, unique to this run. */
  const freshCid = () => `${crypto.randomUUID()}-${(cids += 1)}`;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'reenvios', { slow_mode_seconds: 30 });
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
  });

  const attendee = async () => {
    const member = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: member.token });
    return { ...member, socket };
  };

  const rows = async (table: 'chat_messages' | 'questions', cid: string) => {
    const [found] = await server.deps.db.sequelize.query(`SELECT id, user_id FROM ${table} WHERE client_id = ?`, { replacements: [cid] });
    return found as Array<{ id: number; user_id: number }>;
  };

  it('stores a chat message once, acks both sends with its id and broadcasts the resend again under that id', async () => {
    const ana = await attendee();
    const cid = freshCid();
    const first = await ana.socket.ok({ type: 'chat', message: 'una sola vez', cid });
    await moderator.waitFor('chat', (chat) => chat.id === first.id);
    // Slow mode would refuse a new message now: the resend is not charged again.
    const again = await ana.socket.ok({ type: 'chat', message: 'una sola vez', cid });
    expect(again.id).toBe(first.id);
    expect(again.data).toEqual(first.data);
    expect(await rows('chat_messages', cid)).toEqual([{ id: first.id, user_id: ana.user.id }]);
    // The first broadcast may have died with a process: the resend goes out again, same id.
    await expect.poll(() => moderator.all('chat').filter((chat) => chat.id === first.id).length).toBe(2);
    await moderator.expectNone('chat', 300);
    expect(new Set(moderator.all('chat').filter((chat) => chat.message === 'una sola vez').map((chat) => chat.id))).toEqual(new Set([first.id]));
  });

  it('does not broadcast a resend of a message a moderator deleted meanwhile', async () => {
    const ana = await attendee();
    const cid = freshCid();
    const first = await ana.socket.ok({ type: 'chat', message: 'borrado después', cid });
    await moderator.waitFor('chat', (chat) => chat.id === first.id);
    await moderator.ok({ type: 'delete_chat', id: first.id });
    const again = await ana.socket.ok({ type: 'chat', message: 'borrado después', cid });
    expect(again.id).toBe(first.id);
    await moderator.expectNone('chat', 300);
    expect(moderator.all('chat').filter((chat) => chat.id === first.id)).toHaveLength(1);
  });

  it('settles two sends of one cid racing on two sockets into one row', async () => {
    const ana = await attendee();
    const second = (await connect(server, { event: event.slug, token: ana.token })).socket;
    const cid = freshCid();
    const [one, two] = await Promise.all([
      ana.socket.ok({ type: 'ask', question: '¿Cuánto dura?', cid }),
      second.ok({ type: 'ask', question: '¿Cuánto dura?', cid }),
    ]);
    expect(one.id).toBe(two.id);
    expect((one.data as Question).id).toBe(one.id);
    expect(await rows('questions', cid)).toHaveLength(1);
    // Each send tells the moderators once, both under the one id (clients drop repeats).
    const told = () => moderator.all('pending_question').filter((question) => question.question === '¿Cuánto dura?');
    await expect.poll(() => told().length).toBe(2);
    await moderator.expectNone('pending_question', 300);
    expect(new Set(told().map((question) => question.id))).toEqual(new Set([one.id]));
  });

  it('does not tell the moderators again about a resent question they already approved', async () => {
    const ana = await attendee();
    const cid = freshCid();
    const asked = await ana.socket.ok({ type: 'ask', question: '¿Ya aprobada?', cid });
    await moderator.waitFor('pending_question', (question) => question.id === asked.id);
    await moderator.ok({ type: 'approve', id: asked.id });
    const again = await ana.socket.ok({ type: 'ask', question: '¿Ya aprobada?', cid });
    expect(again.id).toBe(asked.id);
    expect((again.data as Question).status).toBe('approved');
    await moderator.expectNone('pending_question', 300);
    expect(moderator.all('pending_question').filter((question) => question.id === asked.id)).toHaveLength(1);
  });

  it('holds a message with blocked words once when it is resent with its cid, and answers both sends with that held message', async () => {
    const guarded = await createEvent(server, 'reenvios-retenidos', { blocked_words: ['competidorx'], slow_mode_seconds: 30 });
    const guardedModerator = (await connect(server, { event: guarded.slug, token: guarded.moderator.token })).socket;
    const ana = await attendeeOf(server, guarded.slug);
    const socket = (await connect(server, { event: guarded.slug, token: ana.token })).socket;
    const cid = freshCid();
    const first = await socket.ok({ type: 'chat', message: 'compren en competidorx', cid });
    expect(first.data).toMatchObject({ status: 'held' });
    // Slow mode would refuse a new message now: the resend is neither charged nor held again.
    const again = await socket.ok({ type: 'chat', message: 'compren en competidorx', cid });
    expect(again.id).toBe(first.id);
    const [held] = await server.deps.db.sequelize.query('SELECT id FROM held_chat_messages WHERE user_id = ?', { replacements: [ana.user.id] });
    expect(held).toEqual([{ id: first.id }]);
    await expect.poll(() => guardedModerator.all('held_chat').length).toBe(2);
    expect(new Set(guardedModerator.all('held_chat').map((message) => message.id))).toEqual(new Set([first.id]));
    await Promise.all([socket.close(), guardedModerator.close()]);
  });

  it('answers a resend with the message stored before its words were blocked, and holds nothing', async () => {
    const guarded = await createEvent(server, 'reenvios-lista-nueva');
    const ana = await attendeeOf(server, guarded.slug);
    const socket = (await connect(server, { event: guarded.slug, token: ana.token })).socket;
    const cid = freshCid();
    const first = await socket.ok({ type: 'chat', message: 'el final es sorpresa', cid });
    const patched = await api(server.url, `/api/admin/events/${guarded.id}`, { method: 'PATCH', token: guarded.admin, body: { blocked_words: ['sorpresa'] } });
    expect(patched.status).toBe(200);
    const again = await socket.ok({ type: 'chat', message: 'el final es sorpresa', cid });
    expect(again.id).toBe(first.id);
    expect(again.data).not.toHaveProperty('status');
    const [held] = await server.deps.db.sequelize.query('SELECT id FROM held_chat_messages WHERE user_id = ?', { replacements: [ana.user.id] });
    expect(held).toEqual([]);
    await socket.close();
  });

  it('keeps the same cid of two users apart', async () => {
    const ana = await attendee();
    const luis = await attendee();
    const cid = freshCid();
    const fromAna = (await ana.socket.ok({ type: 'chat', message: 'hola', cid })).data as ChatMessage;
    const fromLuis = (await luis.socket.ok({ type: 'chat', message: 'hola', cid })).data as ChatMessage;
    expect(fromLuis.id).not.toBe(fromAna.id);
    expect(fromLuis.user_id).toBe(luis.user.id);
    for (const sent of [fromAna, fromLuis]) await moderator.waitFor('chat', (chat) => chat.id === sent.id);
    expect((await rows('chat_messages', cid)).map((row) => row.user_id).sort()).toEqual([ana.user.id, luis.user.id].sort());
  });

  it("refuses an administrator's cid already stored in another event, and never shows that event's message here", async () => {
    const other = await createEvent(server, 'reenvios-otro');
    const adminHere = (await connect(server, { event: event.slug, token: event.admin })).socket;
    const adminThere = (await connect(server, { event: other.slug, token: other.admin })).socket;
    const watcherThere = (await connect(server, { event: other.slug, token: (await attendeeOf(server, other.slug)).token })).socket;
    const cid = freshCid();
    const stored = await adminHere.ok({ type: 'chat', message: 'solo para este evento', cid });
    const asked = await adminHere.ok({ type: 'ask', question: '¿Solo aquí?', cid });
    for (const message of [{ type: 'chat', message: 'otro texto', cid }, { type: 'ask', question: '¿Otra?', cid }]) {
      expect(await adminThere.request(message)).toMatchObject({ type: 'error', code: 'invalid_input', fields: { cid: expect.stringContaining('otro evento') } });
    }
    await watcherThere.expectNone('chat', 300, (chat) => chat.type === 'chat' && chat.id === stored.id);
    expect((await rows('chat_messages', cid)).map((row) => row.id)).toEqual([stored.id]);
    expect((await rows('questions', cid)).map((row) => row.id)).toEqual([asked.id]);
    await Promise.all([adminHere.close(), adminThere.close(), watcherThere.close()]);
  });

  it('stores every message sent without a cid, as before', async () => {
    const first = await moderator.ok({ type: 'chat', message: 'repetido' });
    const second = await moderator.ok({ type: 'chat', message: 'repetido' });
    expect(second.id).not.toBe(first.id);
  });

  it.each([
    ['too short', 'abc1234'],
    ['too long', 'c'.repeat(65)],
    ['with a space', 'abc def ghi'],
    ['with a dot', 'abcdefgh.ij'],
    ['a number', 12345678],
  ])('refuses a cid that is %s with invalid_input and stores nothing', async (_label, cid) => {
    for (const message of [{ type: 'chat', message: 'hola', cid }, { type: 'ask', question: '¿Sí?', cid }]) {
      const refused = await moderator.request(message);
      expect(refused).toMatchObject({
        type: 'error',
        code: 'invalid_input',
        fields: { cid: 'El identificador debe tener de 8 a 64 letras, cifras, guiones o guiones bajos.' },
      });
    }
    if (typeof cid === 'string') {
      expect(await rows('chat_messages', cid)).toEqual([]);
      expect(await rows('questions', cid)).toEqual([]);
    }
  });
});
