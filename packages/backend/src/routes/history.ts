import Router from '@koa/router';
import { Op } from 'sequelize';
import { HistoryQuery, QuestionStatus, isStaffRole, type ChatMessage, type Page, type Question } from '@palco/sdk/protocol';
import { requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { ChatMessageRow, QuestionRow } from '../db/models.js';
import { parseQuery } from '../http.js';
import { toChatMessage, toQuestion } from '../services/serialize.js';

const defaultPageSize = 50;

/** Chat and question history, oldest first; `after` gives what a reconnecting client missed. */
export function historyRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/events/:slug' });

  router.get('/chat', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    await requireSession(ctx, deps.tokens, event);
    const { after = 0, limit = defaultPageSize } = parseQuery(ctx, HistoryQuery);
    const rows = await ChatMessageRow.findAll({
      where: { event_id: event.id, id: { [Op.gt]: after }, deleted_at: null },
      order: [['id', 'ASC']],
      limit: limit + 1,
    });
    const page: Page<ChatMessage> = { items: rows.slice(0, limit).map(toChatMessage), has_more: rows.length > limit };
    ctx.body = page;
  });

  router.get('/questions', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const { user } = await requireSession(ctx, deps.tokens, event);
    const { after = 0, limit = defaultPageSize } = parseQuery(ctx, HistoryQuery);
    const visible = isStaffRole(user.role)
      ? {}
      : {
          [Op.or]: [
            { status: [QuestionStatus.approved, QuestionStatus.read] },
            { user_id: user.id },
          ],
        };
    const rows = await QuestionRow.findAll({
      where: { event_id: event.id, id: { [Op.gt]: after }, ...visible },
      order: [['id', 'ASC']],
      limit: limit + 1,
    });
    const page: Page<Question> = { items: rows.slice(0, limit).map(toQuestion), has_more: rows.length > limit };
    ctx.body = page;
  });

  return router;
}
