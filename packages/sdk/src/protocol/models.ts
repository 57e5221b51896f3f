import type { ErrorCode, ModerationLogAction, QuestionStatus, Role } from './codes.js';
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
}

/** The event as its administrators see it. */
export interface AdminEvent extends PublicEvent {
  allowed_origins: string[];
  has_access_code: boolean;
  embed_secret: string;
  created_at: string;
  updated_at: string;
  viewers_now?: number;
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

export interface SessionUser extends UserFlags {
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
  total_seconds: number;
  last_ping: string | null;
}

/** One bar of the watch-time distribution: attendees who watched from `from_minutes` up to (not including) `to_minutes`. */
export interface WatchTimeBucket {
  from_minutes: number;
  /** null for the last, open-ended bucket. */
  to_minutes: number | null;
  participants: number;
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
  watch: { total_minutes: number; average_minutes: number; watchers: number };
  /** Every registered attendee falls in one bucket, those who never connected in the first. */
  distribution: WatchTimeBucket[];
  questions: Record<QuestionStatus, number> & { total: number };
  chat_messages: number;
  curve: Array<{ at: string; viewers: number }>;
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
