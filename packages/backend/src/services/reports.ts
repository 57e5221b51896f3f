import { Op, fn, col } from 'sequelize';
import {
  fieldValueText,
  localizedText,
  type EventReport,
  type FieldValue,
  type Lang,
  type QuestionStatus,
  type RegistrationField,
} from '@palco/sdk/protocol';
import type { Database } from '../db/database.js';
import {
  ChatMessageRow,
  ModerationActionRow,
  PollRow,
  PollVoteRow,
  QuestionRow,
  ReactionCountRow,
  UserRow,
  ViewerSampleRow,
  type EventRow,
} from '../db/models.js';
import { tally, toPoll } from '../polls/tally.js';
import { participantsAfter, watchSummary } from './report-tables.js';
import { countryName } from './countries.js';
import { iso, registrationFieldsOf } from './serialize.js';

/** The analytics of docs/architecture.md "Analytics" for one event, as of now. */
export async function buildReport(db: Database, event: EventRow, activeNow: number, now: number): Promise<EventReport> {
  const [watch, samples, questionCounts, chatMessages, polls, reactions] = await Promise.all([
    watchSummary(db, event.id),
    ViewerSampleRow.findAll({ where: { event_id: event.id }, order: [['sampled_at', 'ASC'], ['id', 'ASC']] }),
    QuestionRow.findAll({
      attributes: ['status', [fn('COUNT', col('id')), 'count']],
      where: { event_id: event.id },
      group: ['status'],
      raw: true,
    }) as unknown as Promise<Array<{ status: QuestionStatus; count: number | string }>>,
    ChatMessageRow.count({ where: { event_id: event.id, deleted_at: null } }),
    pollsWithResults(db, event.id),
    reactionsPerMinute(event.id),
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
      live_minutes: Math.floor(watch.liveSeconds / 60),
      on_demand_minutes: Math.floor(watch.onDemandSeconds / 60),
    },
    distribution: watch.distribution,
    questions,
    chat_messages: chatMessages,
    curve,
    polls,
    reactions,
  };
}

async function pollsWithResults(db: Database, eventId: number): Promise<EventReport['polls']> {
  const rows = await PollRow.findAll({ where: { event_id: eventId }, order: [['id', 'ASC']] });
  return Promise.all(rows.map(toPoll).map(async (poll) => ({ poll, results: await tally(db.sequelize, poll, true) })));
}

async function reactionsPerMinute(eventId: number): Promise<EventReport['reactions']> {
  const rows = await ReactionCountRow.findAll({ where: { event_id: eventId }, order: [['minute', 'ASC'], ['emoji', 'ASC']] });
  const minutes = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const at = iso(row.minute);
    const counts = minutes.get(at) ?? {};
    counts[row.emoji] = (counts[row.emoji] ?? 0) + row.count;
    minutes.set(at, counts);
  }
  return [...minutes].map(([at, counts]) => ({ at, counts }));
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
    es: ['id', 'nombre', 'correo', 'teléfono', 'registrado', 'minutos_vistos', 'segundos_vistos', 'segundos_en_vivo', 'segundos_repetición', 'último_ping', 'respuestas_encuestas', 'estado', 'consentimiento', 'versión_aviso', 'ip_consentimiento'],
    en: ['id', 'name', 'email', 'phone', 'registered_at', 'minutes_watched', 'seconds_watched', 'live_seconds', 'on_demand_seconds', 'last_ping', 'poll_answers', 'status', 'consent_at', 'consent_version', 'consent_ip'],
  },
  questions: {
    es: ['id', 'usuario_id', 'autor', 'pregunta', 'estado', 'votos', 'creada', 'aprobada', 'respondida', 'moderada_por', 'anónima', 'etiqueta', 'respuesta', 'fecha_respuesta', 'archivada'],
    en: ['id', 'user_id', 'author', 'question', 'status', 'upvotes', 'created_at', 'approved_at', 'read_at', 'moderated_by', 'anonymous', 'label', 'answer', 'answered_at', 'archived_at'],
  },
  chat: {
    es: ['id', 'usuario_id', 'autor', 'mensaje', 'enviado', 'borrado'],
    en: ['id', 'user_id', 'author', 'message', 'created_at', 'deleted_at'],
  },
  /** One row per answer: the poll, the attendee, what they answered and when. */
  polls: {
    es: ['encuesta_id', 'pregunta', 'tipo', 'respuesta_id', 'usuario_id', 'asistente', 'correo', 'respuesta', 'estado_respuesta', 'correcta', 'puntos', 'respondida'],
    en: ['poll_id', 'question', 'kind', 'answer_id', 'user_id', 'attendee', 'email', 'answer', 'answer_status', 'correct', 'score', 'answered_at'],
  },
  /** The moderation log, oldest first: who acted, on whom, on what, why. */
  moderation: {
    es: ['id', 'cuándo', 'moderador_id', 'moderador', 'acción', 'persona_id', 'persona', 'elemento_id', 'motivo', 'detalle'],
    en: ['id', 'created_at', 'actor_id', 'actor', 'action', 'target_user_id', 'target_user', 'target_id', 'reason', 'detail'],
  },
} satisfies Record<string, Record<Lang, string[]>>;

