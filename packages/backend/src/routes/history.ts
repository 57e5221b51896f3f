import Router from '@koa/router';
import { Op } from 'sequelize';
import {
  HistoryQuery,
  QuestionStatus,
  isModeratorRole,
  isStaffRole,
  publicQuestion,
  type ChatMessage,
  type Page,
  type Question,
} from '@palco/sdk/protocol';
import { requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { ChatMessageRow, QuestionRow } from '../db/models.js';
import { parseQuery } from '../http.js';
import { toChatMessage, toQuestion } from '../services/serialize.js';

const defaultPageSize = 50;

/**
 * Chat and question history, oldest first; `after` gives what a reconnecting client missed,
 * `before` the page of older chat above what a reader has.
 */
export function historyRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/events/:slug' });

  router.get('/chat', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    await requireSession(ctx, deps.tokens, event);
    const { after = 0, before, limit = defaultPageSize } = parseQuery(ctx, HistoryQuery);
    const backwards = before !== undefined;
    const rows = await ChatMessageRow.findAll({
      where: { event_id: event.id, id: backwards ? { [Op.gt]: after, [Op.lt]: before } : { [Op.gt]: after }, deleted_at: null },
      order: [['id', backwards ? 'DESC' : 'ASC']],
      limit: limit + 1,
    });
    const shown = rows.slice(0, limit);
    if (backwards) shown.reverse();
    const page: Page<ChatMessage> = { items: shown.map(toChatMessage), has_more: rows.length > limit };
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
            { status: [QuestionStatus.approved, QuestionStatus.read], archived_at: null },
            { user_id: user.id },
          ],
        };
    // Anonymous authors are known to the moderators alone (and to themselves).
    const shownTo = (question: Question) =>
      isModeratorRole(user.role) || question.user_id === user.id ? question : publicQuestion(question);
    const rows = await QuestionRow.findAll({
      where: { event_id: event.id, id: { [Op.gt]: after }, ...visible },
      order: [['id', 'ASC']],
      limit: limit + 1,
    });
    const page: Page<Question> = { items: rows.slice(0, limit).map((row) => shownTo(toQuestion(row))), has_more: rows.length > limit };
    ctx.body = page;
  });

  return router;
}
