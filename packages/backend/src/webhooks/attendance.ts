import { QueryTypes } from 'sequelize';
import { Role, WebhookTopic } from '@palco/sdk/protocol';
import type { Database } from '../db/database.js';
import { WebhookRow, type EventRow } from '../db/models.js';
import type { Logger } from '../log.js';
import type { Webhooks } from './webhooks.js';

/** Attendees read per query. */
const pageSize = 1_000;

interface AttendanceRecord {
  id: number;
  name: string;
  email: string;
  live_seconds: number | string;
  on_demand_seconds: number | string;
  questions_asked: number | string;
  chat_messages: number | string;
}

/**
 * The `attendance` webhook of a closed event: one delivery per attendee (registered or
 * waitlisted, connected or not) with their live and on-demand minutes, the questions they
 * asked and the chat messages they sent, read a page of attendees at a time and queued
 * through the ordinary delivery machinery (batched INSERTs, retries, signatures). Watch time
 * is as stored when the event closes: each process writes what it counted every few seconds,
 * so the last seconds before the close may be missing. Nothing is read when the event has no
 * active webhook. Failures are logged, never thrown: the close has already happened.
 */
export async function announceAttendance(deps: { db: Database; webhooks: Webhooks; logger: Logger }, event: EventRow): Promise<number> {
  try {
    if ((await WebhookRow.count({ where: { event_id: event.id, active: true } })) === 0) return 0;
    let sent = 0;
    for (let after = 0; ; ) {
      const rows = await deps.db.sequelize.query<AttendanceRecord>(
        `SELECT u.id, u.name, u.email,
                COALESCE(s.live_seconds, 0) AS live_seconds, COALESCE(s.on_demand_seconds, 0) AS on_demand_seconds,
                (SELECT COUNT(*) FROM questions q WHERE q.event_id = u.event_id AND q.user_id = u.id) AS questions_asked,
                (SELECT COUNT(*) FROM chat_messages c WHERE c.event_id = u.event_id AND c.user_id = u.id) AS chat_messages
           FROM users u
           LEFT JOIN session_analytics s ON s.user_id = u.id AND s.event_id = u.event_id
          WHERE u.event_id = ? AND u.role = ? AND u.id > ?
          ORDER BY u.id ASC LIMIT ?`,
        { replacements: [event.id, Role.attendee, after, pageSize], type: QueryTypes.SELECT },
      );
      for (const row of rows) {
        deps.webhooks.emit(event.id, WebhookTopic.attendance, {
          id: Number(row.id),
          name: row.name,
          email: row.email,
          live_minutes: Math.floor(Number(row.live_seconds) / 60),
          on_demand_minutes: Math.floor(Number(row.on_demand_seconds) / 60),
          questions_asked: Number(row.questions_asked),
          chat_messages: Number(row.chat_messages),
        });
      }
      sent += rows.length;
      if (rows.length < pageSize) return sent;
      after = Number(rows.at(-1)!.id);
    }
  } catch (error) {
    deps.logger.error({ err: error, eventId: event.id }, 'attendance webhooks not queued');
    return 0;
  }
}
