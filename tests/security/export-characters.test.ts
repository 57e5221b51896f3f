import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatMessageRow } from '../../packages/backend/src/db/models.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';

/** The text cells of an .xlsx export after the header, as a spreadsheet reads them. */
async function textCells(server: TestServer, path: string, token: string): Promise<string[]> {
  const response = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
  const cells: string[] = [];
  workbook.worksheets[0]!.eachRow((row, number) => {
    if (number > 1) row.eachCell((cell) => typeof cell.value === 'string' && cells.push(cell.value));
  });
  return cells;
}

describe.each(databaseTargets)('characters XML forbids, in exports on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let attendee: Awaited<ReturnType<typeof attendeeOf>>;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'hoja-rota');
    // U+FFFE and U+FFFF are Unicode noncharacters, and XML 1.0 allows neither in a document.
    attendee = await attendeeOf(server, event.slug, 'Ana\uFFFF Peña');
    const socket = (await connect(server, { event: event.slug, token: attendee.token })).socket;
    await socket.ok({ type: 'ask', question: '¿Hay\uFFFE descanso?' });
    await socket.ok({ type: 'chat', message: 'hola\uFFFF\uFDD0' });
    await socket.close();
  });

  it('keeps every .xlsx export readable when an attendee writes noncharacters in a name, a question or a chat message', async () => {
    const participants = await textCells(server, `/api/events/${event.slug}/reports/participants.xlsx`, event.admin);
    expect(participants).toContain('Ana Peña');
    const questions = await textCells(server, `/api/events/${event.slug}/reports/questions.xlsx`, event.admin);
    expect(questions).toContain('¿Hay descanso?');
    expect(questions).toContain('Ana Peña');
    const chat = await textCells(server, `/api/events/${event.slug}/reports/chat.xlsx`, event.admin);
    expect(chat).toContain('hola');
  });

  it('keeps the chat export readable with a message stored before noncharacters were dropped', async () => {
    // Straight in the database, as a row from before this rule (or another tool) would be.
    await ChatMessageRow.create({ event_id: event.id, user_id: attendee.user.id, user_name: 'Luis\uFFFE', message: 'adiós\uFFFF', deleted_at: null });
    const chat = await textCells(server, `/api/events/${event.slug}/reports/chat.xlsx`, event.admin);
    expect(chat).toContain('adiós');
    expect(chat).toContain('Luis');
  });
});
