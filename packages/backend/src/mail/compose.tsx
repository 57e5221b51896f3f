import type Mail from 'nodemailer/lib/mailer/index.js';
import { renderToString } from 'preact-render-to-string';
import { calendarLinks, isTransactionalMail, pickLang, type Lang, type MailKind } from '@palco/sdk/protocol';
import type { EventRow } from '../db/models.js';
import { eventCalendar, eventPageUrl, hasStart } from '../services/calendar.js';
import { commonMailWords, mailWords } from './texts.js';

export interface MailContext {
  kind: MailKind;
  event: EventRow;
  recipient: { name: string; email: string; lang: string | null };
  publicUrl: string;
  /** Where the button leads: a sign-in link, the event page or its replay. */
  actionUrl: string;
  /** The one-click unsubscribe URL of non-transactional messages (RFC 8058). */
  unsubscribeUrl: string | null;
}

/** The start in the event's own zone, named beside it: mail clients cannot tell the reader's zone. */
function startsAt(event: EventRow, lang: Lang): string | null {
  if (!event.starts_at) return null;
  const date = new Intl.DateTimeFormat(lang === 'es' ? 'es-ES' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: event.time_zone,
  }).format(event.starts_at);
  return commonMailWords[lang].when(date, event.time_zone);
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
  const eventUrl = eventPageUrl(context.publicUrl, event);
  const calendar =
    kind === 'confirmation' && hasStart(event)
      ? {
          ics: eventCalendar(event, context.publicUrl),
          links: calendarLinks({
            title: event.title,
            description: event.description,
            starts_at: event.starts_at.toISOString(),
            ends_at: event.ends_at?.toISOString() ?? null,
            url: eventUrl,
          }),
        }
      : null;
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
