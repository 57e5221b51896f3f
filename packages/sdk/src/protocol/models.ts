import type { ErrorCode, ModerationLogAction, QuestionStatus, Role } from './codes.js';
import type { Poll, PollResults } from './polls.js';
import type { FieldValues, PrivacyNotice, RegistrationField, RegistrationStatus } from './registration.js';
import type { VideoKind } from './video-links.js';
import type { EventState, MailKind, MailStatus, SignInMethod } from './journey.js';
import type { WebhookDeliveryStatus, WebhookTopic } from './webhooks.js';

/** What anyone may know about an event (GET /api/events/{slug}). */
export interface PublicEvent {
  id: number;
  slug: string;
  title: string;
  logo_url: string | null;
  video_url: string | null;
  /** How the player treats video_url: decided from the URL (`auto`), or `hls` / `file` outright. */
  video_kind: VideoKind;
  is_active: boolean;
  registration_open: boolean;
  /** Domains an attendee's email must belong to; empty means anyone may register. */
  allowed_email_domains: string[];
  slow_mode_seconds: number;
  /** The event's own questions, asked after name, email and phone. */
  registration_fields: RegistrationField[];
  /** Whether the form asks for a phone (true unless the event says otherwise, as in the original system). */
  phone_required: boolean;
  /** The notice a person must accept to register; null when the event has none. */
  privacy_notice: PrivacyNotice | null;
  /** Seats; null = no limit. */
  capacity: number | null;
  /** Past capacity: true puts registrations on the waitlist (202), false refuses them (409 `event_full`). */
  waitlist: boolean;
  /** When the broadcast is planned to start and end (ISO instants, UTC); null when unscheduled. */
  starts_at: string | null;
  ends_at: string | null;
  /** The event's own IANA zone, named beside times shown in the reader's zone. */
  time_zone: string;
  description: string | null;
  /** When an administrator started the broadcast; null before. */
  live_at: string | null;
  replay_url: string | null;
  /** The replay stays available until this instant. */
  on_demand_until: string | null;
  /** Whether new attendees may register while the event is on demand. */
  replay_registration: boolean;
  sign_in: SignInMethod;
  /** Whether attendees must open the emailed link before they may chat, ask, vote or answer polls. */
  require_confirmation: boolean;
  /** Derived from the fields above and the time of the answer (see `eventState`). */
  state: EventState;
  /** Attendees may ask without their name showing (moderators still see it, to moderate). */
  allow_anonymous_questions: boolean;
}

/** What an event does with a chat message that holds a blocked word. */
export const BlockedWordsAction = {
  /** Kept from the chat until a moderator releases or rejects it; the sender is told it awaits review. */
  hold: 'hold',
  /** Refused at once with `blocked_words`; the sender may rewrite it. */
  refuse: 'refuse',
} as const;
export type BlockedWordsAction = (typeof BlockedWordsAction)[keyof typeof BlockedWordsAction];

/** The event as its administrators see it. */
export interface AdminEvent extends PublicEvent {
  /** The event's own blocked words, at most `Limits.blockedWordsMax`. */
  blocked_words: string[];
  blocked_words_action: BlockedWordsAction;
  /** Whether the default Spanish and English lists apply too (both on unless an administrator turns them off). */
  default_blocked_words: { es: boolean; en: boolean };
  allowed_origins: string[];
  has_access_code: boolean;
  embed_secret: string;
  created_at: string;
  updated_at: string;
  viewers_now?: number;
  /** Seats held by registered attendees. */
  seats_taken: number;
  /** Days after the close when attendees' personal data is erased; null = kept. */
  retention_days: number | null;
}

/** What moderators decided about one attendee (see the `moderate` message). */
export interface UserFlags {
  /** May not chat. */
  chat_blocked: boolean;
  /** May not ask questions. */
  qa_blocked: boolean;
  /** Disconnected and kept out of the event. */
  banned: boolean;
}

/** The flags of someone no moderator has acted on. */
export const noUserFlags: Readonly<UserFlags> = Object.freeze({ chat_blocked: false, qa_blocked: false, banned: false });

/**
 * The flags with the end of each timeout: a block with an end lifts itself then (ISO 8601;
 * null for a block until a moderator lifts it, or no block). A flag already reads false once
 * its timeout has ended.
 */
export interface TimedUserFlags extends UserFlags {
  chat_blocked_until: string | null;
  qa_blocked_until: string | null;
}

export const noTimedUserFlags: Readonly<TimedUserFlags> = Object.freeze({ ...noUserFlags, chat_blocked_until: null, qa_blocked_until: null });

export interface SessionUser extends TimedUserFlags {
  id: number;
  name: string;
  email: string;
  phone: string | null;
  role: Role;
  /** null for global administrators. */
  event_id: number | null;
  /** True once the attendee opened a link from their inbox, or arrived through the producer's identity token. */
  confirmed: boolean;
}

