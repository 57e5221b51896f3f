import { Readable } from 'node:stream';
import Router from '@koa/router';
import type { Context } from 'koa';
import { AuditAction, ParticipantsQuery, ReportQuestionsQuery, Role } from '@palco/sdk/protocol';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import type { EventRow } from '../db/models.js';
import { parseQuery } from '../http.js';
import { auditAction } from './admin.js';
import { participantsPage, questionsPage } from '../services/report-tables.js';
import { buildReport, csvExport, type ReportExport } from '../services/reports.js';
import { xlsxContentType, xlsxExport } from '../services/xlsx-export.js';

/** The event's analytics and exports, for its moderators and administrators. */
export function reportRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/events/:slug/reports' });

  const reportEvent = async (ctx: Context): Promise<EventRow> => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const session = await requireSession(ctx, deps.tokens, event);
    requireRole(session, [Role.moderator, Role.admin]);
    ctx.state.session = session;
    return event;
  };

  /** Exports carry personal data: each download is in the audit log, whoever of the staff took it. */
  const recordExport = (ctx: Context, event: EventRow, name: string) =>
    auditAction(ctx, deps, { action: AuditAction.reportExported, eventId: event.id, targetType: 'report', targetId: null, changes: { export: name } });

  router.get('/', async (ctx) => {
    const event = await reportEvent(ctx);
    ctx.body = await buildReport(deps.db, event, await deps.viewersNow(event.id), deps.now());
  });

  router.get('/participants', async (ctx) => {
    const event = await reportEvent(ctx);
    ctx.body = await participantsPage(deps.db, event.id, parseQuery(ctx, ParticipantsQuery));
  });

  router.get('/questions', async (ctx) => {
    const event = await reportEvent(ctx);
    ctx.body = await questionsPage(deps.db, event.id, parseQuery(ctx, ReportQuestionsQuery));
  });

  const exports: ReportExport[] = ['participants', 'questions', 'chat', 'polls', 'moderation'];
  for (const kind of exports) {
    router.get(`/${kind}.csv`, async (ctx) => {
      const event = await reportEvent(ctx);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment(`${event.slug}-${kind}.csv`);
      await recordExport(ctx, event, `${kind}.csv`);
      ctx.body = Readable.from(csvExport(deps.db, kind, event, ctx.state.lang));
    });
    router.get(`/${kind}.xlsx`, async (ctx) => {
      const event = await reportEvent(ctx);
      ctx.type = xlsxContentType;
      ctx.attachment(`${event.slug}-${kind}.xlsx`);
      await recordExport(ctx, event, `${kind}.xlsx`);
      ctx.body = xlsxExport(deps.db, kind, event, ctx.state.lang);
    });
  }

  return router;
}
