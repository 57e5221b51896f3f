import ical, { ICalCalendarMethod } from 'ical-generator';
import type { EventRow } from '../db/models.js';

const defaultLengthMs = 60 * 60 * 1000;

/** The fields of an event that its calendar entry is made of. */
export type CalendarEvent = Pick<EventRow, 'id' | 'slug' | 'title' | 'description' | 'starts_at' | 'ends_at' | 'updated_at'>;

/** The hosted page of an event, as an absolute URL. */
export const eventPageUrl = (publicUrl: string, event: Pick<EventRow, 'slug'>) => `${publicUrl}/e/${event.slug}`;

/**
 * The event as an RFC 5545 calendar with one VEVENT, times in UTC. The UID depends on the
 * event's id and Palco's host only, so a calendar that imports the file again updates the
 * entry instead of adding a second; DTSTAMP is the event's last change. An event without an
 * end lasts one hour. The caller checks that `starts_at` is set.
 */
export function eventCalendar(event: CalendarEvent & { starts_at: Date }, publicUrl: string): string {
  const url = eventPageUrl(publicUrl, event);
  const calendar = ical({ prodId: { company: 'Palco', product: 'Palco', language: 'ES' }, method: ICalCalendarMethod.PUBLISH });
  calendar.createEvent({
    id: `event-${event.id}@${new URL(publicUrl).host}`,
    stamp: event.updated_at,
    start: event.starts_at,
    end: event.ends_at ?? new Date(event.starts_at.getTime() + defaultLengthMs),
    summary: event.title,
    description: event.description ? `${event.description}\n\n${url}` : url,
    url,
    location: url,
  });
  // RFC 5545 §3.1 ends every content line with CRLF, the last one too; ical-generator omits that one.
  return `${calendar.toString()}\r\n`;
}

export function hasStart<E extends Pick<EventRow, 'starts_at'>>(event: E): event is E & { starts_at: Date } {
  return event.starts_at != null;
}