export type ReportExport = keyof typeof headers;

/** A question's status in the export's language, so a Spanish file never mixes in `approved` (terms: docs/glossary.md). */
const statusWords: Record<Lang, Record<QuestionStatus, string>> = {
  es: { pending: 'pendiente', approved: 'aprobada', rejected: 'rechazada', read: 'respondida' },
  en: { pending: 'pending', approved: 'approved', rejected: 'rejected', read: 'answered' },
};

/** The column names of one export, in `lang`; participants end with one column per custom field, headed by its label. */
export function exportHeader(kind: ReportExport, event: EventRow, lang: Lang): readonly string[] {
  if (kind !== 'participants') return headers[kind][lang];
  return [...headers[kind][lang], ...registrationFieldsOf(event).map((field) => localizedText(field.label, lang))];
}

/** An answer as an export's cell: numbers stay numbers, countries are named in `lang`. */
function answerCell(field: RegistrationField, value: FieldValue | undefined, lang: Lang): ExportCell {
  if (value === undefined) return null;
  if (typeof value === 'number') return value;
  if (field.type === 'country' && typeof value === 'string') return countryName(value, lang);
  return fieldValueText(value, lang);
}

const pageSize = 1_000;

/** Rows of a table for one event, a page at a time by id, so an export never holds a whole table. */
async function* pageBatches<T>(load: (afterId: number) => Promise<T[]>, idOf: (row: T) => number): AsyncGenerator<T[]> {
  let after = 0;
  for (;;) {
    const rows = await load(after);
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = idOf(rows.at(-1)!);
  }
}

async function* pagesOf<T>(load: (afterId: number) => Promise<T[]>, idOf: (row: T) => number): AsyncGenerator<T> {
  for await (const rows of pageBatches(load, idOf)) yield* rows;
}
const rowId = (row: { id: number }) => row.id;
const moment = (date: Date | string) => new Date(date);
const momentOrNull = (date: Date | string | null) => (date == null ? null : new Date(date));

/** The names of the moderators behind `ids` not yet in `known`, added to it: one query a page of questions. */
async function learnNames(known: Map<number, string>, ids: ReadonlyArray<number | null>): Promise<void> {
  const missing = [...new Set(ids)].filter((id): id is number => id != null && !known.has(id));
  if (missing.length === 0) return;
  for (const user of await UserRow.findAll({ attributes: ['id', 'name'], where: { id: missing } })) known.set(user.id, user.name);
}

/**
 * The rows of one export in id order, cells in `exportHeader`'s order, without the header.
 * Statuses are worded in `lang`, and a question's moderator is named, not numbered.
 */
