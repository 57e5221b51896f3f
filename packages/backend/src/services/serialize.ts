import type { AdminEvent, ChatMessage, PublicEvent, Question, SessionUser, StaffMember } from '@palco/sdk/protocol';
import type { ChatMessageRow, EventRow, QuestionRow, UserRow } from '../db/models.js';

export function splitList(value: string | null | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

export function joinList(items: readonly string[]): string {
  return [...new Set(items)].join(',');
}

export const iso = (date: Date | string) => new Date(date).toISOString();
export const isoOrNull = (date: Date | string | null) => (date == null ? null : iso(date));

export function toPublicEvent(event: EventRow): PublicEvent {
  return {
    id: event.id,
    slug: event.slug,
    title: event.title,
    logo_url: event.logo_url,
    video_url: event.video_url,
    video_kind: event.video_kind,
    is_active: Boolean(event.is_active),
    registration_open: Boolean(event.is_active),
    allowed_email_domains: splitList(event.allowed_email_domains),
    slow_mode_seconds: event.slow_mode_seconds,
  };
}

export function toAdminEvent(event: EventRow, viewersNow?: number): AdminEvent {
  return {
    ...toPublicEvent(event),
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
  };
}

export function toStaffMember(user: UserRow): StaffMember {
  const { chat_blocked: _chat, qa_blocked: _qa, banned: _banned, ...identity } = toSessionUser(user);
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
