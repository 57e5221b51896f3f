import { randomUUID } from 'node:crypto';
import { ConnectionError, Op, TimeoutError } from 'sequelize';
import { Batcher } from '../db/batcher.js';
import { ChatMessageRow } from '../db/models.js';

/** One member's client id (`cid`) of a message. */
export interface ClientIdKey {
  userId: number;
  clientId: string;
}

/** A chat message about to be stored; `client_id` is the sender's `cid`, or null without one. */
export interface NewChatRow {
  user_id: number;
  user_name: string;
  message: string;
  event_id: number;
  created_at: Date;
  client_id: string | null;
}

/** Rows per statement, well under both databases' limits on placeholders (7 per row). */
const maxRowsPerStatement = 200;

const keyOf = (userId: number, clientId: string) => `${userId}\u0000${clientId}`;

/**
 * The stored messages of `keys`, one lookup for all: `user_id IN (…) AND client_id IN (…)` on
 * the unique (user_id, client_id) index, then each pair matched here. Null where none is stored.
 */
async function findByClientIds(keys: ClientIdKey[]): Promise<PromiseSettledResult<ChatMessageRow | null>[]> {
  const rows = await ChatMessageRow.findAll({
    where: {
      user_id: { [Op.in]: [...new Set(keys.map((key) => key.userId))] },
      client_id: { [Op.in]: [...new Set(keys.map((key) => key.clientId))] },
    },
  });
  const byKey = new Map(rows.map((row) => [keyOf(row.user_id, row.client_id!), row]));
  return keys.map((key) => ({ status: 'fulfilled', value: byKey.get(keyOf(key.userId, key.clientId)) ?? null }));
}

/** A new message as inserted: with its `cid`, or one given here. */
type KeyedChatRow = NewChatRow & { client_id: string; deleted_at: null };

/** The database away or busy: each row alone would fail as the batch did, only slower. */
const failsEveryRow = (error: unknown) => error instanceof ConnectionError || error instanceof TimeoutError;

/**
 * Inserts `rows` one at a time, in order: on MariaDB's pool rows inserted at once take ids in
 * whatever order their connections reach the server, while the room broadcasts them in the
 * batch's order, and a catch-up by `after=ID` must not skip one broadcast later.
 */
async function insertEach(rows: KeyedChatRow[]): Promise<PromiseSettledResult<ChatMessageRow>[]> {
  const outcomes: PromiseSettledResult<ChatMessageRow>[] = [];
  for (const row of rows) {
    try {
      outcomes.push({ status: 'fulfilled', value: await ChatMessageRow.create(row) });
    } catch (reason) {
      outcomes.push({ status: 'rejected', reason });
    }
  }
  return outcomes;
}

/**
 * One multi-row INSERT for the messages of every room that arrive together. A message without
 * a `cid` is given one here (a UUID), so each row can be read back by its unique
 * (user_id, client_id): how a driver numbers the rows of a multi-row insert is not relied on.
 * If the statement fails for one row's sake (a resend racing its first copy into the unique
 * index, a value the table cannot hold) the rows are inserted one at a time, in order, so each
 * sender gets their own answer and the others' messages are stored; if it fails because the
 * database is away (ConnectionError, TimeoutError) every sender gets that error.
 */
async function insertChat(rows: NewChatRow[]): Promise<PromiseSettledResult<ChatMessageRow>[]> {
  const keyed: KeyedChatRow[] = rows.map((row) => ({ ...row, deleted_at: null, client_id: row.client_id ?? randomUUID() }));
  if (keyed.length === 1) return insertEach(keyed);
  try {
    await ChatMessageRow.bulkCreate(keyed);
  } catch (error) {
    if (failsEveryRow(error)) throw error;
    return insertEach(keyed);
  }
  const stored = await findByClientIds(keyed.map((row) => ({ userId: row.user_id, clientId: row.client_id })));
  return stored.map((outcome) => {
    const row = outcome.status === 'fulfilled' ? outcome.value : null;
    return row ? { status: 'fulfilled', value: row } : { status: 'rejected', reason: new Error('a stored chat message could not be read back') };
  });
}

/**
 * The chat of all of a process's rooms, stored in group commits (docs/architecture.md, "One
 * chat message, from a widget to every viewer", step 4): the lookups of resent `cid`s and the
 * inserts each go as one statement per batch instead of one per message. On SQLite every query
 * of the process waits for its one connection, so at a few hundred messages a second two
 * statements per message were the queue messages waited in (docs/performance.md, "Chat in
 * group commits"). A lone message still leaves at once.
 */
export class ChatWrites {
  /** The message stored earlier under a member's `cid`, or null. */
  readonly earlier = new Batcher<ClientIdKey, ChatMessageRow | null>(findByClientIds, maxRowsPerStatement);
  /**
   * Stores a new message; rejects with UniqueConstraintError when its `cid` is stored already,
   * or with the database's error for this row or for the whole batch (see insertChat).
   */
  readonly insert = new Batcher<NewChatRow, ChatMessageRow>(insertChat, maxRowsPerStatement);
}
