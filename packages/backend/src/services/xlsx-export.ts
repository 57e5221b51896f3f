import { PassThrough, type Readable } from 'node:stream';
import { noncharacters, type Lang } from '@palco/sdk/protocol';
import type { Database } from '../db/database.js';
import type { EventRow } from '../db/models.js';
import { exportHeader, exportRows, type ExportCell, type ReportExport } from './reports.js';

export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const sheetNames: Record<ReportExport, Record<Lang, string>> = {
  participants: { es: 'Participantes', en: 'Participants' },
  questions: { es: 'Preguntas', en: 'Questions' },
  chat: { es: 'Chat', en: 'Chat' },
  polls: { es: 'Encuestas', en: 'Polls' },
  moderation: { es: 'Moderación', en: 'Moderation' },
};

/**
 * A cell as the sheet's XML may hold it. ExcelJS drops the control characters XML forbids but
 * writes U+FFFE and U+FFFF as they are, and one of them makes the whole file unreadable; texts
 * lose noncharacters when stored, rows from before that did not.
 */
const xmlCell = (cell: ExportCell): ExportCell => (typeof cell === 'string' ? cell.replace(noncharacters, '') : cell);

/** Shown in the spreadsheet's own time format; the value stays the exact UTC moment. */
const momentFormat = 'yyyy-mm-dd hh:mm:ss';

/**
 * One export as an .xlsx workbook of one sheet, header first, streamed as it is written. Text is
 * written as shared-string text cells, which a spreadsheet never runs as a formula, so it needs no
 * CSV guard: `+34 600 000 000` and `=1+1` stay exactly as entered. Numbers are number cells;
 * moments are date cells in UTC.
 */
export function xlsxExport(db: Database, kind: ReportExport, event: EventRow, lang: Lang): Readable {
  const output = new PassThrough();
  writeWorkbook(output, db, kind, event, lang).catch((error: unknown) => output.destroy(error as Error));
  return output;
}

async function writeWorkbook(output: PassThrough, db: Database, kind: ReportExport, event: EventRow, lang: Lang): Promise<void> {
  // Loaded on the first export, not at start: ExcelJS takes ~440 ms to import and a few MiB that
  // a process which never exports (most of them) should not pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet(sheetNames[kind][lang], { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...exportHeader(kind, event, lang)]).commit();
  for await (const cells of exportRows(db, kind, event, lang)) {
    const row = sheet.addRow(cells.map(xmlCell));
    cells.forEach((cell, index) => {
      if (cell instanceof Date) row.getCell(index + 1).numFmt = momentFormat;
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}
