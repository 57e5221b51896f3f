import { describe, expect, it } from 'vitest';
import type { HeldChat } from '@palco/sdk/protocol';
import { RoomState } from '../../packages/backend/src/realtime/room-state.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('what a welcome reads on $name', (target) => {
  const server = useRealtimeServer(target);

  /** Statements naming `table` while `work` runs. */
  async function statementsOn(tables: string[], work: () => Promise<void>): Promise<string[]> {
    const { sequelize } = server.deps.db;
    const query = sequelize.query.bind(sequelize);
    const seen: string[] = [];
    sequelize.query = ((...args: Parameters<typeof query>) => {
      const sql = String(args[0]);
      if (tables.some((table) => sql.includes(table))) seen.push(sql);
      return query(...args);
    }) as typeof sequelize.query;
    try {
      await work();
    } finally {
      sequelize.query = query;
    }
    return seen;
  }

  it('admits attendees of an event with no poll and no held chat without reading poll answers or held messages', async () => {
    const event = await createEvent(server, 'sin-encuestas');
    const first = await attendeeOf(server, event.slug);
    // The room is loaded by the first socket: its one read of held messages is the load's.
    const opened = [(await connect(server, { event: event.slug, token: first.token })).socket];
    const attendees = await Promise.all(Array.from({ length: 12 }, () => attendeeOf(server, event.slug)));
    const reads = await statementsOn(['poll_votes', 'held_chat'], async () => {
      for (const attendee of attendees) {
        const { socket, welcome } = await connect(server, { event: event.slug, token: attendee.token });
        expect(welcome.my_votes).toEqual([]);
        expect(welcome.held).toEqual([]);
        opened.push(socket);
      }
    });
    expect(reads).toEqual([]);
    await Promise.all(opened.map((socket) => socket.close()));
  });

  it('knows from its load that an event has a held message waiting, and then reads each newcomer\'s own', async () => {
    const event = await createEvent(server, 'con-retenidos', { blocked_words: ['spoiler'] });
    const ana = await attendeeOf(server, event.slug);
    const { socket } = await connect(server, { event: event.slug, token: ana.token });
    const held = (await socket.ok({ type: 'chat', message: 'spoiler del final' })).data as HeldChat;
    await socket.close();
    expect((await RoomState.load(event.id)).mayHoldChat).toBe(true);
    expect((await RoomState.load((await createEvent(server, 'sin-retenidos')).id)).mayHoldChat).toBe(false);
    const again = await connect(server, { event: event.slug, token: ana.token });
    expect(again.welcome.held?.map((one) => one.id)).toEqual([held.id]);
    await again.socket.close();
  });
});
