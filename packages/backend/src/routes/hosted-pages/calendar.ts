import Router from '@koa/router';
import { ErrorCode } from '@palco/sdk/protocol';
import type { AppDeps } from '../../context.js';
import { AppError } from '../../errors.js';
import { eventCalendar, hasStart } from '../../services/calendar.js';
import { messagePageFor } from './forms.js';

/** GET /e/{slug}/calendar.ics: the event for the attendee's calendar (docs/journey.md). */
export function calendarRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get('/e/:slug/calendar.ics', async (ctx) => {
    ctx.state.renderError = messagePageFor(ctx);
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    if (!hasStart(event)) throw new AppError(404, ErrorCode.eventNotScheduled);
    ctx.type = 'text/calendar; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${event.slug}.ics"`);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = eventCalendar(event, deps.config.publicUrl);
  });

  return router;
}
