import Router from '@koa/router';
import type { Context } from 'koa';
import { UniqueConstraintError } from 'sequelize';
import {
  ErrorCode,
  EventCreateInput,
  EventPatchInput,
  Role,
  StaffCreateInput,
  StaffPatchInput,
  VideoKind,
  errorText,
} from '@palco/sdk/protocol';
import { hashSecret } from '../auth/passwords.js';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { EventRow, UserRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { parseBody } from '../http.js';
import { announceJourney } from '../mail/announcements.js';
import { revokeSessions } from '../services/accounts.js';
import { newEmbedSecret } from '../services/events.js';
import { applySchedule } from '../services/schedule.js';
import { joinList, toAdminEvent, toStaffMember } from '../services/serialize.js';
import { announceEventClosed } from '../webhooks/announcements.js';

export function idParam(ctx: Context, name: string): number {
  const value = Number(ctx.params[name]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new AppError(404, ErrorCode.notFound);
  return value;
}

/** Events and their staff, for administrators. */
export function adminRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin' });

  router.use(async (ctx, next) => {
    const session = await requireSession(ctx, deps.tokens);
    requireRole(session, [Role.admin]);
    ctx.state.session = session;
    await next();
  });

  const withViewers = async (event: EventRow) => toAdminEvent(event, await deps.viewersNow(event.id), deps.now());

  router.get('/events', async (ctx) => {
    const events = await EventRow.findAll({ order: [['id', 'DESC']] });
    ctx.body = await Promise.all(events.map(withViewers));
  });

  router.post('/events', async (ctx) => {
    const input = parseBody(ctx, EventCreateInput);
    if (await deps.events.bySlug(input.slug)) throw new AppError(409, ErrorCode.slugTaken);
    try {
      const event = EventRow.build({
        slug: input.slug,
        title: input.title,
        logo_url: input.logo_url ?? null,
        video_url: input.video_url ?? null,
        video_kind: input.video_kind ?? VideoKind.auto,
        is_active: input.is_active ?? true,
        allowed_email_domains: joinList(input.allowed_email_domains ?? []),
        access_code_hash: input.access_code ? await hashSecret(input.access_code) : null,
        allowed_origins: joinList(input.allowed_origins ?? []),
        slow_mode_seconds: input.slow_mode_seconds ?? 0,
        embed_secret: newEmbedSecret(),
      });
      applySchedule(event, input, deps.now());
      await event.save();
      ctx.status = 201;
      ctx.body = await withViewers(event);
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError(409, ErrorCode.slugTaken);
      throw error;
    }
  });

  router.get('/events/:id', async (ctx) => {
    ctx.body = await withViewers(await deps.events.byIdOr404(idParam(ctx, 'id')));
  });

  router.patch('/events/:id', async (ctx) => {
    const event = await deps.events.forChange(idParam(ctx, 'id'));
    const input = parseBody(ctx, EventPatchInput);
    if (input.slug && input.slug !== event.slug && (await deps.events.bySlug(input.slug))) {
      throw new AppError(409, ErrorCode.slugTaken);
    }
    const wasActive = event.is_active;
    const wasLive = event.live_at != null;
    if (input.slug !== undefined) event.slug = input.slug;
    if (input.title !== undefined) event.title = input.title;
    if (input.logo_url !== undefined) event.logo_url = input.logo_url;
    if (input.video_url !== undefined) event.video_url = input.video_url;
    if (input.video_kind !== undefined) event.video_kind = input.video_kind;
    if (input.is_active !== undefined) event.is_active = input.is_active;
    if (input.allowed_email_domains !== undefined) event.allowed_email_domains = joinList(input.allowed_email_domains);
    if (input.allowed_origins !== undefined) event.allowed_origins = joinList(input.allowed_origins);
    if (input.slow_mode_seconds !== undefined) event.slow_mode_seconds = input.slow_mode_seconds;
    if (input.access_code !== undefined) {
      event.access_code_hash = input.access_code ? await hashSecret(input.access_code) : null;
    }
    if (input.rotate_embed_secret) event.embed_secret = newEmbedSecret();
    applySchedule(event, input, deps.now());
    event.updated_at = new Date();
    await event.save();
    await deps.bus.publish({ kind: 'event_changed', eventId: event.id });
    if (wasActive && !event.is_active) {
      await deps.bus.publish({ kind: 'close_event', eventId: event.id, message: errorText(ErrorCode.eventClosed, 'es') });
      announceEventClosed(deps.webhooks, event);
    }
    announceJourney(deps.outbox, event, { wasActive, wasLive }, deps.now());
    ctx.body = await withViewers(event);
  });

  router.get('/events/:id/staff', async (ctx) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const staff = await UserRow.findAll({
      where: { event_id: event.id, role: [Role.moderator, Role.speaker] },
      order: [['id', 'ASC']],
    });
    ctx.body = staff.map(toStaffMember);
  });

  router.post('/events/:id/staff', async (ctx) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const input = parseBody(ctx, StaffCreateInput);
    if (await UserRow.findOne({ where: { email: input.email, event_id: event.id } })) {
      throw new AppError(409, ErrorCode.emailTaken);
    }
    try {
      const user = await UserRow.create({
        name: input.name,
        email: input.email,
        phone: input.phone ?? null,
        password: await hashSecret(input.password),
        role: input.role,
        event_id: event.id,
      });
      ctx.status = 201;
      ctx.body = toStaffMember(user);
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError(409, ErrorCode.emailTaken);
      throw error;
    }
  });

  const findStaff = async (ctx: Context) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const user = await UserRow.findOne({
      where: { id: idParam(ctx, 'userId'), event_id: event.id, role: [Role.moderator, Role.speaker] },
    });
    if (!user) throw new AppError(404, ErrorCode.notFound);
    return user;
  };

  router.patch('/events/:id/staff/:userId', async (ctx) => {
    const user = await findStaff(ctx);
    const input = parseBody(ctx, StaffPatchInput);
    if (input.name !== undefined) user.name = input.name;
    if (input.role !== undefined) user.role = input.role;
    if (input.password !== undefined) user.password = await hashSecret(input.password);
    await user.save();
    // A new password or role ends the sessions signed with the old ones.
    if (input.password !== undefined || input.role !== undefined) await revokeSessions(deps.bus, user);
    ctx.body = toStaffMember(user);
  });

  router.delete('/events/:id/staff/:userId', async (ctx) => {
    const user = await findStaff(ctx);
    await revokeSessions(deps.bus, user);
    await user.destroy();
    ctx.status = 204;
  });

  return router;
}
