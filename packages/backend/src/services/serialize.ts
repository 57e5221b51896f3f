import {
  EventState,
  Role,
  eventState,
  type AdminEvent,
  type ChatMessage,
  type PublicEvent,
  type Question,
  type SessionUser,
  type StaffMember,
} from '@palco/sdk/protocol';
import type { ChatMessageRow, EventRow, QuestionRow, UserRow } from '../db/models.js';

export function splitList(value: string | null | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

export function joinList(items: readonly string[]): string {
  return [...new Set(items)].join(',');
}

export const iso = (date: Date | string) => new Date(date).toISOString();
export const isoOrNull = (date: Date | string | null) => (date == null ? null : iso(date));

/** The event's state now: `now` is ms since the epoch (the app's clock, so tests can move it). */
export function stateOf(event: EventRow, now: number): EventState {
  const { starts_at, live_at, replay_url, on_demand_until } = event;
  return eventState({ is_active: Boolean(event.is_active), starts_at, live_at, replay_url, on_demand_until }, now);
}

/** Whether new attendees may register: while scheduled or live, and on demand where the producer allows it. */
export function registrationOpen(event: EventRow, now: number): boolean {
  const state = stateOf(event, now);
  return state === EventState.scheduled || state === EventState.live || (state === EventState.onDemand && Boolean(event.replay_registration));
}

export function toPublicEvent(event: EventRow, now = Date.now()): PublicEvent {
  return {
    id: event.id,
    slug: event.slug,
    title: event.title,
    logo_url: event.logo_url,
    video_url: event.video_url,
    video_kind: event.video_kind,
    is_active: Boolean(event.is_active),
    registration_open: registrationOpen(event, now),
    allowed_email_domains: splitList(event.allowed_email_domains),
    slow_mode_seconds: event.slow_mode_seconds,
    starts_at: isoOrNull(event.starts_at),
    ends_at: isoOrNull(event.ends_at),
    time_zone: event.time_zone,
    description: event.description,
    live_at: isoOrNull(event.live_at),
    replay_url: event.replay_url,
    on_demand_until: isoOrNull(event.on_demand_until),
    replay_registration: Boolean(event.replay_registration),
    sign_in: event.sign_in,
    require_confirmation: Boolean(event.require_confirmation),
    state: stateOf(event, now),
  };
}

export function toAdminEvent(event: EventRow, viewersNow?: number, now = Date.now()): AdminEvent {
  return {
    ...toPublicEvent(event, now),
    allowed_origins: splitList(event.allowed_origins),
    has_access_code: Boolean(event.access_code_hash),
    embed_secret: event.embed_secret,
    created_at: iso(event.created_at),
    updated_at: iso(event.updated_at),
    ...(viewersNow === undefined ? {} : { viewers_now: viewersNow }),
  };
}

export function toSessionUser(user: UserRow): SessionUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    role: user.role,
    event_id: user.event_id,
    chat_blocked: Boolean(user.chat_blocked),
    qa_blocked: Boolean(user.qa_blocked),
    banned: Boolean(user.banned),
    // Staff proved who they are with their own password.
    confirmed: user.role !== Role.viewer || user.confirmed_at != null,
  };
}

export function toStaffMember(user: UserRow): StaffMember {
  const { chat_blocked: _chat, qa_blocked: _qa, banned: _banned, confirmed: _confirmed, ...identity } = toSessionUser(user);
  return { ...identity, created_at: iso(user.created_at) };
}

/** "HH:MM" in the server's time zone, as the original chat showed it. */
export function clockTime(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

export function toChatMessage(row: ChatMessageRow): ChatMessage {
  const created = new Date(row.created_at);
  return {
    id: row.id,
    user_id: row.user_id,
    user_name: row.user_name,
    message: row.message,
    timestamp: clockTime(created),
    created_at: created.toISOString(),
  };
}

export function toQuestion(row: QuestionRow): Question {
  return {
    id: row.id,
    user_id: row.user_id,
    user_name: row.user_name,
    question: row.question_text,
    status: row.status,
    upvotes: row.upvotes,
    created_at: iso(row.created_at),
    approved_at: isoOrNull(row.approved_at),
    read_at: isoOrNull(row.read_at),
    moderated_by: row.moderated_by,
  };
}
