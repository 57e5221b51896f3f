import type { PollDraftInput, PollTemplate } from '../protocol/polls.js';
import type { AuditPage, AuditQuery } from '../protocol/audit.js';
import type { RegistrationStatus } from '../protocol/registration.js';
import type {
  AdminEvent,
  ParticipantReport,
  PersonExport,
  TablePage,
  AuthResult,
  MeResult,
  ModerationEntry,
  Page,
  StaffMember,
  OutboxMessage,
  OutboxMessageContent,
  Webhook,
  WebhookDelivery,
} from '../protocol/models.js';
import type {
  EventCreateInput,
  EventPatchInput,
  LoginInput,
  ParticipantsQuery,
  StaffCreateInput,
  StaffPatchInput,
  WebhookCreateInput,
  WebhookPatchInput,
} from '../protocol/http-schemas.js';
import { endSession, type HistoryOptions } from './event-api.js';
import type { HttpTransport } from './http.js';
import type { Session } from './session.js';

export interface DeliveryPageOptions {
  /** Only deliveries older than this id: the last id of the previous page. */
  before?: number;
  limit?: number;
}

/** Filters of the audit log, every one optional; `before` = the last id of the previous page. */
export interface AuditOptions {
  event_id?: number;
  actor_id?: number;
  action?: AuditQuery['action'];
  /** ISO 8601 instants, inclusive. */
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

/** What a global administrator does over HTTP; events here are addressed by numeric id. */
export interface AdminApi {
  /** Signs in a global administrator (outside any event) and keeps the token. */
  login(input: LoginInput): Promise<AuthResult>;
  /** Ends the session on the server and forgets the token. */
  logout(): Promise<void>;
  /** Who is signed in (the kept token, else the browser's session cookie). */
  me(): Promise<MeResult>;
  listEvents(): Promise<AdminEvent[]>;
  createEvent(input: EventCreateInput): Promise<AdminEvent>;
  getEvent(eventId: number): Promise<AdminEvent>;
  /** Changes any field; `{ is_active: false }` closes the event. */
  updateEvent(eventId: number, patch: EventPatchInput): Promise<AdminEvent>;
  listStaff(eventId: number): Promise<StaffMember[]>;
  createStaff(eventId: number, input: StaffCreateInput): Promise<StaffMember>;
  updateStaff(eventId: number, userId: number, patch: StaffPatchInput): Promise<StaffMember>;
  deleteStaff(eventId: number, userId: number): Promise<void>;
  /** Who moderated what in an event (by slug), newest first; `after` = the last id seen. */
  moderationLog(eventSlug: string, options?: HistoryOptions): Promise<Page<ModerationEntry>>;
  listWebhooks(eventId: number): Promise<Webhook[]>;
  createWebhook(eventId: number, input: WebhookCreateInput): Promise<Webhook>;
  /** Changes url, topics or active; `{ rotate_secret: true }` issues a new secret. */
  updateWebhook(eventId: number, webhookId: number, patch: WebhookPatchInput): Promise<Webhook>;
  deleteWebhook(eventId: number, webhookId: number): Promise<void>;
  /** Saves a poll to use again in any event; checked as `poll_create` checks a poll. */
  savePollTemplate(draft: PollDraftInput): Promise<PollTemplate>;
  listPollTemplates(): Promise<PollTemplate[]>;
  deletePollTemplate(templateId: number): Promise<void>;
  /** A webhook's deliveries, newest first. */
  listDeliveries(eventId: number, webhookId: number, options?: DeliveryPageOptions): Promise<Page<WebhookDelivery>>;
  /** Sends a delivery again now; resolves with it as it stands. */
  redeliver(eventId: number, webhookId: number, deliveryId: number): Promise<WebhookDelivery>;
  /** Administrators' actions, newest first; 422 `invalid_input` names a bad filter. */
  auditLog(options?: AuditOptions): Promise<AuditPage>;
  /** A page of an event's (by slug) attendees with their status, answers and consent: searched, sorted, paged. */
  participants(eventSlug: string, options?: ParticipantsQuery): Promise<TablePage<ParticipantReport>>;
  /** Gives a waitlisted attendee a seat; 409 `event_full` when none is left, `invalid_state` when not waitlisted. */
  admitParticipant(eventId: number, userId: number): Promise<{ id: number; status: RegistrationStatus }>;
  /** Everything Palco holds about one person of the event. */
  exportParticipant(eventId: number, userId: number): Promise<PersonExport>;
  /** Erases one person of the event, irreversibly (docs/privacy.md). */
  eraseParticipant(eventId: number, userId: number): Promise<void>;
  /** The event's outbox, newest first: kind, recipient, status, attempts, last error, times. */
  listMail(eventId: number, options?: DeliveryPageOptions): Promise<{ items: OutboxMessage[]; has_more: boolean }>;
  /** One message as written to its `.eml` file; 404 `mail_not_kept` when Palco keeps no copy (sent by SMTP, or not yet sent). */
  mailContent(eventId: number, mailId: number): Promise<OutboxMessageContent>;
}

export function createAdminApi(http: HttpTransport, session: Session): AdminApi {
  const eventPath = (eventId: number) => `/api/admin/events/${eventId}`;
  const staffPath = (eventId: number, userId: number) => `${eventPath(eventId)}/staff/${userId}`;
  const webhookPath = (eventId: number, webhookId: number) => `${eventPath(eventId)}/webhooks/${webhookId}`;
  const participantPath = (eventId: number, userId: number) => `${eventPath(eventId)}/participants/${userId}`;
  return {
    async login(input) {
      const result = await http.request<AuthResult>('POST', '/api/auth/login', { body: input });
      session.setToken(result.token);
      return result;
    },
    logout: () => endSession(http, session),
    me: () => http.request('GET', '/api/me'),
    listEvents: () => http.request('GET', '/api/admin/events'),
    createEvent: (input) => http.request('POST', '/api/admin/events', { body: input }),
    getEvent: (eventId) => http.request('GET', eventPath(eventId)),
    updateEvent: (eventId, patch) => http.request('PATCH', eventPath(eventId), { body: patch }),
    listStaff: (eventId) => http.request('GET', `${eventPath(eventId)}/staff`),
    createStaff: (eventId, input) => http.request('POST', `${eventPath(eventId)}/staff`, { body: input }),
    updateStaff: (eventId, userId, patch) => http.request('PATCH', staffPath(eventId, userId), { body: patch }),
    deleteStaff: (eventId, userId) => http.request('DELETE', staffPath(eventId, userId), { expect: 'empty' }),
    moderationLog: (eventSlug, options = {}) =>
      http.request('GET', `/api/events/${encodeURIComponent(eventSlug)}/moderation-log`, {
        query: { after: options.after, limit: options.limit },
      }),
    listWebhooks: (eventId) => http.request('GET', `${eventPath(eventId)}/webhooks`),
    createWebhook: (eventId, input) => http.request('POST', `${eventPath(eventId)}/webhooks`, { body: input }),
    updateWebhook: (eventId, webhookId, patch) => http.request('PATCH', webhookPath(eventId, webhookId), { body: patch }),
    deleteWebhook: (eventId, webhookId) => http.request('DELETE', webhookPath(eventId, webhookId), { expect: 'empty' }),
    savePollTemplate: (draft) => http.request('POST', '/api/admin/poll-templates', { body: draft }),
    listPollTemplates: () => http.request('GET', '/api/admin/poll-templates'),
    deletePollTemplate: (templateId) => http.request('DELETE', `/api/admin/poll-templates/${templateId}`, { expect: 'empty' }),
    listDeliveries: (eventId, webhookId, options = {}) =>
      http.request('GET', `${webhookPath(eventId, webhookId)}/deliveries`, {
        query: { before: options.before, limit: options.limit },
      }),
    redeliver: (eventId, webhookId, deliveryId) =>
      http.request('POST', `${webhookPath(eventId, webhookId)}/deliveries/${deliveryId}/redeliver`),
    auditLog: (options = {}) => http.request('GET', '/api/admin/audit', { query: { ...options } }),
    participants: (eventSlug, options = {}) =>
      http.request('GET', `/api/events/${encodeURIComponent(eventSlug)}/reports/participants`, { query: { ...options } }),
    admitParticipant: (eventId, userId) => http.request('POST', `${participantPath(eventId, userId)}/admit`),
    exportParticipant: (eventId, userId) => http.request('GET', `${participantPath(eventId, userId)}/export`),
    eraseParticipant: (eventId, userId) => http.request('DELETE', participantPath(eventId, userId), { expect: 'empty' }),
    listMail: (eventId, options = {}) =>
      http.request('GET', `${eventPath(eventId)}/mail`, { query: { before: options.before, limit: options.limit } }),
    mailContent: (eventId, mailId) => http.request('GET', `${eventPath(eventId)}/mail/${mailId}`),
  };
}
