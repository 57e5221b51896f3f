import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { simpleParser } from 'mailparser';
import { Op } from 'sequelize';
import { ErrorCode, Role, OutboxQuery, type OutboxMessage, type OutboxMessageContent } from '@palco/sdk/protocol';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { MailOutboxRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { parseQuery } from '../http.js';
import { iso, isoOrNull } from '../services/serialize.js';
import { idParam } from './admin.js';

const defaultPage = 50;

/** The Message-ID and server answer stored when a message was sent. */
function deliveryOf(payload: string | null): Pick<OutboxMessage, 'message_id' | 'response'> {
  const stored = payload ? (JSON.parse(payload) as { message_id?: string; response?: string }) : {};
  return { message_id: stored.message_id ?? null, response: stored.response ?? null };
}

function toOutboxMessage(row: MailOutboxRow): OutboxMessage {
  return {
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    user_id: row.user_id,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    send_after: iso(row.send_after),
    sent_at: isoOrNull(row.sent_at),
    created_at: iso(row.created_at),
    ...deliveryOf(row.payload),
  };
}

/**
 * The `.eml` file a sent message was written to, when Palco wrote one: only a path inside
 * `<dataDir>/mail/` is read, whatever the stored answer says.
 */
function keptFile(row: MailOutboxRow, dataDir: string): string | null {
  const path = deliveryOf(row.payload).response;
  const directory = resolve(join(dataDir, 'mail'));
  if (row.sent_at == null || !path || !path.endsWith('.eml')) return null;
  const file = resolve(path);
  return file.startsWith(directory + sep) ? file : null;
}

/** The message in `file` as its reader sees it: subject, addresses, HTML and text parts. */
async function contentOf(id: number, file: string): Promise<OutboxMessageContent | null> {
  const raw = await readFile(file).catch(() => null);
  if (!raw) return null;
  const parsed = await simpleParser(raw);
  const address = (value: typeof parsed.from | typeof parsed.to) => (Array.isArray(value) ? value.map((a) => a.text).join(', ') : value?.text ?? '');
  return {
    id,
    subject: parsed.subject ?? '',
    from: address(parsed.from),
    to: address(parsed.to),
    html: parsed.html || null,
    text: parsed.text ?? null,
  };
}

/**
 * GET /api/admin/events/{id}/mail?before=&limit=: the event's outbox, newest first, for administrators.
 * GET /api/admin/events/{id}/mail/{mailId}: one message as its `.eml` file holds it
 * (`OutboxMessageContent`); 404 `mail_not_kept` when there is no such file (sent through
 * SMTP, not sent yet, or the file was removed). GET …/{mailId}/html: its HTML part alone, as a
 * sandboxed page for a frame.
 */
export function mailRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/events/:id/mail' });

  router.get('/', async (ctx) => {
    requireRole(await requireSession(ctx, deps.tokens), [Role.admin]);
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const query = parseQuery(ctx, OutboxQuery);
    const limit = query.limit ?? defaultPage;
    const rows = await MailOutboxRow.findAll({
      where: { event_id: event.id, ...(query.before ? { id: { [Op.lt]: query.before } } : {}) },
      order: [['id', 'DESC']],
      limit: limit + 1,
    });
    ctx.body = { items: rows.slice(0, limit).map(toOutboxMessage), has_more: rows.length > limit };
  });

  const keptContent = async (ctx: Context) => {
    requireRole(await requireSession(ctx, deps.tokens), [Role.admin]);
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const row = await MailOutboxRow.findOne({ where: { id: idParam(ctx, 'mailId'), event_id: event.id } });
    if (!row) throw new AppError(404, ErrorCode.notFound);
    const file = keptFile(row, deps.config.dataDir);
    const content = file ? await contentOf(row.id, file) : null;
    if (!content) throw new AppError(404, ErrorCode.mailNotKept);
    return content;
  };

  router.get('/:mailId', async (ctx) => {
    ctx.body = await keptContent(ctx);
  });

  // The HTML part alone, for the admin's frame: its own inline styles apply, nothing runs, and
  // only our own pages may frame it.
  router.get('/:mailId/html', async (ctx) => {
    const content = await keptContent(ctx);
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox; frame-ancestors 'self'");
    ctx.set('X-Frame-Options', 'SAMEORIGIN');
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = content.html ?? '';
  });

  return router;
}
