import Router from '@koa/router';
import type { Context } from 'koa';
import { ErrorCode, isModeratorRole, PollDraftSchema, PollTemplateFromPollInput, Role } from '@palco/sdk/protocol';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { AppError } from '../errors.js';
import { parseBody } from '../http.js';
import { PollService } from '../polls/poll-service.js';
import { PollTemplates } from '../polls/templates.js';
import { memberOf } from '../services/member.js';
import { idParam } from './admin.js';

/**
 * Poll templates (docs/protocol.md "Poll templates"):
 * `GET|POST /api/admin/poll-templates`, `DELETE /api/admin/poll-templates/{id}` for
 * administrators; `GET /api/events/{slug}/poll-templates` and
 * `POST /api/events/{slug}/poll-templates/{id}/polls` (201, the new draft) for the event's
 * moderators and administrators; `POST /api/events/{slug}/poll-templates` `{poll_id}` (201)
 * saves one of the event's polls as a template, for administrators.
 */
export function pollTemplateRoutes(deps: AppDeps): Router {
  const router = new Router();
  const templates = new PollTemplates(new PollService(deps), () => deps.now());

  const administrator = async (ctx: Context & { params: Record<string, string | undefined> }) => {
    const session = await requireSession(ctx, deps.tokens);
    requireRole(session, [Role.admin]);
    return memberOf(session.user, deps.now());
  };
  const staffOf = async (ctx: Context & { params: Record<string, string | undefined> }) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const { user } = await requireSession(ctx, deps.tokens, event);
    if (!isModeratorRole(user.role)) throw new AppError(403, ErrorCode.forbidden);
    return { event, member: memberOf(user, deps.now()) };
  };

  router.get('/api/admin/poll-templates', async (ctx) => {
    await administrator(ctx);
    ctx.body = await templates.list();
  });
  router.post('/api/admin/poll-templates', async (ctx) => {
    const member = await administrator(ctx);
    ctx.body = await templates.save(member, parseBody(ctx, PollDraftSchema));
    ctx.status = 201;
  });
  router.delete('/api/admin/poll-templates/:id', async (ctx) => {
    await administrator(ctx);
    await templates.remove(idParam(ctx, 'id'));
    ctx.status = 204;
  });
  router.get('/api/events/:slug/poll-templates', async (ctx) => {
    await staffOf(ctx);
    ctx.body = await templates.list();
  });
  router.post('/api/events/:slug/poll-templates', async (ctx) => {
    const { event, member } = await staffOf(ctx);
    if (member.role !== Role.admin) throw new AppError(403, ErrorCode.forbidden);
    const { poll_id } = parseBody(ctx, PollTemplateFromPollInput);
    ctx.body = await templates.saveFromPoll(event.id, member, poll_id);
    ctx.status = 201;
  });
  router.post('/api/events/:slug/poll-templates/:id/polls', async (ctx) => {
    const { event, member } = await staffOf(ctx);
    ctx.body = await templates.use(event.id, member, idParam(ctx, 'id'));
    ctx.status = 201;
  });

  return router;
}
