import Router from '@koa/router';
import type { Context } from 'koa';
import { UniqueConstraintError } from 'sequelize';
import {
  AuditAction,
  AuditQuery,
  ErrorCode,
  EventCreateInput,
  EventPatchInput,
  Role,
  StaffCreateInput,
  StaffPatchInput,
  VideoKind,
} from '@palco/sdk/protocol';
import { hashSecret } from '../auth/passwords.js';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { EventRow, UserRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { parseBody, parseQuery } from '../http.js';
import { announceJourney } from '../mail/announcements.js';
import { compileWordFilter } from '../moderation/index.js';
import { revokeSessions } from '../services/accounts.js';
import { auditPage, changedFields, recordAudit, secretMark, type AuditRecord } from '../services/audit.js';
import { newEmbedSecret } from '../services/events.js';
import { recountSeats } from '../services/seats.js';
import { applySchedule } from '../services/schedule.js';
import { joinList, stateOf, toAdminEvent, toStaffMember } from '../services/serialize.js';
import { publishStateChange } from '../services/state-changes.js';
import type { Session } from '../auth/session.js';
import { announceEventClosed } from '../webhooks/announcements.js';
import { announceAttendance } from '../webhooks/attendance.js';

export function idParam(ctx: Context, name: string): number {
  const value = Number(ctx.params[name]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new AppError(404, ErrorCode.notFound);
  return value;
}

/** Records an action of the signed-in administrator in the audit log (services/audit.ts). */
export function auditAction(ctx: Context, deps: Pick<AppDeps, 'now'>, record: Omit<AuditRecord, 'actorId' | 'at'>) {
  const session = ctx.state.session as Session;
  return recordAudit({ ...record, actorId: session.user.id, at: new Date(deps.now()) });
}

/** The settings of an event as the audit log compares them: no counters, no clocks, nothing derived, the secret hidden. */
function eventSettings(event: EventRow): Record<string, unknown> {
  const {
    viewers_now: _viewers,
    updated_at: _updated,
    created_at: _created,
    seats_taken: _seats,
    registration_open: _open,
    state: _state,
    ...settings
  } = toAdminEvent(event);
  return settings;
}

/** A staff member as the audit log compares them. */
const staffSettings = (user: UserRow) => ({ name: user.name, email: user.email, role: user.role });

/** Events, their staff and the audit log, for administrators. */
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
        ...chatSafety(input),
        registration_fields: input.registration_fields?.length ? JSON.stringify(input.registration_fields) : null,
        phone_required: input.phone_required ?? true,
        privacy_notice: input.privacy_notice ? JSON.stringify(input.privacy_notice) : null,
        capacity: input.capacity ?? null,
        waitlist: input.waitlist ?? false,
        retention_days: input.retention_days ?? null,
      });
      applySchedule(event, input, deps.now(), deps.config.mail.enabled);
      await event.save();
      await auditAction(ctx, deps, {
        action: AuditAction.eventCreated,
        eventId: event.id,
        targetType: 'event',
        targetId: event.id,
        changes: changedFields(null, eventSettings(event), ['embed_secret']),
      });
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
    let wasActive = event.is_active;
    const before = eventSettings(event);
    const wasLive = event.live_at != null;
    const stateBefore = stateOf(event, deps.now());
    if (input.slug !== undefined) event.slug = input.slug;
    if (input.title !== undefined) event.title = input.title;
    if (input.logo_url !== undefined) event.logo_url = input.logo_url;
    if (input.video_url !== undefined) event.video_url = input.video_url;
    if (input.video_kind !== undefined) event.video_kind = input.video_kind;
    if (input.is_active !== undefined) event.is_active = input.is_active;
    if (input.allowed_email_domains !== undefined) event.allowed_email_domains = joinList(input.allowed_email_domains);
    if (input.allowed_origins !== undefined) event.allowed_origins = joinList(input.allowed_origins);
    if (input.slow_mode_seconds !== undefined) event.slow_mode_seconds = input.slow_mode_seconds;
    Object.assign(event, chatSafety(input));
    if (input.access_code !== undefined) {
      event.access_code_hash = input.access_code ? await hashSecret(input.access_code) : null;
    }
    if (input.rotate_embed_secret) event.embed_secret = newEmbedSecret();
    if (input.registration_fields !== undefined) {
      event.registration_fields = input.registration_fields.length ? JSON.stringify(input.registration_fields) : null;
    }
    if (input.phone_required !== undefined) event.phone_required = input.phone_required;
    if (input.privacy_notice !== undefined) event.privacy_notice = input.privacy_notice ? JSON.stringify(input.privacy_notice) : null;
    if (input.capacity !== undefined) event.capacity = input.capacity;
    if (input.waitlist !== undefined) event.waitlist = input.waitlist;
    if (input.retention_days !== undefined) event.retention_days = input.retention_days;
    event.updated_at = new Date(deps.now());
    if (wasActive !== event.is_active) {
      // Two requests closing (or opening) the event at once: one conditional UPDATE decides
      // which of them made the change, and only that one announces it (webhooks, audit, mail).
      const [claimed] = await EventRow.update({ is_active: event.is_active }, { where: { id: event.id, is_active: wasActive } });
      if (claimed === 0) wasActive = event.is_active;
    }
    if (wasActive && !event.is_active) event.closed_at = event.updated_at;
    // A reopened event's later attendees get their own retention period from the next close.
    if (!wasActive && event.is_active) event.personal_data_erased_at = null;
    const capacitySet = input.capacity != null && before.capacity == null;
    applySchedule(event, input, deps.now(), deps.config.mail.enabled);
    event.updated_at = new Date();
    await event.save();
    if (capacitySet) {
      await recountSeats(deps.db, event.id);
      await event.reload();
    }
    const changes = changedFields(before, eventSettings(event), ['embed_secret']);
    // A new access code leaves has_access_code as it was: its change is still worth a line.
    if (input.access_code) changes.access_code = { after: secretMark };
    const action =
      wasActive && !event.is_active ? AuditAction.eventClosed : !wasActive && event.is_active ? AuditAction.eventOpened : AuditAction.eventChanged;
    if (Object.keys(changes).length > 0) {
      await auditAction(ctx, deps, { action, eventId: event.id, targetType: 'event', targetId: event.id, changes });
    }
    await deps.bus.publish({ kind: 'event_changed', eventId: event.id });
    await publishStateChange(deps.bus, event, stateBefore, deps.now());
    if (wasActive && !event.is_active) {
      announceEventClosed(deps.webhooks, event);
      void announceAttendance(deps, event);
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
      await auditAction(ctx, deps, {
        action: AuditAction.staffAdded,
        eventId: event.id,
        targetType: 'staff',
        targetId: user.id,
        changes: changedFields(null, staffSettings(user)),
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
    const before = staffSettings(user);
    if (input.name !== undefined) user.name = input.name;
    if (input.role !== undefined) user.role = input.role;
    if (input.password !== undefined) user.password = await hashSecret(input.password);
    await user.save();
    // A new password or role ends the sessions signed with the old ones.
    if (input.password !== undefined || input.role !== undefined) await revokeSessions(deps.bus, user);
    const target = { eventId: user.event_id, targetType: 'staff', targetId: user.id } as const;
    const changes = changedFields(before, staffSettings(user));
    if (Object.keys(changes).length > 0) await auditAction(ctx, deps, { action: AuditAction.staffChanged, ...target, changes });
    if (input.password !== undefined) {
      await auditAction(ctx, deps, { action: AuditAction.staffPasswordReset, ...target, changes: { password: { after: secretMark } } });
    }
    ctx.body = toStaffMember(user);
  });

  router.delete('/events/:id/staff/:userId', async (ctx) => {
    const user = await findStaff(ctx);
    await revokeSessions(deps.bus, user);
    await user.destroy();
    await auditAction(ctx, deps, {
      action: AuditAction.staffRemoved,
      eventId: user.event_id,
      targetType: 'staff',
      targetId: user.id,
      changes: changedFields(staffSettings(user), null),
    });
    ctx.status = 204;
  });

  router.get('/audit', async (ctx) => {
    ctx.body = await auditPage(parseQuery(ctx, AuditQuery));
  });

  return router;
}

/**
 * The Q&A and chat-safety settings a create or patch names, as columns. The word list is
 * compiled here once, so a list past `Limits.blockedWordsMax` (1 000) entries is refused with
 * 422 `too_many_blocked_words` (and a word too long with `invalid_input`) before it is stored.
 */
function chatSafety(input: EventPatchInput): Partial<EventRow> {
  const columns: Partial<EventRow> = {};
  if (input.allow_anonymous_questions !== undefined) columns.allow_anonymous_questions = input.allow_anonymous_questions;
  if (input.blocked_words_action !== undefined) columns.blocked_words_action = input.blocked_words_action;
  if (input.default_blocked_words !== undefined) {
    columns.default_words_es = input.default_blocked_words.es;
    columns.default_words_en = input.default_blocked_words.en;
  }
  if (input.blocked_words !== undefined) {
    compileWordFilter({ words: input.blocked_words, includeDefaults: { es: false, en: false } });
    columns.blocked_words = [...new Set(input.blocked_words.map((word) => word.trim()))].join('\n');
  }
  return columns;
}
