import { WebhookTopic, type WebhookData } from '@palco/sdk/protocol';
import type { EventRow, UserRow } from '../db/models.js';
import { fieldValuesOf, iso, isoOrNull } from '../services/serialize.js';
import type { Webhooks } from './webhooks.js';

/** The `user_registered` data: who registered, as the producer's CRM would want them. */
export function registeredAttendee(user: UserRow): WebhookData['user_registered'] {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    registered_at: iso(user.created_at),
    status: user.status,
    fields: fieldValuesOf(user),
    consent_at: isoOrNull(user.consent_at ?? null),
    consent_version: user.consent_version ?? null,
  };
}

/** The `registration_confirmed` data of an attendee just confirmed. */
export function confirmedAttendee(user: UserRow, via: 'link' | 'identity'): WebhookData['registration_confirmed'] {
  return { id: user.id, name: user.name, email: user.email, confirmed_at: iso(user.confirmed_at!), via };
}

/** A closed event's webhooks: `event_closed`, then `report_ready` with where its final report is. */
export function announceEventClosed(webhooks: Webhooks, event: EventRow) {
  webhooks.emit(event.id, WebhookTopic.eventClosed, { title: event.title, closed_at: iso(event.updated_at) });
  webhooks.emit(event.id, WebhookTopic.reportReady, {
    report_path: `/e/${event.slug}/reports`,
    report_api_path: `/api/events/${event.slug}/reports`,
  });
}
