import Router from '@koa/router';
import { requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { PollService } from '../polls/poll-service.js';
import { memberOf } from '../services/member.js';

/**
 * GET /api/events/{slug}/polls → `{polls, poll_results, my_votes}`: what the welcome holds of
 * the event's polls, for a client that wants it without a socket or after one.
 */
export function pollRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/events/:slug' });
  const polls = new PollService(deps);

  router.get('/polls', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const { user } = await requireSession(ctx, deps.tokens, event);
    ctx.body = await polls.seenBy(event.id, memberOf(user, deps.now()));
  });

  return router;
}
