import { Op, fn, col } from 'sequelize';
import { type EventReport, type Lang, type QuestionStatus } from '@palco/sdk/protocol';
import type { Database } from '../db/database.js';
import { ChatMessageRow, QuestionRow, ViewerSampleRow, type EventRow } from '../db/models.js';
import { participantsAfter, watchSummary } from './report-tables.js';
import { iso } from './serialize.js';

/** The analytics of docs/architecture.md "Analytics" for one event, as of now. */
export async function buildReport(db: Database, event: EventRow, activeNow: number, now: number): Promise<EventReport> {
  const [watch, samples, questionCounts, chatMessages] = await Promise.all([
    watchSummary(db, event.id),
    ViewerSampleRow.findAll({ where: { event_id: event.id }, order: [['sampled_at', 'ASC'], ['id', 'ASC']] }),
    QuestionRow.findAll({
      attributes: ['status', [fn('COUNT', col('id')), 'count']],
      where: { event_id: event.id },
      group: ['status'],
      raw: true,
    }) as unknown as Promise<Array<{ status: QuestionStatus; count: number | string }>>,
    ChatMessageRow.count({ where: { event_id: event.id, deleted_at: null } }),
  ]);

  const questions = { pending: 0, approved: 0, read: 0, rejected: 0, total: 0 };
  for (const { status, count } of questionCounts) {
    if (status in questions) questions[status] += Number(count);
    questions.total += Number(count);
  }

  const curve = samples.map((sample) => ({ at: iso(sample.sampled_at), viewers: sample.viewers }));
  const peak = curve.reduce<EventReport['peak']>((best, point) => (best && best.viewers >= point.viewers ? best : point), null);

  return {
    event: { id: event.id, slug: event.slug, title: event.title, is_active: Boolean(event.is_active) },
    generated_at: new Date(now).toISOString(),
    active_now: activeNow,
    total_participants: watch.registered,
    peak,
    watch: {
      total_minutes: Math.floor(watch.totalSeconds / 60),
      // Averaged over the attendees who connected at all.
      average_minutes: watch.watchers === 0 ? 0 : Math.round((watch.totalSeconds / 60 / watch.watchers) * 10) / 10,
      watchers: watch.watchers,
    },
    distribution: watch.distribution,
    questions,
    chat_messages: chatMessages,
    curve,
  };
}

/* ------------------------------------------------------------------ exports */

/** One cell of an export: text, a number, a moment (UTC) or nothing. */
export type ExportCell = string | number | Date | null;

/**
 * One CSV record (RFC 4180): cells with a comma, quote or line break are quoted. A text cell
 * that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return) gets a leading
 * apostrophe, phone numbers such as `+34 600 000 000` included (docs/protocol.md, Exports).
 * Moments are written in ISO 8601, UTC.
 */
export function csvRecord(cells: readonly ExportCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(cell: ExportCell): string {
  if (cell === null) return '';
  let text = cell instanceof Date ? cell.toISOString() : String(cell);
  if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Spreadsheets read UTF-8 (accents and all) only when the file starts with a byte order mark. */
export const utf8Bom = '\uFEFF';

const headers = {
  participants: {
    es: ['id', 'nombre', 'correo', 'teléfono', 'registrado', 'minutos_vistos', 'segundos_vistos', 'último_ping'],
    en: ['id', 'name', 'email', 'phone', 'registered_at', 'minutes_watched', 'seconds_watched', 'last_ping'],
  },
  questions: {
    es: ['id', 'usuario_id', 'autor', 'pregunta', 'estado', 'votos', 'creada', 'aprobada', 'leída', 'moderada_por'],
    en: ['id', 'user_id', 'author', 'question', 'status', 'upvotes', 'created_at', 'approved_at', 'read_at', 'moderated_by'],
  },
  chat: {
    es: ['id', 'usuario_id', 'autor', 'mensaje', 'enviado', 'borrado'],
    en: ['id', 'user_id', 'author', 'message', 'created_at', 'deleted_at'],
  },
} satisfies Record<string, Record<Lang, string[]>>;

export type ReportExport = keyof typeof headers;

/** The column names of one export, in `lang`. */
export function exportHeader(kind: ReportExport, lang: Lang): readonly string[] {
  return headers[kind][lang];
}

const pageSize = 1_000;

/** Rows of a table for one event, a page at a time by id, so an export never holds a whole table. */
async function* pagesOf<T>(load: (afterId: number) => Promise<T[]>, idOf: (row: T) => number): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const rows = await load(after);
    yield* rows;
    if (rows.length < pageSize) return;
    after = idOf(rows.at(-1)!);
  }
}
const rowId = (row: { id: number }) => row.id;
const moment = (date: Date | string) => new Date(date);
const momentOrNull = (date: Date | string | null) => (date == null ? null : new Date(date));

/** The rows of one export in id order, cells in `exportHeader`'s order, without the header. */
export async function* exportRows(db: Database, kind: ReportExport, eventId: number): AsyncGenerator<ExportCell[]> {
  const page = { order: [['id', 'ASC']] as [string, string][], limit: pageSize };
  switch (kind) {
    case 'participants':
      for await (const p of pagesOf((after) => participantsAfter(db, eventId, after, pageSize), (p) => p.user_id)) {
        yield [p.user_id, p.name, p.email, p.phone, moment(p.registered_at), p.total_minutes, p.total_seconds, momentOrNull(p.last_ping)];
      }
      return;
    case 'questions':
      for await (const q of pagesOf((after) => QuestionRow.findAll({ where: { event_id: eventId, id: { [Op.gt]: after } }, ...page }), rowId)) {
        yield [
          q.id,
          q.user_id,
          q.user_name,
          q.question_text,
          q.status,
          q.upvotes,
          moment(q.created_at),
          momentOrNull(q.approved_at),
          momentOrNull(q.read_at),
          q.moderated_by,
        ];
      }
      return;
    case 'chat':
      for await (const m of pagesOf((after) => ChatMessageRow.findAll({ where: { event_id: eventId, id: { [Op.gt]: after } }, ...page }), rowId)) {
        yield [m.id, m.user_id, m.user_name, m.message, moment(m.created_at), momentOrNull(m.deleted_at)];
      }
      return;
  }
}

/** The lines of one CSV export, BOM and header first. */
export async function* csvExport(db: Database, kind: ReportExport, eventId: number, lang: Lang): AsyncGenerator<string> {
  yield utf8Bom + csvRecord(exportHeader(kind, lang));
  for await (const row of exportRows(db, kind, eventId)) yield csvRecord(row);
}
