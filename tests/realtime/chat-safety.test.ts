import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, HeldChat } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('blocked words, held messages, pins and deletions with a reason on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;
  let secondModerator: TestSocket;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'chat-seguro', { blocked_words: ['competidorx', 'precio filtrado'] });
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    secondModerator = (await connect(server, { event: event.slug, token: event.admin })).socket;
  });

  const attendee = async (slug = event.slug) => {
    const member = await attendeeOf(server, slug);
    const { socket, welcome } = await connect(server, { event: slug, token: member.token });
    return { ...member, socket, welcome };
  };

  const patchEvent = (id: number, body: Record<string, unknown>) => api(server.url, `/api/admin/events/${id}`, { method: 'PATCH', token: event.admin, body });

  describe('holding for review', () => {
    it('holds a message with a blocked word: its sender is told it awaits review and the others see nothing yet', async () => {
      const ana = await attendee();
      const luis = await attendee();
      const ack = await ana.socket.ok({ type: 'chat', message: 'Mejor compren en C0mpetid0rX' });
      const held = ack.data as HeldChat;
      expect(held).toMatchObject({ status: 'held', words: ['competidorx'], chat_id: null });
      expect(await ana.socket.waitFor('held_chat', (m) => m.id === held.id)).toMatchObject({ message: 'Mejor compren en C0mpetid0rX' });
      expect(await moderator.waitFor('held_chat', (m) => m.id === held.id)).toMatchObject({ user_id: ana.user.id, words: ['competidorx'] });
      await luis.socket.expectNone('chat', 150, (m) => m.type === 'chat' && m.message.includes('mpetid'));
      expect((await connect(server, { event: event.slug, token: event.moderator.token })).welcome.held?.map((h) => h.id)).toContain(held.id);
      expect((await connect(server, { event: event.slug, token: ana.token })).welcome.held?.map((h) => h.id)).toEqual([held.id]);
    });

    it('releases a held message with a chat id after every message already sent, so catching up by after=ID finds it', async () => {
      const ana = await attendee();
      const luis = await attendee();
      const held = (await ana.socket.ok({ type: 'chat', message: 'el precio   filtrado es 10' })).data as HeldChat;
      const later = (await luis.socket.ok({ type: 'chat', message: 'mientras tanto' })).data as ChatMessage;
      const released = await moderator.ok({ type: 'release_chat', id: held.id });
      const chatId = (released.data as HeldChat).chat_id!;
      expect(chatId).toBeGreaterThan(later.id);
      expect(await luis.socket.waitFor('chat', (m) => m.id === chatId)).toMatchObject({ message: 'el precio   filtrado es 10', user_id: ana.user.id });
      expect(await ana.socket.waitFor('held_chat_updated', (m) => m.id === held.id)).toMatchObject({ status: 'released', chat_id: chatId });
      const caughtUp = await api(server.url, `/api/events/${event.slug}/chat?after=${later.id}`, { token: luis.token });
      expect(caughtUp.body.items.map((m: ChatMessage) => m.id)).toEqual([chatId]);
      expect(await secondModerator.request({ type: 'release_chat', id: held.id })).toMatchObject({ code: 'invalid_state' });
    });

    it('rejects a held message with a reason its sender sees, and never shows it', async () => {
      const ana = await attendee();
      const held = (await ana.socket.ok({ type: 'chat', message: 'competidorx forever' })).data as HeldChat;
      await moderator.ok({ type: 'reject_chat', id: held.id, reason: 'Sin publicidad, por favor' });
      expect(await ana.socket.waitFor('held_chat_updated', (m) => m.id === held.id)).toMatchObject({ status: 'rejected', reason: 'Sin publicidad, por favor', chat_id: null });
      const history = await api(server.url, `/api/events/${event.slug}/chat?limit=200`, { token: ana.token });
      expect(history.body.items.map((m: ChatMessage) => m.message)).not.toContain('competidorx forever');
    });

    it('holds words of the default Spanish list unless an administrator turns it off', async () => {
      const other = await createEvent(server, 'chat-por-defecto');
      const ana = await attendee(other.slug);
      expect((await ana.socket.ok({ type: 'chat', message: 'eres un pendejo' })).data).toMatchObject({ status: 'held' });
      expect((await patchEvent(other.id, { default_blocked_words: { es: false, en: true } })).status).toBe(200);
      const delivered = (await ana.socket.ok({ type: 'chat', message: 'eres un pendejo' })).data;
      expect(delivered).toMatchObject({ message: 'eres un pendejo' });
      expect(delivered).not.toHaveProperty('status');
    });
  });

  describe('refusing', () => {
    it('refuses a message with a blocked word with blocked_words where the event says refuse', async () => {
      const other = await createEvent(server, 'chat-rechazo', { blocked_words: ['spoiler'], blocked_words_action: 'refuse' });
      const ana = await attendee(other.slug);
      const refused = await ana.socket.request({ type: 'chat', message: 'SPOILER: muere' });
      expect(refused).toMatchObject({ type: 'error', code: 'blocked_words' });
      expect((refused as { message: string }).message).toMatch(/palabras/);
    });
  });

  describe('the event’s list', () => {
    it('refuses a list of 10 000 blocked words with too_many_blocked_words, stating the cap of 1000', async () => {
      // Letters over and over keep the body under the 64 KiB cap of every HTTP body; the count is what is refused.
      const words = Array.from({ length: 10_000 }, (_, n) => String.fromCharCode(97 + (n % 26)));
      const refused = await patchEvent(event.id, { blocked_words: words });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: 'too_many_blocked_words' });
      expect(refused.body.message).toContain('1000');
      const kept = await api(server.url, `/api/admin/events/${event.id}`, { token: event.admin });
      expect(kept.body.blocked_words).toEqual(['competidorx', 'precio filtrado']);
    });

    it('applies an edited list to the next message at once', async () => {
      const other = await createEvent(server, 'chat-lista-nueva');
      const ana = await attendee(other.slug);
      expect((await ana.socket.ok({ type: 'chat', message: 'me gusta el brócoli' })).data).toMatchObject({ message: 'me gusta el brócoli' });
      await patchEvent(other.id, { blocked_words: ['brocoli'] });
      expect((await ana.socket.ok({ type: 'chat', message: 'me gusta el brócoli' })).data).toMatchObject({ status: 'held' });
    });
  });

  describe('history', () => {
    it('pages chat backwards with before=ID, oldest first within the page', async () => {
      const other = await createEvent(server, 'chat-hacia-atras');
      const ana = await attendee(other.slug);
      const sent: number[] = [];
      for (let n = 1; n <= 5; n += 1) sent.push((await ana.socket.ok({ type: 'chat', message: `m${n}` })).id!);
      const page = await api(server.url, `/api/events/${other.slug}/chat?before=${sent[4]}&limit=2`, { token: ana.token });
      expect(page.body.items.map((m: ChatMessage) => m.message)).toEqual(['m3', 'm4']);
      expect(page.body.has_more).toBe(true);
      const first = await api(server.url, `/api/events/${other.slug}/chat?before=${sent[2]}&limit=5`, { token: ana.token });
      expect(first.body.items.map((m: ChatMessage) => m.message)).toEqual(['m1', 'm2']);
      expect(first.body.has_more).toBe(false);
    });
  });

  describe('pins and deletions', () => {
    it('pins a chat message above everyone’s chat, then an announcement, then clears it', async () => {
      const ana = await attendee();
      const sent = (await ana.socket.ok({ type: 'chat', message: 'Las diapositivas: palco.example/slides' })).data as ChatMessage;
      await moderator.ok({ type: 'pin_chat', id: sent.id });
      expect((await ana.socket.waitFor('chat_pinned', (m) => m.pinned?.chat_id === sent.id)).pinned).toMatchObject({ message: sent.message, user_name: ana.user.name });
      expect((await attendee()).welcome.pinned).toMatchObject({ chat_id: sent.id });
      await moderator.ok({ type: 'pin_chat', text: 'Pausa de 10 minutos' });
      expect((await ana.socket.waitFor('chat_pinned', (m) => m.pinned?.chat_id === null)).pinned).toMatchObject({ message: 'Pausa de 10 minutos', user_name: 'Mora Moderadora' });
      await moderator.ok({ type: 'pin_chat', id: null });
      await ana.socket.waitFor('chat_pinned', (m) => m.pinned === null);
      expect((await attendee()).welcome.pinned).toBeNull();
      expect(await ana.socket.request({ type: 'pin_chat', text: 'yo también' })).toMatchObject({ code: 'forbidden' });
    });

    it('deletes a message with a reason its author sees, and logs the reason', async () => {
      const ana = await attendee();
      const sent = (await ana.socket.ok({ type: 'chat', message: 'enlace raro' })).data as ChatMessage;
      await moderator.ok({ type: 'delete_chat', id: sent.id, reason: 'Enlaces no permitidos' });
      expect(await ana.socket.waitFor('moderation_notice', (m) => m.target_id === sent.id)).toMatchObject({ action: 'delete_chat', reason: 'Enlaces no permitidos' });
      const log = await api(server.url, `/api/events/${event.slug}/moderation-log?limit=1`, { token: event.moderator.token });
      expect(log.body.items[0]).toMatchObject({ action: 'delete_chat', target_id: sent.id, reason: 'Enlaces no permitidos' });
    });
  });
});
