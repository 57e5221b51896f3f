import { UniqueConstraintError } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { ChatMessageRow } from '../db/models.js';
import { ChatWrites, type NewChatRow } from './chat-writes.js';

describe('chat group commits', () => {
  let db: Database;
  /** Statements sent, by kind, counted by the model's hooks. */
  let statements = { inserts: 0, selects: 0 };
  let writes: ChatWrites;

  beforeAll(async () => {
    db = await openDatabase('sqlite::memory:');
    await migrate(db);
    ChatMessageRow.addHook('beforeCreate', () => void (statements.inserts += 1));
    ChatMessageRow.addHook('beforeBulkCreate', () => void (statements.inserts += 1));
    ChatMessageRow.addHook('beforeFind', () => void (statements.selects += 1));
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await ChatMessageRow.destroy({ where: {} });
    statements = { inserts: 0, selects: 0 };
    writes = new ChatWrites();
  });

  const message = (userId: number, text: string, clientId: string | null, eventId = 1): NewChatRow => ({
    user_id: userId,
    user_name: `Persona ${userId}`,
    message: text,
    event_id: eventId,
    created_at: new Date(1_000_000),
    client_id: clientId,
  });
  const inserts = () => statements.inserts;

  it('stores the messages of many rooms that arrive together in one INSERT, each answered with its own row', async () => {
    const sent = Array.from({ length: 60 }, (_, i) => message(i + 1, `hola ${i}`, `cid-${i}`, (i % 3) + 1));
    const rows = await Promise.all(sent.map((row) => writes.insert.add(row)));
    expect(inserts()).toBe(1);
    expect(rows.map((row) => [row.user_id, row.event_id, row.message, row.client_id])).toEqual(
      sent.map((row) => [row.user_id, row.event_id, row.message, row.client_id]),
    );
    // The ids are the stored ones, not guessed: each reads back as its own message.
    const stored = await ChatMessageRow.findAll({ where: { id: rows.map((row) => row.id) } });
    expect(new Map(stored.map((row) => [row.id, row.message]))).toEqual(new Map(rows.map((row) => [row.id, row.message])));
  });

  it('gives a message without a cid one of its own, so it reads back with its own id', async () => {
    const rows = await Promise.all([writes.insert.add(message(7, 'sin cid', null)), writes.insert.add(message(7, 'otro sin cid', null))]);
    expect(inserts()).toBe(1);
    expect(rows[0]!.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[1]!.client_id).not.toBe(rows[0]!.client_id);
    expect((await ChatMessageRow.findByPk(rows[0]!.id))!.message).toBe('sin cid');
    expect((await ChatMessageRow.findByPk(rows[1]!.id))!.message).toBe('otro sin cid');
  });

  it('answers a resend racing its first copy with the unique index, and stores the rest of its batch alone', async () => {
    await writes.insert.add(message(3, 'primera', 'repetido'));
    const outcomes = await Promise.allSettled([
      writes.insert.add(message(3, 'reenvío', 'repetido')),
      writes.insert.add(message(4, 'de otra persona', 'repetido')),
      writes.insert.add(message(5, 'nuevo', 'nuevo')),
    ]);
    expect(outcomes[0]!.status).toBe('rejected');
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueConstraintError);
    expect(outcomes.slice(1).map((outcome) => outcome.status === 'fulfilled' && outcome.value.message)).toEqual(['de otra persona', 'nuevo']);
    expect(await ChatMessageRow.count()).toBe(3);
  });

  it('looks up the cids of many members in one query, matching each member to their own cid only', async () => {
    await Promise.all([writes.insert.add(message(1, 'uno', 'a')), writes.insert.add(message(2, 'dos', 'b'))]);
    statements = { inserts: 0, selects: 0 };
    const found = await Promise.all([
      writes.earlier.add({ userId: 1, clientId: 'a' }),
      writes.earlier.add({ userId: 2, clientId: 'b' }),
      // Both ids are in the query's two IN lists; neither pair was stored.
      writes.earlier.add({ userId: 1, clientId: 'b' }),
      writes.earlier.add({ userId: 2, clientId: 'a' }),
    ]);
    expect(statements.selects).toBe(1);
    expect(found.map((row) => row?.message ?? null)).toEqual(['uno', 'dos', null, null]);
  });
});