export interface AuthResult {
  token: string;
  user: SessionUser;
  /** Where the hosted pages send this user next. */
  redirect: string;
}

export interface MeResult {
  user: SessionUser;
  event: PublicEvent | null;
}

export interface StaffMember {
  id: number;
  name: string;
  email: string;
  phone: string | null;
  role: Role;
  event_id: number | null;
  created_at: string;
}

export interface ChatMessage {
  id: number;
  user_id: number;
  user_name: string;
  message: string;
  /**
   * "HH:MM" in the server's time zone, as the original system showed it.
   * @deprecated Show `created_at` in the reader's zone instead (Intl.DateTimeFormat); this is
   * the server's clock, hours away from most readers.
   */
  timestamp: string;
  /** When it was sent: ISO 8601 in UTC ("2026-03-01T19:02:30.000Z"). */
  created_at: string;
}

export interface Question {
  id: number;
  user_id: number;
  user_name: string;
  question: string;
  status: QuestionStatus;
  upvotes: number;
  created_at: string;
  approved_at: string | null;
  read_at: string | null;
  moderated_by: number | null;
  /**
   * Asked without the name showing: outside the moderators' queue `user_id` is 0 and
   * `user_name` empty (see `publicQuestion`).
   */
  anonymous: boolean;
  /** A moderator's typed answer, shown under the question; null until there is one. */
  answer: string | null;
  answered_at: string | null;
  /** Set while archived: out of the queue and the board until restored. */
  archived_at: string | null;
  /** The topic it was filed under, for filtering the queue and the board. */
  label: string | null;
  /** Goes up with each edit of the text; `edit_question` names the version it edited. */
  version: number;
}

/** A chat message kept for review because it holds blocked words. */
export interface HeldChat {
  id: number;
  user_id: number;
  user_name: string;
  message: string;
  /** The blocked words found, as listed. */
  words: string[];
  created_at: string;
  status: 'held' | 'released' | 'rejected';
  /** The chat id it got when released. */
  chat_id: number | null;
  /** Why it was rejected, shown to its sender. */
  reason: string | null;
}

/** What is pinned above the chat: a chat message, or an announcement a moderator wrote. */
export interface PinnedChat {
  /** The pinned chat message; null for an announcement. */
  chat_id: number | null;
  user_name: string;
  message: string;
  pinned_at: string;
}

/** One restriction on one attendee, as the moderators' panel of restricted people lists it. */
export interface Restriction {
  user_id: number;
  name: string;
  kind: 'chat_blocked' | 'qa_blocked' | 'banned';
  set_by_id: number | null;
  set_by_name: string | null;
  set_at: string | null;
  /** When it lifts itself; null until a moderator lifts it. */
  until: string | null;
  reason: string | null;
}

export interface Page<T> {
  items: T[];
  /** True when more items follow the last one; ask again with `after` = the last id. */
  has_more: boolean;
}

export interface ActiveSession {
  user_id: number;
  name: string;
  role: Role;
  connected_since: string;
  minutes_watched: number;
}

export interface ParticipantReport {
  user_id: number;
  name: string;
  email: string;
  phone: string | null;
  registered_at: string;
  total_minutes: number;
  /** live_seconds + on_demand_seconds. */
  total_seconds: number;
  /** Watched while the event was open (live or in its waiting room). */
  live_seconds: number;
  /** Watched after closing, while its replay was on demand. */
  on_demand_seconds: number;
  last_ping: string | null;
  /** Polls and quizzes this attendee answered. */
  poll_answers: number;
  status: RegistrationStatus;
  /** Answers to the event's custom fields, by key. */
  fields: FieldValues;
  consent_at: string | null;
  consent_version: string | null;
}

/** One bar of the watch-time distribution: attendees who watched from `from_minutes` up to (not including) `to_minutes`. */
export interface WatchTimeBucket {
  from_minutes: number;
  /** null for the last, open-ended bucket. */
  to_minutes: number | null;
  /** By total watch time. */
  participants: number;
  /** By watch time while live, and by watch time of the replay, each on its own. */
  live_participants: number;
  on_demand_participants: number;
}

/**
 * The figures of an event. The participants themselves are not in it (an event may have
 * tens of thousands): they are read a page at a time from /reports/participants.
 */
export interface EventReport {
  event: Pick<PublicEvent, 'id' | 'slug' | 'title' | 'is_active'>;
  generated_at: string;
  active_now: number;
  total_participants: number;
  peak: { viewers: number; at: string } | null;
  /** `watchers`: attendees who connected at least once; the average is over them. */
  watch: { total_minutes: number; average_minutes: number; watchers: number; live_minutes: number; on_demand_minutes: number };
  /** Every registered attendee falls in one bucket, those who never connected in the first. */
  distribution: WatchTimeBucket[];
  questions: Record<QuestionStatus, number> & { total: number };
  chat_messages: number;
  curve: Array<{ at: string; viewers: number }>;
  /** Every poll of the event (drafts too) with its results as staff see them, oldest first. */
  polls: Array<{ poll: Poll; results: PollResults }>;
  /** Reactions per minute (the minute's start), emoji → count; minutes without any are left out. */
  reactions: Array<{ at: string; counts: Record<string, number> }>;
}

