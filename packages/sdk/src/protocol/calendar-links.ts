/** What an "add to calendar" link carries; instants as ISO text. */
export interface CalendarEntry {
  title: string;
  description: string | null;
  starts_at: string;
  /** When null, the entry lasts one hour. */
  ends_at: string | null;
  /** The event's page, put in the entry's location and details. */
  url: string;
}

const defaultLengthMs = 60 * 60 * 1000;

/** 20261201T180000Z: the basic UTC form Google's template link takes (RFC 5545 DATE-TIME). */
const basicUtc = (instant: Date) => instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * "Add to Google Calendar" and "Add to Outlook" links for an event, built from the public
 * template URLs those calendars document; times go in UTC so no zone is lost on the way.
 */
export function calendarLinks(entry: CalendarEntry): { google: string; outlook: string } {
  const start = new Date(entry.starts_at);
  const end = entry.ends_at ? new Date(entry.ends_at) : new Date(start.getTime() + defaultLengthMs);
  const details = entry.description ? `${entry.description}\n\n${entry.url}` : entry.url;
  const google = new URL('https://calendar.google.com/calendar/render');
  google.search = new URLSearchParams({
    action: 'TEMPLATE',
    text: entry.title,
    dates: `${basicUtc(start)}/${basicUtc(end)}`,
    details,
    location: entry.url,
  }).toString();
  const outlook = new URL('https://outlook.live.com/calendar/0/deeplink/compose');
  outlook.search = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: entry.title,
    startdt: start.toISOString(),
    enddt: end.toISOString(),
    body: details,
    location: entry.url,
  }).toString();
  return { google: google.toString(), outlook: outlook.toString() };
}
