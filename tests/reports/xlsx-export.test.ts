import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParticipantReport, Question, TablePage } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, type Member, useRealtimeServer } from '../realtime/support.js';

/** An export opened the way a spreadsheet opens it: its first sheet, rows as cell values. */
async function openWorkbook(server: TestServer, path: string, token: string) {
  const response = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, await response.clone().text()).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0]!;
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row) => rows.push(row));
  return { response, sheet, rows };
}

describe.each(databaseTargets)('spreadsheet exports (.xlsx) on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  const people: Record<'emoji' | 'formula', Member> = {} as Record<'emoji' | 'formula', Member>;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'hoja');
    people.emoji = await attendeeOf(server, event.slug, '🍕 Ana Peña');
    people.formula = await attendeeOf(server, event.slug, '=1+1');
    const socket = (await connect(server, { event: event.slug, token: people.formula.token })).socket;
    await socket.ok({ type: 'ask', question: '=1+1' });
    await socket.ok({ type: 'chat', message: '+34 600 000 000 🎉' });
    await socket.close();
  });

  it('keeps phone numbers, formula-looking names and emoji exactly as entered, in text cells', async () => {
    const { response, sheet, rows } = await openWorkbook(server, `/api/events/${event.slug}/reports/participants.xlsx`, event.admin);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="hoja-participants.xlsx"');
    expect(sheet.name).toBe('Participantes');
    expect(rows[0]!.values).toEqual([undefined, 'id', 'nombre', 'correo', 'teléfono', 'registrado', 'minutos_vistos', 'segundos_vistos', 'segundos_en_vivo', 'segundos_repetición', 'último_ping', 'respuestas_encuestas', 'estado', 'consentimiento', 'versión_aviso', 'ip_consentimiento']);
    expect(rows).toHaveLength(3);

    const [emoji, formula] = [rows[1]!, rows[2]!];
    expect(emoji.getCell(1).value).toBe(people.emoji.user.id);
    expect(emoji.getCell(1).type).toBe(ExcelJS.ValueType.Number);
    expect(emoji.getCell(2).value).toBe('🍕 Ana Peña');
    expect(formula.getCell(2).value).toBe('=1+1');
    expect(formula.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(formula.getCell(2).formula).toBeUndefined();
    for (const row of [emoji, formula]) {
      expect(row.getCell(4).value).toBe('+34 600 000 000');
      expect(row.getCell(4).type).toBe(ExcelJS.ValueType.String);
      // Watch time in all, live and on demand: numbers, not text.
      for (const column of [7, 8, 9]) expect(row.getCell(column).type).toBe(ExcelJS.ValueType.Number);
    }
    // Who never connected has no last ping: an empty cell, not a date.
    expect(emoji.getCell(10).value).toBeNull();

    const listed = await api<TablePage<ParticipantReport>>(server.url, `/api/events/${event.slug}/reports/participants`, { token: event.admin });
    const registered = emoji.getCell(5);
    expect(registered.type).toBe(ExcelJS.ValueType.Date);
    expect((registered.value as Date).toISOString()).toBe(listed.body.items[0]!.registered_at);
  });

  it('exports questions and chat with their text, numbers and moments typed, headers in the asked language', async () => {
    const questions = await openWorkbook(server, `/api/events/${event.slug}/reports/questions.xlsx?lang=en`, event.moderator.token);
    expect(questions.sheet.name).toBe('Questions');
    expect(questions.rows[0]!.values).toEqual([
      undefined, 'id', 'user_id', 'author', 'question', 'status', 'upvotes', 'created_at', 'approved_at', 'read_at', 'moderated_by',
      'anonymous', 'label', 'answer', 'answered_at', 'archived_at',
    ]);
    const question = questions.rows[1]!;
    const listed = await api<TablePage<Question>>(server.url, `/api/events/${event.slug}/reports/questions`, { token: event.admin });
    expect(question.getCell(3).value).toBe('=1+1');
    expect(question.getCell(4).value).toBe('=1+1');
    expect(question.getCell(4).formula).toBeUndefined();
    expect(question.getCell(5).value).toBe('pending');
    expect(question.getCell(6).value).toBe(0);
    expect((question.getCell(7).value as Date).toISOString()).toBe(listed.body.items[0]!.created_at);
    expect(question.getCell(8).value).toBeNull();

    const chat = await openWorkbook(server, `/api/events/${event.slug}/reports/chat.xlsx`, event.moderator.token);
    expect(chat.rows[0]!.values).toEqual([undefined, 'id', 'usuario_id', 'autor', 'mensaje', 'enviado', 'borrado']);
    const message = chat.rows[1]!;
    expect(message.getCell(4).value).toBe('+34 600 000 000 🎉');
    expect(message.getCell(5).type).toBe(ExcelJS.ValueType.Date);
    expect(message.getCell(6).value).toBeNull();
  });

  it('lets only moderators and administrators of the event download them', async () => {
    const attendee = await attendeeOf(server, event.slug);
    const cases: Array<[string | undefined, number]> = [
      [undefined, 401],
      [attendee.token, 403],
      [event.speaker.token, 403],
      [event.moderator.token, 200],
    ];
    for (const [token, status] of cases) {
      for (const kind of ['participants', 'questions', 'chat']) {
        const response = await fetch(`${server.url}/api/events/${event.slug}/reports/${kind}.xlsx`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        expect(response.status, `${kind}.xlsx with ${status}`).toBe(status);
        await response.arrayBuffer();
      }
    }
  });
});