/** A page of a report table: `total` rows match the search, `items` start at `offset`. */
export interface TablePage<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface ModerationEntry {
  id: number;
  actor_id: number | null;
  actor_name: string | null;
  action: ModerationLogAction;
  /** The person acted upon (the question's author, the chat message's author, the blocked user). */
  target_user_id: number | null;
  target_user_name: string | null;
  /** The question or chat message acted upon. */
  target_id: number | null;
  /** The reason the moderator gave, shown to the person concerned. */
  reason: string | null;
  /** What the action changed: the answer, the text before an edit, a timeout's end… (see ModerationLogAction). */
  detail: string | null;
  created_at: string;
}

/** A producer's webhook, as its administrators see it (secret included: they verify with it). */
export interface Webhook {
  id: number;
  event_id: number;
  url: string;
  topics: WebhookTopic[];
  active: boolean;
  secret: string;
}

/** One message to one webhook and where it stands. */
export interface WebhookDelivery {
  id: number;
  webhook_id: number;
  topic: WebhookTopic;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** Why the last attempt failed ("HTTP 500", "timeout after 5000 ms", …); null once delivered. */
  last_error: string | null;
  /** HTTP status of the last answer; null when there was none (timeout, network error). */
  response_status: number | null;
  created_at: string;
  /** When the next attempt is due, while pending. */
  next_attempt_at: string | null;
  delivered_at: string | null;
}

/** One message of the email outbox, as administrators see it (GET /api/admin/events/{id}/mail). */
export interface OutboxMessage {
  id: number;
  kind: MailKind;
  recipient: string;
  user_id: number | null;
  status: MailStatus;
  attempts: number;
  /** Why the last attempt failed (the SMTP server's answer, a timeout); null once sent. */
  last_error: string | null;
  /** When it is due (a reminder's time), or its next retry while pending. */
  send_after: string;
  sent_at: string | null;
  created_at: string;
  /** Once sent: the message's Message-ID, and the SMTP server's answer (or the .eml file written). */
  message_id: string | null;
  response: string | null;
}

/** An outbox message as it was written to its `.eml` file (GET /api/admin/events/{id}/mail/{mailId}). */
export interface OutboxMessageContent {
  id: number;
  subject: string;
  from: string;
  to: string;
  /** The HTML part, to show in a sandboxed frame; null when the message had none. */
  html: string | null;
  text: string | null;
}

/** The body of every HTTP error response. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  /** invalid_input: a message per offending field. */
  fields?: Record<string, string>;
  /** rate_limited: seconds to wait before trying again. */
  retry_after?: number;
  /** already_registered: where to sign in instead. */
  login_url?: string;
  /** consent_required: the notice to show and accept. */
  privacy_notice?: PrivacyNotice;
  /** service_unavailable from GET /readyz: what is not ready. */
  checks?: ReadinessChecks;
}

/** GET /healthz: the process is alive (it answers), whatever its dependencies do. */
export interface HealthReport {
  status: 'ok';
}

/** What a backend process needs to serve, each checked by GET /readyz. */
export interface ReadinessChecks {
  /** `stopping` once a graceful shutdown began: a load balancer should send no more. */
  server: 'ok' | 'stopping';
  database: 'ok' | 'unavailable';
  redis: 'ok' | 'unavailable' | 'not_configured';
}

/** GET /readyz when every check passes (otherwise a 503 `service_unavailable` with `checks`). */
export interface ReadinessReport {
  status: 'ready';
  checks: ReadinessChecks;
}

/** GET /api/admin/events/{id}/participants/{userId}/export: everything Palco holds about one person of an event. */
export interface PersonExport {
  registration: {
    id: number;
    event_id: number | null;
    name: string;
    email: string;
    phone: string | null;
    role: Role;
    status: RegistrationStatus;
    registered_at: string;
    /** Set once the person was erased: the rest then holds placeholders. */
    erased_at: string | null;
    flags: UserFlags;
  };
  fields: FieldValues;
  /** When, which notice version and from which client address the person consented. */
  consent: { at: string | null; version: string | null; ip: string | null };
  /** Every chat message they sent, deleted ones included. */
  chat: Array<ChatMessage & { deleted_at: string | null }>;
  /** Every question they asked, whatever its status. */
  questions: Question[];
  /** The questions they voted for. */
  votes: Array<{ question_id: number }>;
  /** Seconds watched and when; null when they never connected. */
  watch_time: { total_seconds: number; live_seconds: number; on_demand_seconds: number; first_seen: string; last_ping: string } | null;
  /** Every email Palco queued or sent them: its kind, address, status and when it went. */
  emails: Array<{ kind: MailKind; recipient: string; status: MailStatus; sent_at: string | null }>;
}
