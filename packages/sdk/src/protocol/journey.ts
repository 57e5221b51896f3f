/**
 * The attendee journey around the live hour (docs/journey.md): an event's schedule, its
 * derived state, how attendees sign in, and the emails Palco sends them.
 */

export const EventState = {
  /** Open, with a start time, not yet live: registration and the waiting room. */
  scheduled: 'scheduled',
  /** Open and broadcasting; also every open event without a start time (adopted and older ones). */
  live: 'live',
  /** Closed, with a replay still available: watch it, chat and Q&A read-only. */
  onDemand: 'on_demand',
  /** Closed otherwise: only staff may enter. */
  ended: 'ended',
} as const;
export type EventState = (typeof EventState)[keyof typeof EventState];

/** How returning attendees sign in to an event. */
export const SignInMethod = {
  /** A single-use link mailed to their inbox (the default for new events). */
  link: 'link',
  /** The event's shared access code (the original system's way, kept for adopted events). */
  accessCode: 'access_code',
} as const;
export type SignInMethod = (typeof SignInMethod)[keyof typeof SignInMethod];
export const signInMethods = Object.values(SignInMethod) as readonly SignInMethod[];

/** What the state of an event is derived from; instants as Date, ISO text or null. */
export interface EventSchedule {
  is_active: boolean;
  starts_at: Date | string | null;
  live_at: Date | string | null;
  replay_url: string | null;
  on_demand_until: Date | string | null;
}

/**
 * The state of an event at `now` (ms since the epoch), per the table of DESIGN.md "The
 * attendee journey": an open event is live once started or when it has no start time at
 * all; a closed one is on demand while a replay is set and its window lasts.
 */
export function eventState(event: EventSchedule, now: number): EventState {
  if (event.is_active) return event.live_at != null || event.starts_at == null ? EventState.live : EventState.scheduled;
  const until = event.on_demand_until == null ? null : new Date(event.on_demand_until).getTime();
  return event.replay_url && until != null && until > now ? EventState.onDemand : EventState.ended;
}

/** The emails of the journey; `sign_in_link` is the only one an attendee asks for. */
export const MailKind = {
  confirmation: 'confirmation',
  signInLink: 'sign_in_link',
  reminder24h: 'reminder_24h',
  reminder1h: 'reminder_1h',
  live: 'live',
  thanks: 'thanks',
  missed: 'missed',
} as const;
export type MailKind = (typeof MailKind)[keyof typeof MailKind];
export const mailKinds = Object.values(MailKind) as readonly MailKind[];

/** Transactional mail answers what the attendee just did: always sent, no unsubscribe. */
export function isTransactionalMail(kind: MailKind): boolean {
  return kind === MailKind.confirmation || kind === MailKind.signInLink;
}

export const MailStatus = {
  pending: 'pending',
  sending: 'sending',
  sent: 'sent',
  failed: 'failed',
  /** Not sent on purpose: a reminder already overdue, or an attendee who unsubscribed. */
  skipped: 'skipped',
} as const;
export type MailStatus = (typeof MailStatus)[keyof typeof MailStatus];
