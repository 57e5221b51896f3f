import Router from '@koa/router';
import { AuditAction, ErrorCode, MailKind, RegistrationStatus, Role } from '@palco/sdk/protocol';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { AppError } from '../errors.js';
import { revokeSessions } from '../services/accounts.js';
import { erasePerson, exportPerson, personOf } from '../services/personal-data.js';
import { claimSeat } from '../services/seats.js';
import { auditAction, idParam } from './admin.js';

/** One person of an event, for administrators: admit from the waitlist, export, erase. */
export function participantRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/events/:id/participants/:userId' });

  router.use(async (ctx, next) => {
    const session = await requireSession(ctx, deps.tokens);
    requireRole(session, [Role.admin]);
    ctx.state.session = session;
    await next();
  });

  const target = (eventId: number, userId: number) => ({ eventId, targetType: 'participant', targetId: userId }) as const;

  /** A waitlisted attendee takes a seat: 200 with their status, 409 `event_full` when none is left. */
  router.post('/admit', async (ctx) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const user = await personOf(event.id, idParam(ctx, 'userId'));
    if (user.role !== Role.attendee || user.status !== RegistrationStatus.waitlisted) throw new AppError(409, ErrorCode.invalidState);
    if (event.capacity != null && !(await claimSeat(event))) throw new AppError(409, ErrorCode.eventFull);
    await user.update({ status: RegistrationStatus.registered });
    // Now that they have a seat, their confirmation (with its sign-in link) goes out.
    await deps.outbox.send(MailKind.confirmation, user);
    await auditAction(ctx, deps, {
      action: AuditAction.waitlistAdmitted,
      ...target(event.id, user.id),
      changes: { status: { before: RegistrationStatus.waitlisted, after: RegistrationStatus.registered } },
    });
    ctx.body = { id: user.id, status: user.status };
  });

  router.get('/export', async (ctx) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const user = await personOf(event.id, idParam(ctx, 'userId'));
    const document = await exportPerson(user);
    await auditAction(ctx, deps, { action: AuditAction.personExported, ...target(event.id, user.id) });
    ctx.attachment(`${event.slug}-person-${user.id}.json`);
    ctx.body = document;
  });

  /** Irreversible: the person's data becomes placeholders (services/personal-data.ts). 204. */
  router.delete('/', async (ctx) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const user = await personOf(event.id, idParam(ctx, 'userId'));
    if (user.role === Role.admin) throw new AppError(403, ErrorCode.forbidden);
    if (!user.erased_at) {
      await erasePerson(deps.db, user, new Date(deps.now()));
      await revokeSessions(deps.bus, user);
      await auditAction(ctx, deps, { action: AuditAction.personErased, ...target(event.id, user.id) });
    }
    ctx.status = 204;
  });

  return router;
}
