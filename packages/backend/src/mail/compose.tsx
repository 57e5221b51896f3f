import type Mail from 'nodemailer/lib/mailer/index.js';
import { renderToString } from 'preact-render-to-string';
import { calendarLinks, isTransactionalMail, pickLang, type Lang, type MailKind } from '@palco/sdk/protocol';
import type { EventRow } from '../db/models.js';
import { eventCalendar, eventPageUrl, hasStart, type CalendarEvent } from '../services/calendar.js';
import { commonMailWords, mailWords } from './texts.js';

/** The fields of an event that its messages are made of: plain values, which cross to the mail worker. */
export type MailEvent = CalendarEvent & Pick<EventRow, 'time_zone' | 'logo_url'>;

/** The fields of `event` a message needs, as a plain object (a Sequelize row does not cross threads). */
export const mailEvent = (event: MailEvent): MailEvent => ({
  id: event.id,
  slug: event.slug,
  title: event.title,
  description: event.description,
  starts_at: event.starts_at,
  ends_at: event.ends_at,
  updated_at: event.updated_at,
  time_zone: event.time_zone,
  logo_url: event.logo_url,
});

export interface MailContext {
  kind: MailKind;
  event: MailEvent;
  recipient: { name: string; email: string; lang: string | null };
  publicUrl: string;
  /** Where the button leads: a sign-in link, the event page or its replay. */
  actionUrl: string;
  /** The one-click unsubscribe URL of non-transactional messages (RFC 8058). */
  unsubscribeUrl: string | null;
}

/**
 * Date formats by language and zone. Building one loads the zone's rules and costs about a
 * millisecond; a message to each of 10 000 attendees of one event needs the same two.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(lang: Lang, timeZone: string): Intl.DateTimeFormat {
  const key = `${lang}:${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'es' ? 'es-ES' : 'en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone });
    // Zones are a few hundred at most; the bound only guards against a surprise.
    if (dateFormats.size >= 1_000) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format;
}

/** The start in the event's own zone, named beside it: mail clients cannot tell the reader's zone. */
function startsAt(event: MailEvent, lang: Lang): string | null {
  if (!event.starts_at) return null;
  return commonMailWords[lang].when(dateFormat(lang, event.time_zone).format(event.starts_at), event.time_zone);
}

interface EventCalendar {
  ics: string;
  links: ReturnType<typeof calendarLinks>;
}

/**
 * The .ics and calendar links of the events mailed lately, by everything they are made of:
 * the same for every attendee of an event, and a few milliseconds each to build.
 */
const calendars = new Map<string, EventCalendar>();
const calendarsKept = 100;

function calendarOf(event: MailEvent & { starts_at: Date }, publicUrl: string): EventCalendar {
  const key = JSON.stringify([
    event.id,
    event.slug,
    event.title,
    event.description,
    event.starts_at.getTime(),
    event.ends_at?.getTime() ?? null,
    event.updated_at?.getTime() ?? null,
    publicUrl,
  ]);
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = {
      ics: eventCalendar(event, publicUrl),
      links: calendarLinks({
        title: event.title,
        description: event.description,
        starts_at: event.starts_at.toISOString(),
        ends_at: event.ends_at?.toISOString() ?? null,
        url: eventPageUrl(publicUrl, event),
      }),
    };
    if (calendars.size >= calendarsKept) calendars.delete(calendars.keys().next().value!);
    calendars.set(key, calendar);
  }
  return calendar;
}

/**
 * One message in the attendee's language, as HTML and plain text, with the event's title
 * and logo. Confirmations carry the event's .ics; everything but confirmations and sign-in
 * links carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 one-click).
 */
export function composeMail(context: MailContext): Mail.Options {
  const { kind, event, recipient, actionUrl, unsubscribeUrl } = context;
  const lang = pickLang(recipient.lang);
  const words = mailWords[lang][kind];
  const common = commonMailWords[lang];
  const lines = words.lines(event.title, startsAt(event, lang));
  const calendar = kind === 'confirmation' && hasStart(event) ? calendarOf(event, context.publicUrl) : null;
  const transactional = isTransactionalMail(kind);
  const footer = transactional ? common.transactionalReason(event.title) : common.unsubscribeReason(event.title);

  const text = [
    common.greeting(recipient.name),
    '',
    ...lines.flatMap((line) => [line, '']),
    `${words.action}: ${actionUrl}`,
    ...(calendar ? ['', common.addToCalendar, `Google: ${calendar.links.google}`, `Outlook: ${calendar.links.outlook}`] : []),
    '',
    '-- ',
    footer,
    ...(unsubscribeUrl ? [`${common.unsubscribe}: ${unsubscribeUrl}`] : []),
  ].join('\n');

  const html = `<!doctype html>${renderToString(
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <title>{words.subject(event.title)}</title>
      </head>
      <body style="margin:0;padding:24px;background:#f4f4f6;font-family:Arial,Helvetica,sans-serif;color:#1d1d24">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px">
          <tr>
            <td style="padding:24px">
              {event.logo_url && <img src={event.logo_url} alt="" width={56} height={56} style="display:block;margin-bottom:12px" />}
              <h1 style="font-size:22px;margin:0 0 16px">{event.title}</h1>
              <p>{common.greeting(recipient.name)}</p>
              {lines.map((line) => (
                <p>{line}</p>
              ))}
              <p style="margin:24px 0">
                <a href={actionUrl} style="background:#3a2fd6;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">
                  {words.action}
                </a>
              </p>
              <p style="font-size:13px;color:#55556a">
                {common.linkHint}
                <br />
                <a href={actionUrl} style="color:#3a2fd6;word-break:break-all">{actionUrl}</a>
              </p>
              {calendar && (
                <p style="font-size:13px">
                  {common.addToCalendar} <a href={calendar.links.google}>Google</a> · <a href={calendar.links.outlook}>Outlook</a>
                </p>
              )}
              <hr style="border:none;border-top:1px solid #e3e3ea;margin:24px 0 12px" />
              <p style="font-size:12px;color:#55556a">
                {footer}
                {unsubscribeUrl && (
                  <>
                    {' '}
                    <a href={unsubscribeUrl} style="color:#55556a">{common.unsubscribe}</a>
                  </>
                )}
              </p>
            </td>
          </tr>
        </table>
      </body>
    </html>,
  )}`;

  return {
    to: { name: recipient.name, address: recipient.email },
    subject: words.subject(event.title),
    text,
    html,
    ...(calendar
      ? { attachments: [{ filename: `${event.slug}.ics`, content: calendar.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }] }
      : {}),
    ...(unsubscribeUrl
      ? {
          headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          list: { unsubscribe: unsubscribeUrl },
        }
      : {}),
  };
}
