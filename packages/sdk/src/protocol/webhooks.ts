import type { FieldValues, RegistrationStatus } from './registration.js';
import type { Question } from './models.js';
import type { Poll, PollResults } from './polls.js';

/** What a producer's webhook may subscribe to (see docs/webhooks.md). */
export const WebhookTopic = {
  userRegistered: 'user_registered',
  questionApproved: 'question_approved',
  /** A moderator attached a typed answer to a question (the question as attendees see it). */
  questionAnswered: 'question_answered',
  eventClosed: 'event_closed',
  reportReady: 'report_ready',
  /** An attendee proved they own their address (an emailed link, or the producer's identity token). */
  registrationConfirmed: 'registration_confirmed',
  /** A poll or quiz closed: the poll and its final results. */
  pollClosed: 'poll_closed',
  /** After the event closes: one delivery per attendee with what they watched and said. */
  attendance: 'attendance',
} as const;
export type WebhookTopic = (typeof WebhookTopic)[keyof typeof WebhookTopic];
export const webhookTopics = Object.values(WebhookTopic) as readonly WebhookTopic[];

/** pending → sending → delivered, or back to pending for a retry, or failed after the last attempt. */
export const WebhookDeliveryStatus = {
  pending: 'pending',
  sending: 'sending',
  delivered: 'delivered',
  failed: 'failed',
} as const;
export type WebhookDeliveryStatus = (typeof WebhookDeliveryStatus)[keyof typeof WebhookDeliveryStatus];

/** Headers of every delivery; the signature is `sha256=` + hex HMAC-SHA256 of the exact body under the webhook's secret. */
export const WebhookHeader = {
  topic: 'X-Palco-Topic',
  delivery: 'X-Palco-Delivery',
  signature: 'X-Palco-Signature',
} as const;

/** The `data` of each topic. */
export interface WebhookData {
  user_registered: {
    id: number;
    name: string;
    email: string;
    phone: string | null;
    registered_at: string;
    /** `registered`, or `waitlisted` past the event's capacity. */
    status: RegistrationStatus;
    /** Answers to the event's custom fields, by key. */
    fields: FieldValues;
    consent_at: string | null;
    consent_version: string | null;
  };
  question_approved: Question;
  question_answered: Question;
  event_closed: { title: string; closed_at: string };
  report_ready: {
    /** The hosted reports page, relative to the server's address. */
    report_path: string;
    /** The same figures as JSON, for moderators and administrators. */
    report_api_path: string;
  };
  registration_confirmed: {
    id: number;
    name: string;
    email: string;
    confirmed_at: string;
    /** `link`: they opened a link from their inbox; `identity`: the producer's identity token vouched for them. */
    via: 'link' | 'identity';
  };
  poll_closed: { poll: Poll; results: PollResults };
  attendance: {
    /** The attendee (users.id), as in `user_registered`. */
    id: number;
    name: string;
    email: string;
    /** Whole minutes watched while the event was open, and of its replay (on demand) so far. */
    live_minutes: number;
    on_demand_minutes: number;
    /** Questions they asked (any status) and chat messages they sent (deleted ones too). */
    questions_asked: number;
    chat_messages: number;
  };
}

/** The JSON body POSTed to a webhook's URL. */
export interface WebhookBody<T extends WebhookTopic = WebhookTopic> {
  /** The delivery's id: the same on every retry, so a receiver can drop duplicates. */
  id: number;
  topic: T;
  event: { id: number; slug: string };
  created_at: string;
  data: WebhookData[T];
}