export async function* exportRows(db: Database, kind: ReportExport, event: EventRow, lang: Lang): AsyncGenerator<ExportCell[]> {
  const page = { order: [['id', 'ASC']] as [string, string][], limit: pageSize };
  const eventId = event.id;
  switch (kind) {
    case 'participants': {
      const fields = registrationFieldsOf(event);
      for await (const p of pagesOf((after) => participantsAfter(db, eventId, after, pageSize), (p) => p.user_id)) {
        yield [
          p.user_id,
          p.name,
          p.email,
          p.phone,
          moment(p.registered_at),
          p.total_minutes,
          p.total_seconds,
          p.live_seconds,
          p.on_demand_seconds,
          momentOrNull(p.last_ping),
          p.poll_answers,
          p.status,
          momentOrNull(p.consent_at),
          p.consent_version,
          p.consent_ip,
          ...fields.map((field) => answerCell(field, p.fields[field.key], lang)),
        ];
      }
      return;
    }
    case 'questions': {
      const moderators = new Map<number, string>();
      const loadPage = async (after: number) => {
        const rows = await QuestionRow.findAll({ where: { event_id: eventId, id: { [Op.gt]: after } }, ...page });
        await learnNames(moderators, rows.map((row) => row.moderated_by));
        return rows;
      };
      for await (const q of pagesOf(loadPage, rowId)) {
        // An anonymous author stays unknown outside moderation, exports included.
        const anonymous = Boolean(q.anonymous);
        yield [
          q.id,
          anonymous ? null : q.user_id,
          anonymous ? '' : q.user_name,
          q.question_text,
          statusWords[lang][q.status as QuestionStatus],
          q.upvotes,
          moment(q.created_at),
          momentOrNull(q.approved_at),
          momentOrNull(q.read_at),
          q.moderated_by == null ? null : (moderators.get(q.moderated_by) ?? null),
          anonymous ? 1 : 0,
          q.label ?? null,
          q.answer ?? null,
          momentOrNull(q.answered_at ?? null),
          momentOrNull(q.archived_at ?? null),
        ];
      }
      return;
    }
    case 'chat':
      for await (const m of pagesOf((after) => ChatMessageRow.findAll({ where: { event_id: eventId, id: { [Op.gt]: after } }, ...page }), rowId)) {
        yield [m.id, m.user_id, m.user_name, m.message, moment(m.created_at), momentOrNull(m.deleted_at)];
      }
      return;
    case 'moderation':
      for (let after = 0; ; ) {
        const rows = await ModerationActionRow.findAll({ where: { event_id: eventId, id: { [Op.gt]: after } }, ...page });
        // One query a page names both sides of every entry: who acted and on whom.
        const ids = [...new Set(rows.flatMap((row) => [row.actor_id, row.target_user_id]).filter((id): id is number => id !== null))];
        const users = ids.length ? await UserRow.findAll({ attributes: ['id', 'name'], where: { id: ids } }) : [];
        const names = new Map(users.map((user) => [user.id, user.name]));
        const nameOf = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
        for (const r of rows) {
          yield [r.id, moment(r.created_at), r.actor_id, nameOf(r.actor_id), r.action, r.target_user_id, nameOf(r.target_user_id), r.target_id, r.reason ?? null, r.detail ?? null];
        }
        if (rows.length < pageSize) return;
        after = rows.at(-1)!.id;
      }
    case 'polls':
      yield* pollAnswerRows(eventId);
      return;
  }
}

/** The answers of every poll of the event in answer order, each with its poll and attendee. */
async function* pollAnswerRows(eventId: number): AsyncGenerator<ExportCell[]> {
  const polls = new Map((await PollRow.findAll({ where: { event_id: eventId } })).map((row) => [row.id, toPoll(row)]));
  const page = { order: [['id', 'ASC']] as [string, string][], limit: pageSize };
  const load = (after: number) => PollVoteRow.findAll({ where: { event_id: eventId, id: { [Op.gt]: after } }, ...page });
  // A page of answers at a time, with the names and emails of its people read together.
  for await (const answers of pageBatches(load, rowId)) {
    const people = new Map(
      (await UserRow.findAll({ attributes: ['id', 'name', 'email'], where: { id: [...new Set(answers.map((answer) => answer.user_id))] } })).map((user) => [user.id, user]),
    );
    for (const answer of answers) {
      const poll = polls.get(answer.poll_id);
      const person = people.get(answer.user_id);
      const labels = new Map(poll?.options.map((option) => [option.id, option.text]));
      const said = answer.choices
        ? (JSON.parse(answer.choices) as number[]).map((id) => labels.get(id) ?? String(id)).join('; ')
        : answer.rating != null
          ? String(answer.rating)
          : (answer.text ?? '');
      yield [
        answer.poll_id,
        poll?.question ?? null,
        poll?.kind ?? null,
        answer.id,
        answer.user_id,
        person?.name ?? null,
        person?.email ?? null,
        said,
        answer.answer_status,
        answer.correct == null ? null : answer.correct ? 1 : 0,
        answer.score,
        moment(answer.created_at),
      ];
    }
  }
}

/** The lines of one CSV export, BOM and header first. */
export async function* csvExport(db: Database, kind: ReportExport, event: EventRow, lang: Lang): AsyncGenerator<string> {
  yield utf8Bom + csvRecord(exportHeader(kind, event, lang));
  for await (const row of exportRows(db, kind, event, lang)) yield csvRecord(row);
}
