/** Error codes carried by HTTP error bodies and socket `error` frames. */
export const ErrorCode = {
  invalidInput: 'invalid_input',
  malformedJson: 'malformed_json',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  notFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  eventNotFound: 'event_not_found',
  alreadyRegistered: 'already_registered',
  domainNotAllowed: 'domain_not_allowed',
  /** The event is at capacity and keeps no waitlist. */
  eventFull: 'event_full',
  /** A waitlisted attendee tried to sign in: an administrator admits them first. */
  waitlisted: 'waitlisted',
  /** The event's privacy notice changed (or was never accepted): send `consent: true` with the sign-in. */
  consentRequired: 'consent_required',
  eventClosed: 'event_closed',
  /** A registration once the event takes no more: it has ended, or its replay takes no new attendees (`replay_registration` off). */
  registrationClosed: 'registration_closed',
  /** The administrators' own sign-in (`POST /api/auth/login`): wrong email or password. */
  invalidCredentials: 'invalid_credentials',
  /** An event's sign-in: not the event's access code, for an attendee or an email nobody registered. */
  wrongAccessCode: 'wrong_access_code',
  /** An event's sign-in: not the password of that staff member or administrator. */
  wrongPassword: 'wrong_password',
  invalidIdentity: 'invalid_identity',
  /** The email belongs to a moderator, speaker or administrator: only their own password signs them in. */
  staffAccount: 'staff_account',
  /** A registration or sign-in form posted from another site (login CSRF). */
  crossSiteSignIn: 'cross_site_sign_in',
  banned: 'banned',
  rateLimited: 'rate_limited',
  notAuthenticated: 'not_authenticated',
  forbidden: 'forbidden',
  originNotAllowed: 'origin_not_allowed',
  slugTaken: 'slug_taken',
  emailTaken: 'email_taken',
  /** A webhook URL that names or resolves to a loopback, private, link-local or metadata address. */
  webhookUrlNotAllowed: 'webhook_url_not_allowed',
  /** The event already has `Limits.webhooksPerEvent` webhooks. */
  tooManyWebhooks: 'too_many_webhooks',
  chatBlocked: 'chat_blocked',
  qaBlocked: 'qa_blocked',
  questionNotFound: 'question_not_found',
  invalidState: 'invalid_state',
  alreadyVoted: 'already_voted',
  pollNotFound: 'poll_not_found',
  /** A quiz answer that arrived after the quiz's time limit. */
  timeUp: 'time_up',
  tooManyBlockedWords: 'too_many_blocked_words',
  /** A moderator edited the question since the `version` the request names. */
  stale: 'stale',
  /** Another moderator is editing the question (for `Limits.editLeaseSeconds`). */
  questionBeingEdited: 'question_being_edited',
  /** The question is archived: restore it first. */
  questionArchived: 'question_archived',
  /** The event refuses chat messages with blocked words (`blocked_words_action` = `refuse`). */
  blockedWords: 'blocked_words',
  /** The event does not take anonymous questions (`allow_anonymous_questions` is off). */
  anonymousNotAllowed: 'anonymous_not_allowed',
  unknownType: 'unknown_type',
  serviceUnavailable: 'service_unavailable',
  internalError: 'internal_error',
  timeout: 'timeout',
  disconnected: 'disconnected',
  networkError: 'network_error',
  /** Client-side: the page has no usable WebSocket (removed or replaced), so nothing live can run. */
  websocketUnavailable: 'websocket_unavailable',
  /** A write (chat, ask, vote, poll answer) before the attendee opened the link in their inbox. */
  confirmationRequired: 'confirmation_required',
  /** A write while the event is on demand: chat, Q&A and polls are read-only during the replay. */
  eventOnDemand: 'event_on_demand',
  /** An attendee tried the access code on an event whose attendees sign in by emailed link. */
  signInByLink: 'sign_in_by_link',
  /** This Palco sends no email (PALCO_MAIL=off): no sign-in link can be mailed. */
  mailOff: 'mail_off',
  /** A sign-in link that is not one Palco issued (mistyped, cut short, or for another event). */
  signInLinkInvalid: 'sign_in_link_invalid',
  signInLinkExpired: 'sign_in_link_expired',
  signInLinkUsed: 'sign_in_link_used',
  /** A sign-in link whose registration is gone, or the event's access code with an email nobody registered. */
  notRegistered: 'not_registered',
  /** An unsubscribe link that is not one Palco signed. */
  unsubscribeLinkInvalid: 'unsubscribe_link_invalid',
  /** The calendar of an event without a start time. */
  eventNotScheduled: 'event_not_scheduled',
  /** An outbox message with no copy kept here: not sent yet, or sent through SMTP (find it by its Message-ID). */
  mailNotKept: 'mail_not_kept',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes used by the server (see docs/protocol.md). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  /** RFC 6455 "policy violation": the client spent its frame budget (see docs/protocol.md). */
  policyViolation: 1008,
  /** 1008 as well: an `Origin` the event does not allow. */
  originNotAllowed: 1008,
  messageTooBig: 1009,
  /** A fault of the server's: reconnect; a request left unanswered may or may not have been done. */
  serverError: 1011,
  /** A graceful restart: reconnect; a request left unanswered was not done and may be sent again. */
  serverRestarting: 1012,
  /** RFC 6455 "try again later": too many sockets from one address, or a reader too slow for its frames. */
  tryAgainLater: 1013,
  /** @deprecated 1013 also means "too many sockets"; use tryAgainLater. */
  slowReader: 1013,
  notAuthenticated: 4001,
  forbidden: 4003,
  eventNotFound: 4004,
  eventClosed: 4010,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect on its own. */
export const fatalCloseCodes: ReadonlySet<number> = new Set([
  CloseCode.notAuthenticated,
  CloseCode.forbidden,
  CloseCode.eventNotFound,
  CloseCode.eventClosed,
  CloseCode.originNotAllowed,
]);

/**
 * Who a user is in an event. The stored values are the original system's (`visor` for an
 * attendee), so an adopted database keeps working.
 */
export const Role = {
  /** A person in the audience. */
  attendee: 'visor',
  /** @deprecated Use `Role.attendee`: "viewers" names the live count only. */
  viewer: 'visor',
  moderator: 'moderador',
  speaker: 'speaker',
  admin: 'administrador',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const roles = Object.values(Role) as readonly Role[];

/** What the moderation log records (the `action` of a ModerationEntry). */
export const ModerationLogAction = {
  approve: 'approve',
  reject: 'reject',
  read: 'read',
  /** target_id is the question now on the big screen, or null when it was cleared. */
  highlight: 'highlight',
  deleteChat: 'delete_chat',
  blockChat: 'block_chat',
  unblockChat: 'unblock_chat',
  blockQuestions: 'block_questions',
  unblockQuestions: 'unblock_questions',
  ban: 'ban',
  unban: 'unban',
  /** target_id is the question; detail holds the answer. */
  answer: 'answer',
  archive: 'archive',
  restore: 'restore',
  /** target_id is the question; detail holds the text before the edit. */
  editQuestion: 'edit_question',
  /** target_id is the question; detail holds the new label (empty when cleared). */
  label: 'label',
  /** target_id is the held message; detail holds its text. */
  holdChat: 'hold_chat',
  /** target_id is the held message, detail the chat id it got. */
  releaseChat: 'release_chat',
  rejectChat: 'reject_chat',
  /** target_id is the pinned chat message (null for an announcement or a cleared pin); detail holds the text. */
  pinChat: 'pin_chat',
  /** A timed block of chat or questions: detail holds the end (ISO 8601). */
  timeoutChat: 'timeout_chat',
  timeoutQuestions: 'timeout_questions',
} as const;
export type ModerationLogAction = (typeof ModerationLogAction)[keyof typeof ModerationLogAction];

export const QuestionStatus = {
  pending: 'pending',
  approved: 'approved',
  read: 'read',
  rejected: 'rejected',
} as const;
export type QuestionStatus = (typeof QuestionStatus)[keyof typeof QuestionStatus];

/** Roles that see pending questions and the audience list and may moderate. */
export function isModeratorRole(role: Role): boolean {
  return role === Role.moderator || role === Role.admin;
}

/** Roles that run the event rather than attend it. */
export function isStaffRole(role: Role): boolean {
  return role !== Role.attendee;
}
