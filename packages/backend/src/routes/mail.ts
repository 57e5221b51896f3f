import Router from '@koa/router';
import { Op } from 'sequelize';
import { Role, OutboxQuery, type OutboxMessage } from '@palco/sdk/protocol';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { MailOutboxRow } from '../db/models.js';
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

/** GET /api/admin/events/{id}/mail?before=&limit=: the event's outbox, newest first, for administrators. */
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

  return router;
}
