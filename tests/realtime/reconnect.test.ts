import { describe, expect, it } from 'vitest';
import type { ChatMessage, Page } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('a client that drops and comes back on $name', (target) => {
  const server = useRealtimeServer(target);

  /** Everything after `after`, page by page, as a reconnecting client fetches it. */
  const missedSince = async (slug: string, token: string, after: number) => {
    const all: ChatMessage[] = [];
    for (let cursor = after; ; ) {
      const page = await api<Page<ChatMessage>>(server.url, `/api/events/${slug}/chat?after=${cursor}&limit=50`, { token });
      all.push(...page.body.items);
      if (!page.body.has_more) return all;
      cursor = page.body.items.at(-1)!.id;
    }
  };

  it('misses nothing acknowledged and repeats nothing: the welcome, the live stream and chat?after=ID fit together', async () => {
    const event = await createEvent(server, 'reconexion');
    const ana = await attendeeOf(server, event.slug);
    const staff = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const first = await connect(server, { event: event.slug, token: ana.token });
    const acknowledged: number[] = [];
    const say = async (text: string) => acknowledged.push((await staff.ok({ type: 'chat', message: text })).id!);
    for (let n = 1; n <= 3; n += 1) await say(`antes ${n}`);
    await first.socket.waitFor('chat', (m) => m.id === acknowledged.at(-1));
    const seen = first.socket.all('chat').map((m) => m.id);
    await first.socket.close();

    // 70 messages while away: more than the welcome holds. Some may still be in the
    // coalescing window when the client comes back; they must then arrive live, once.
    for (let n = 1; n <= 70; n += 1) await say(`durante ${n}`);
    const back = await connect(server, { event: event.slug, token: ana.token });
    const welcomed = back.welcome.chat.map((m) => m.id);
    const missed = (await missedSince(event.slug, ana.token, Math.max(...seen))).map((m) => m.id);
    for (let n = 1; n <= 2; n += 1) await say(`después ${n}`);
    await back.socket.waitFor('chat', (m) => m.id === acknowledged.at(-1));
    const live = back.socket.all('chat').map((m) => m.id);

    expect(new Set(live).size).toBe(live.length);
    expect(live.filter((id) => welcomed.includes(id))).toEqual([]);
    expect(new Set(missed).size).toBe(missed.length);
    expect(missed[0]).toBe(acknowledged[3]);
    // The client's merge: history up to what it fetched, then live messages past it.
    const caughtUp = Math.max(...missed);
    const delivered = [...seen, ...missed, ...live.filter((id) => id > caughtUp)];
    expect(delivered).toEqual(acknowledged);
  });

  it('welcomes with the last 50 messages, oldest first, without deleted ones', async () => {
    const event = await createEvent(server, 'bienvenida');
    const staff = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const ids: number[] = [];
    for (let n = 1; n <= 55; n += 1) ids.push((await staff.ok({ type: 'chat', message: `m${n}` })).id!);
    await staff.ok({ type: 'delete_chat', id: ids[54]! });
    await staff.waitFor('chat_deleted', (m) => m.id === ids[54]);
    const newcomer = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    expect(newcomer.welcome.chat.map((m) => m.id)).toEqual(ids.slice(4, 54));
  });
});
