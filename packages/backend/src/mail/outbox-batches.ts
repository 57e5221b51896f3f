import { QueryTypes } from 'sequelize';
import { MailStatus } from '@palco/sdk/protocol';
import { issueSignInTokens } from '../auth/sign-in-links.js';
import { Batcher } from '../db/batcher.js';
import type { Database } from '../db/database.js';
import { EventRow, MailOutboxRow, UserRow } from '../db/models.js';

/** A claimed message with what judging and rendering it needs; null members are gone. */
export interface LoadedMail {
  row: MailOutboxRow;
  event: EventRow | null;
  user: UserRow | null;
}

/** What a sent message records: the server's Message-ID and answer, as the admin API shows them. */
export interface SentRecord {
  id: number;
  payload: string;
}

/** Rows read or written at once: the claim batch is at most the mail concurrency, far below this. */
const maxBatch = 200;

const fulfilled = <T>(value: T): PromiseSettledResult<T> => ({ status: 'fulfilled', value });

/**
 * The outbox's reads and writes around each send, grouped across the messages in flight
 * (db/batcher.ts): a batch of claimed messages costs three SELECTs, one INSERT of sign-in
 * links and one UPDATE marking them sent, instead of as many per message. Each message still
 * gets its own outcome.
 */
export class OutboxBatches {
  /** Outbox row, event and user by outbox id: null when the row is gone. */
  readonly load = new Batcher<number, LoadedMail | null>((ids) => this.read(ids), maxBatch);
  /** A fresh sign-in token for the user, valid from the outbox clock's now. */
  readonly signInToken = new Batcher<UserRow, string>(async (users) => (await issueSignInTokens(users, this.now())).map(fulfilled), maxBatch);
  /** Marks messages sent at the outbox clock's now, one UPDATE for the batch. */
  readonly markSent = new Batcher<SentRecord, void>((records) => this.writeSent(records), maxBatch);

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  private async read(ids: number[]): Promise<PromiseSettledResult<LoadedMail | null>[]> {
    const rows = await MailOutboxRow.findAll({ where: { id: ids } });
    const userIds = [...new Set(rows.map((row) => row.user_id).filter((id): id is number => id != null))];
    const eventIds = [...new Set(rows.map((row) => row.event_id))];
    const [users, events] = await Promise.all([
      userIds.length ? UserRow.findAll({ where: { id: userIds } }) : Promise.resolve([]),
      EventRow.findAll({ where: { id: eventIds } }),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const usersById = new Map(users.map((user) => [user.id, user]));
    const eventsById = new Map(events.map((event) => [event.id, event]));
    return ids.map((id) => {
      const row = byId.get(id);
      if (!row) return fulfilled(null);
      const user = row.user_id == null ? null : (usersById.get(row.user_id) ?? null);
      return fulfilled({ row, event: eventsById.get(row.event_id) ?? null, user });
    });
  }

  private async writeSent(records: SentRecord[]): Promise<PromiseSettledResult<void>[]> {
    const cases = records.map((_, i) => `WHEN :id${i} THEN :payload${i}`).join(' ');
    const replacements: Record<string, unknown> = { sent: MailStatus.sent, sentAt: new Date(this.now()), ids: records.map((r) => r.id) };
    records.forEach((record, i) => {
      replacements[`id${i}`] = record.id;
      replacements[`payload${i}`] = record.payload;
    });
    await this.db.sequelize.query(
      `UPDATE mail_outbox SET status = :sent, attempts = attempts + 1, last_error = NULL, sent_at = :sentAt,
         payload = CASE id ${cases} END
       WHERE id IN (:ids)`,
      { replacements, type: QueryTypes.UPDATE },
    );
    return records.map(() => fulfilled(undefined));
  }
}
