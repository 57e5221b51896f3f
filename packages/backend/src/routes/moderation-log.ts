import Router from '@koa/router';
import { Op } from 'sequelize';
import { HistoryQuery, Role, type ModerationEntry, type Page } from '@palco/sdk/protocol';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { ModerationActionRow, UserRow } from '../db/models.js';
import { parseQuery } from '../http.js';
import { iso } from '../services/serialize.js';

const defaultPageSize = 50;

/** Who moderated what, newest first; `after` = the last id seen pages on to older entries. */
export function moderationLogRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/events/:slug' });

  router.get('/moderation-log', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    requireRole(await requireSession(ctx, deps.tokens, event), [Role.moderator, Role.admin]);
    const { after, limit = defaultPageSize } = parseQuery(ctx, HistoryQuery);
    const rows = await ModerationActionRow.findAll({
      where: { event_id: event.id, ...(after ? { id: { [Op.lt]: after } } : {}) },
      order: [['id', 'DESC']],
      limit: limit + 1,
    });
    const shown = rows.slice(0, limit);
    // One query names both sides of every entry: who acted and on whom.
    const userIds = [...new Set(shown.flatMap((row) => [row.actor_id, row.target_user_id]).filter((id): id is number => id !== null))];
    const users = userIds.length ? await UserRow.findAll({ attributes: ['id', 'name'], where: { id: userIds } }) : [];
    const names = new Map(users.map((user) => [user.id, user.name]));
    const nameOf = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
    const page: Page<ModerationEntry> = {
      items: shown.map((row) => ({
        id: row.id,
        actor_id: row.actor_id,
        actor_name: nameOf(row.actor_id),
        action: row.action,
        target_user_id: row.target_user_id,
        target_user_name: nameOf(row.target_user_id),
        target_id: row.target_id,
        reason: row.reason ?? null,
        detail: row.detail ?? null,
        created_at: iso(row.created_at),
      })),
      has_more: rows.length > limit,
    };
    ctx.body = page;
  });

  return router;
}
