import { QueryTypes } from 'sequelize';
import {
  publicQuestion,
  QuestionStatus,
  Role,
  type ParticipantReport,
  type ParticipantSort,
  type ParticipantsQuery,
  type Question,
  type QuestionSort,
  type RegistrationStatus,
  type ReportQuestionsQuery,
  type SortDirection,
  type TablePage,
  type WatchTimeBucket,
} from '@palco/sdk/protocol';
import type { Database } from '../db/database.js';
import { QuestionRow } from '../db/models.js';
import { fieldValuesOf, iso, isoOrNull, toQuestion } from './serialize.js';

/*
 * The report's tables are searched, sorted and paged in SQL: an event may have 50 000
 * attendees, and a page of them should cost one indexed scan, not a load of every row.
 */

const defaultPageSize = 50;

/** `%text%` for LIKE, with the wildcards in the text escaped by `!` (SQLite has no default escape). */
function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (match) => `!${match}`)}%`;
}

/** `(a LIKE ? ESCAPE '!' OR b LIKE ? …)` for a search in several columns, or nothing for an empty search. */
function searchClause(columns: readonly string[], q: string | undefined): { sql: string; replacements: string[] } {
  if (!q) return { sql: '', replacements: [] };
  const pattern = containsPattern(q);
  return {
    sql: ` AND (${columns.map((column) => `${column} LIKE ? ESCAPE '!'`).join(' OR ')})`,
    replacements: columns.map(() => pattern),
  };
}

/** Text sorts ignore case on both databases (MySQL's collation, set by migration 005, already does). */
function textOrder(db: Database, column: string): string {
  return db.dialect === 'sqlite' ? `${column} COLLATE NOCASE` : column;
}

/** ORDER BY a whitelisted expression, then the id the same way, so pages never overlap. */
function orderBy(expression: string, idColumn: string, dir: SortDirection): string {
  const direction = dir === 'desc' ? 'DESC' : 'ASC';
  return ` ORDER BY ${expression} ${direction}, ${idColumn} ${direction}`;
}

async function countOf(db: Database, sql: string, replacements: unknown[]): Promise<number> {
  const [row] = await db.sequelize.query<{ total: number | string }>(`SELECT COUNT(*) AS total ${sql}`, {
    replacements,
    type: QueryTypes.SELECT,
  });
  return Number(row?.total ?? 0);
}

/* ------------------------------------------------------------------ participants */

const participantsFrom = `
  FROM users u
  LEFT JOIN session_analytics s ON s.user_id = u.id AND s.event_id = u.event_id
 WHERE u.event_id = ? AND u.role = ?`;

// The poll answers are counted per row of the page through the (event_id, user_id) index.
const participantColumns = `u.id AS user_id, u.name, u.email, u.phone, u.created_at AS registered_at,
       COALESCE(s.total_seconds, 0) AS total_seconds, COALESCE(s.live_seconds, 0) AS live_seconds,
       COALESCE(s.on_demand_seconds, 0) AS on_demand_seconds, s.last_ping,
       (SELECT COUNT(*) FROM poll_votes pv WHERE pv.event_id = u.event_id AND pv.user_id = u.id) AS poll_answers,
       u.status, u.fields, u.consent_at, u.consent_version, u.consent_ip`;

interface ParticipantRecord {
  user_id: number;
  name: string;
  email: string;
  phone: string | null;
  registered_at: Date | string;
  total_seconds: number | string;
  live_seconds: number | string;
  on_demand_seconds: number | string;
  last_ping: Date | string | null;
  poll_answers: number | string;
  status: RegistrationStatus;
  fields: string | null;
  consent_at: Date | string | null;
  consent_version: string | null;
  consent_ip: string | null;
}

/** A participant as the report shows them; exports add `consent_ip`. */
function toParticipant(row: ParticipantRecord): ParticipantReport {
  const totalSeconds = Number(row.total_seconds);
  return {
    user_id: Number(row.user_id),
    name: row.name,
    email: row.email,
    phone: row.phone,
    registered_at: iso(row.registered_at),
    total_minutes: Math.floor(totalSeconds / 60),
    total_seconds: totalSeconds,
    live_seconds: Number(row.live_seconds),
    on_demand_seconds: Number(row.on_demand_seconds),
    last_ping: isoOrNull(row.last_ping),
    poll_answers: Number(row.poll_answers),
    status: row.status,
    fields: fieldValuesOf(row),
    consent_at: isoOrNull(row.consent_at),
    consent_version: row.consent_version,
  };
}

function participantOrder(db: Database, sort: ParticipantSort): string {
  switch (sort) {
    case 'name':
    case 'email':
    case 'phone':
      return textOrder(db, `u.${sort}`);
    case 'registered_at':
      return 'u.created_at';
    case 'minutes':
      return 'COALESCE(s.total_seconds, 0)';
    case 'status':
      return 'u.status';
  }
}

/** One page of the event's attendees with their watch time, and how many match the search. */
export async function participantsPage(
  db: Database,
  eventId: number,
  query: ParticipantsQuery,
): Promise<TablePage<ParticipantReport>> {
  const { sort = 'registered_at', dir = 'asc', offset = 0, limit = defaultPageSize } = query;
  // The answers are searched in their stored JSON: a value's text appears there as typed.
  const search = searchClause(['u.name', 'u.email', 'u.phone', 'u.fields'], query.q);
  const from = participantsFrom + search.sql;
  const replacements = [eventId, Role.attendee, ...search.replacements];
  const [rows, total] = await Promise.all([
    db.sequelize.query<ParticipantRecord>(
      `SELECT ${participantColumns} ${from}${orderBy(participantOrder(db, sort), 'u.id', dir)} LIMIT ? OFFSET ?`,
      { replacements: [...replacements, limit, offset], type: QueryTypes.SELECT },
    ),
    countOf(db, from, replacements),
  ]);
  return { items: rows.map(toParticipant), total, offset, limit };
}

/** A participant as exported: the report's row and the address their consent came from. */
export type ExportedParticipant = ParticipantReport & { consent_ip: string | null };

/** Attendees in registration order after `afterId`, for exports that page by id. */
export async function participantsAfter(db: Database, eventId: number, afterId: number, limit: number): Promise<ExportedParticipant[]> {
  const rows = await db.sequelize.query<ParticipantRecord>(
    `SELECT ${participantColumns} ${participantsFrom} AND u.id > ? ORDER BY u.id ASC LIMIT ?`,
    { replacements: [eventId, Role.attendee, afterId, limit], type: QueryTypes.SELECT },
  );
  return rows.map((row) => ({ ...toParticipant(row), consent_ip: row.consent_ip }));
}

/* ------------------------------------------------------------------ watch time */

/** Lower bounds of the distribution's buckets, in minutes: under 1, 1–4, 5–14, 15–29, 30–59, 60–119, 120 and more. */
export const bucketStarts = [0, 1, 5, 15, 30, 60, 120] as const;

export interface WatchSummary {
  registered: number;
  /** Attendees with a watch-time row: they connected at least once. */
  watchers: number;
  totalSeconds: number;
  liveSeconds: number;
  onDemandSeconds: number;
  /** By each attendee's total watch time. */
  distribution: WatchTimeBucket[];
}

/** The watch-time columns a summary reads: the total, and its live and on-demand phases. */
const phases = ['total', 'live', 'on_demand'] as const;
type Phase = (typeof phases)[number];

/** An attendee's seconds of one phase, 0 for one who never connected. */
const secondsOf = (phase: Phase) => `COALESCE(s.${phase}_seconds, 0)`;

/** The index in bucketStarts of the bucket that an attendee's seconds of `phase` fall in. */
const bucketOf = (phase: Phase) =>
  `CASE ${bucketStarts
    .slice(1)
    .map((start, index) => `WHEN ${secondsOf(phase)} < ${start * 60} THEN ${index}`)
    .join(' ')} ELSE ${bucketStarts.length - 1} END`;

type BucketRow = Record<`${Phase}_bucket` | 'registered' | 'watchers', number | string> & Record<`${Phase}_sum`, number | string | null>;

/**
 * Registered attendees, who watched, the seconds watched (in all, live and on demand) and the
 * distribution: each bucket counts attendees by their total, and by their live and their
 * on-demand seconds apart (`live_participants`, `on_demand_participants`). One query groups
 * the attendees by all three buckets at once.
 */
export async function watchSummary(db: Database, eventId: number): Promise<WatchSummary> {
  const buckets = phases.map(bucketOf);
  const rows = await db.sequelize.query<BucketRow>(
    `SELECT ${phases.map((phase, index) => `${buckets[index]} AS ${phase}_bucket, SUM(${secondsOf(phase)}) AS ${phase}_sum`).join(', ')},
            COUNT(*) AS registered, COUNT(s.id) AS watchers
       ${participantsFrom}
      GROUP BY ${buckets.join(', ')}`,
    { replacements: [eventId, Role.attendee], type: QueryTypes.SELECT },
  );
  const sum = (pick: (row: BucketRow) => unknown, where: (row: BucketRow) => boolean = () => true) =>
    rows.reduce((total, row) => total + (where(row) ? Number(pick(row) ?? 0) : 0), 0);
  const countIn = (phase: Phase, index: number) => sum((row) => row.registered, (row) => Number(row[`${phase}_bucket`]) === index);
  const distribution = bucketStarts.map((from, index) => ({
    from_minutes: from,
    to_minutes: bucketStarts[index + 1] ?? null,
    participants: countIn('total', index),
    live_participants: countIn('live', index),
    on_demand_participants: countIn('on_demand', index),
  }));
  return {
    registered: sum((row) => row.registered),
    watchers: sum((row) => row.watchers),
    totalSeconds: sum((row) => row.total_sum),
    liveSeconds: sum((row) => row.live_sum),
    onDemandSeconds: sum((row) => row.on_demand_sum),
    distribution,
  };
}

/* ------------------------------------------------------------------ questions */

function questionOrder(sort: QuestionSort): string {
  switch (sort) {
    case 'created_at':
      return 'created_at';
    case 'votes':
      return 'upvotes';
    case 'status':
      // The order a question moves through, not the alphabet's.
      return `CASE status WHEN '${QuestionStatus.pending}' THEN 0 WHEN '${QuestionStatus.approved}' THEN 1 WHEN '${QuestionStatus.read}' THEN 2 ELSE 3 END`;
  }
}

/** One page of the event's questions, every status, with votes; and how many match. */
export async function questionsPage(db: Database, eventId: number, query: ReportQuestionsQuery): Promise<TablePage<Question>> {
  const { sort = 'votes', dir = 'desc', offset = 0, limit = defaultPageSize } = query;
  const search = searchClause(['question_text', 'user_name'], query.q);
  const status = query.status ? ' AND status = ?' : '';
  const from = `FROM questions WHERE event_id = ?${status}${search.sql}`;
  const replacements = [eventId, ...(query.status ? [query.status] : []), ...search.replacements];
  const [rows, total] = await Promise.all([
    db.sequelize.query(`SELECT * ${from}${orderBy(questionOrder(sort), 'id', dir)} LIMIT ? OFFSET ?`, {
      replacements: [...replacements, limit, offset],
      model: QuestionRow,
      mapToModel: true,
    }),
    countOf(db, from, replacements),
  ]);
  // Reports are read by moderators but shared further: an anonymous author stays out of them.
  return { items: rows.map((row) => publicQuestion(toQuestion(row))), total, offset, limit };
}
