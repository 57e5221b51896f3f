import {
  EventState,
  Role,
  eventState,
  type AdminEvent,
  type ChatMessage,
  type HeldChat,
  type PinnedChat,
  type FieldValues,
  type PrivacyNotice,
  type PublicEvent,
  type RegistrationField,
  type Question,
  type SessionUser,
  type StaffMember,
  type TimedUserFlags,
} from '@palco/sdk/protocol';
import type { ChatMessageRow, EventRow, HeldChatRow, QuestionRow, UserRow } from '../db/models.js';

export function splitList(value: string | null | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

export function joinList(items: readonly string[]): string {
  return [...new Set(items)].join(',');
}

/** An event's custom fields, as stored (validated when saved). */
export function registrationFieldsOf(event: EventRow): RegistrationField[] {
  return event.registration_fields ? (JSON.parse(event.registration_fields) as RegistrationField[]) : [];
}

export function privacyNoticeOf(event: EventRow): PrivacyNotice | null {
  return event.privacy_notice ? (JSON.parse(event.privacy_notice) as PrivacyNotice) : null;
}

/** A person's answers, as stored (validated when given). */
export function fieldValuesOf(user: Pick<UserRow, 'fields'>): FieldValues {
  return user.fields ? (JSON.parse(user.fields) as FieldValues) : {};
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
    registration_fields: registrationFieldsOf(event),
    phone_required: Boolean(event.phone_required),
    privacy_notice: privacyNoticeOf(event),
    capacity: event.capacity ?? null,
    waitlist: Boolean(event.waitlist),
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
    allow_anonymous_questions: Boolean(event.allow_anonymous_questions),
  };
}

/** The event's own blocked words, as stored one a line. */
export function blockedWordsOf(event: EventRow): string[] {
  return (event.blocked_words ?? '').split('\n').filter(Boolean);
}

export function pinnedOf(event: EventRow): PinnedChat | null {
  return event.pinned_chat ? (JSON.parse(event.pinned_chat) as PinnedChat) : null;
}

export function toAdminEvent(event: EventRow, viewersNow?: number, now = Date.now()): AdminEvent {
  return {
    ...toPublicEvent(event, now),
    allowed_origins: splitList(event.allowed_origins),
    has_access_code: Boolean(event.access_code_hash),
    embed_secret: event.embed_secret,
    blocked_words: blockedWordsOf(event),
    blocked_words_action: event.blocked_words_action,
    default_blocked_words: { es: Boolean(event.default_words_es), en: Boolean(event.default_words_en) },
    created_at: iso(event.created_at),
    updated_at: iso(event.updated_at),
    seats_taken: event.seats_taken,
    retention_days: event.retention_days ?? null,
    ...(viewersNow === undefined ? {} : { viewers_now: viewersNow }),
  };
}

/** True while a block holds: set, and either without an end or ending after `now` (ms). */
export function blockHolds(blocked: boolean, until: string | null, now: number): boolean {
  return blocked && (until === null || Date.parse(until) > now);
}

/**
 * A person's flags at `now` (ms): a timeout that has ended reads as no block, on every
 * process alike, with no timer to lift it.
 */
export function flagsOf(user: UserRow, now: number): TimedUserFlags {
  const chatUntil = isoOrNull(user.chat_blocked_until ?? null);
  const qaUntil = isoOrNull(user.qa_blocked_until ?? null);
  const chat = blockHolds(Boolean(user.chat_blocked), chatUntil, now);
  const qa = blockHolds(Boolean(user.qa_blocked), qaUntil, now);
  return {
    chat_blocked: chat,
    qa_blocked: qa,
    banned: Boolean(user.banned),
    chat_blocked_until: chat ? chatUntil : null,
    qa_blocked_until: qa ? qaUntil : null,
  };
}

export function toSessionUser(user: UserRow, now = Date.now()): SessionUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    role: user.role,
    event_id: user.event_id,
    ...flagsOf(user, now),
    // Staff proved who they are with their own password.
    confirmed: user.role !== Role.attendee || user.confirmed_at != null,
  };
}

export function toStaffMember(user: UserRow): StaffMember {
  const {
    chat_blocked: _chat,
    qa_blocked: _qa,
    banned: _banned,
    chat_blocked_until: _chatUntil,
    qa_blocked_until: _qaUntil,
    confirmed: _confirmed,
    ...identity
  } = toSessionUser(user);
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
    anonymous: Boolean(row.anonymous),
    answer: row.answer ?? null,
    answered_at: isoOrNull(row.answered_at ?? null),
    archived_at: isoOrNull(row.archived_at ?? null),
    label: row.label ?? null,
    version: row.version ?? 0,
  };
}

export function toHeldChat(row: HeldChatRow): HeldChat {
  return {
    id: row.id,
    user_id: row.user_id,
    user_name: row.user_name,
    message: row.message,
    words: row.words.split('\n').filter(Boolean),
    created_at: iso(row.created_at),
    status: row.status,
    chat_id: row.chat_id ?? null,
    reason: row.reason ?? null,
  };
}
