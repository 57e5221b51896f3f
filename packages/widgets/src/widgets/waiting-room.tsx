import { useEffect, useState } from 'preact/hooks';
import { calendarLinks, type Lang, type PublicEvent } from '@palco/sdk';
import { dateFormat, readerLocale } from '../format.js';
import { journeyTexts, type JourneyTexts } from '../journey-texts.js';

const secondMs = 1000;
const minuteMs = 60 * secondMs;

/** Whether the reader asked for less motion: the countdown then changes once a minute, without seconds. */
function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** The time now (ms), again every `everyMs`; `now` is injectable for tests. */
function useNow(everyMs: number, now: () => number = Date.now): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => setTime(now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return time;
}

/** Whole days, hours, minutes and seconds in `ms` (never negative). */
export function durationParts(ms: number) {
  const total = Math.max(0, Math.floor(ms / secondMs));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/** "2 d 3 h 05 min 09 s" as the countdown shows it; `withSeconds` false drops the seconds. */
export function countdownText(ms: number, texts: JourneyTexts, withSeconds: boolean): string {
  const { days, hours, minutes, seconds } = durationParts(ms);
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} ${texts.units.day}`);
  if (days > 0 || hours > 0) parts.push(`${hours} ${texts.units.hour}`);
  parts.push(`${String(minutes).padStart(days > 0 || hours > 0 ? 2 : 1, '0')} ${texts.units.minute}`);
  if (withSeconds) parts.push(`${String(seconds).padStart(2, '0')} ${texts.units.second}`);
  return parts.join(' ');
}

/** The same time left in words, to the minute (rounded up, so "1 minute" lasts until the start). */
export function spokenCountdown(ms: number, texts: JourneyTexts): string {
  const { days, hours, minutes } = durationParts(Math.ceil(ms / minuteMs) * minuteMs);
  const words: string[] = [];
  if (days > 0) words.push(texts.spokenUnits.day(days));
  if (hours > 0) words.push(texts.spokenUnits.hour(hours));
  if (minutes > 0 || words.length === 0) words.push(texts.spokenUnits.minute(minutes));
  return words.join(' ');
}

/** The start as the reader reads it: in their own zone ("lunes, 1 de diciembre, 18:30 CST") and on the event's clock. */
export function startTimes(startsAt: string, zone: string, lang: Lang) {
  const locale = readerLocale(lang);
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' };
  const instant = new Date(startsAt);
  const reader = dateFormat(locale, { ...options, timeZoneName: 'short' })(instant);
  // A zone this browser does not know is shown in UTC, and named so (see dateFormat).
  const event = dateFormat(locale, { ...options, timeZone: zone })(instant);
  return { reader, event };
}

/** "Add to calendar": the event's .ics, and Google and Outlook links built from the same fields. */
export function CalendarLinks({ event, api, texts }: { event: PublicEvent; api: string; texts: JourneyTexts }) {
  if (!event.starts_at) return null;
  const page = `${api}/e/${encodeURIComponent(event.slug)}`;
  const links = calendarLinks({ title: event.title, description: event.description, starts_at: event.starts_at, ends_at: event.ends_at, url: page });
  return (
    <nav class="calendar" part="calendar" aria-label={texts.addToCalendar}>
      <span class="calendar-label">{texts.addToCalendar}:</span>
      <a href={`${page}/calendar.ics`} download={`${event.slug}.ics`}>
        {texts.icsFile}
      </a>
      <a href={links.google} target="_blank" rel="noopener noreferrer">
        {texts.google}
      </a>
      <a href={links.outlook} target="_blank" rel="noopener noreferrer">
        {texts.outlook}
      </a>
    </nav>
  );
}

/**
 * What a scheduled event shows where its video will be: the start in the reader's zone with
 * the event's zone named beside it, a countdown, and the calendar links. The countdown
 * ticks each second (each minute under prefers-reduced-motion); screen readers hear the
 * time left at most once a minute, politely. The session turns the event live on
 * `event_state`, and the player then shows the stream in its place, without a reload.
 */
export function WaitingRoom({ event, api, lang }: { event: PublicEvent; api: string; lang: Lang }) {
  const texts = journeyTexts(lang);
  const [reduced] = useState(prefersReducedMotion);
  const now = useNow(reduced ? minuteMs : secondMs);
  const startsAt = event.starts_at ? new Date(event.starts_at).getTime() : now;
  const left = startsAt - now;
  // Spoken at most once a minute: the text only changes when the minute does.
  const spoken = left > 0 ? texts.startsIn(spokenCountdown(left, texts)) : texts.startingSoon;
  const times = event.starts_at ? startTimes(event.starts_at, event.time_zone, lang) : null;
  return (
    <div class="waiting" part="waiting">
      <strong class="waiting-title">{texts.waitingTitle}</strong>
      {times && (
        <p class="waiting-when">
          <time dateTime={event.starts_at!}>{texts.startsAt(times.reader)}</time>{' '}
          <span class="waiting-zone">{texts.eventClock(times.event, event.time_zone.replace(/_/g, ' '))}</span>
        </p>
      )}
      {left > 0 ? (
        <p class="countdown" part="countdown" role="timer" aria-label={texts.countdownLabel}>
          <span aria-hidden="true">{countdownText(left, texts, !reduced)}</span>
        </p>
      ) : (
        <p class="countdown soon">{texts.startingSoon}</p>
      )}
      <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {spoken}
      </p>
      <p class="waiting-hint">{texts.keepOpen}</p>
      <CalendarLinks event={event} api={api} texts={texts} />
    </div>
  );
}

export const waitingRoomStyles = `
.waiting {
  display: flex; flex-direction: column; align-items: center; gap: var(--_space-2); padding: var(--_space-4);
  text-align: center; color: var(--_player-fg); max-width: 40rem;
}
.waiting-title { font-size: clamp(1.1em, 3vw, 1.6em); }
.waiting-when { margin: 0; }
.waiting-zone, .waiting-hint { display: block; color: var(--_player-muted); font-size: var(--_text-sm); }
.countdown { margin: 0; font-size: clamp(1.4em, 5vw, 2.4em); font-weight: 800; font-variant-numeric: tabular-nums; }
.countdown.soon { font-size: 1.1em; }
.calendar { display: flex; flex-wrap: wrap; justify-content: center; gap: 4px 14px; font-size: var(--_text-sm); }
.calendar-label { color: var(--_player-muted); }
.calendar a { color: var(--_player-fg); font-weight: 600; text-decoration: underline; }
`;

/** The start of a scheduled event in a line or two, with the calendar links: for the registration form. */
export function ScheduleNote({ event, api, lang }: { event: PublicEvent; api: string; lang: Lang }) {
  if (event.state !== 'scheduled' || !event.starts_at) return null;
  const texts = journeyTexts(lang);
  const times = startTimes(event.starts_at, event.time_zone, lang);
  return (
    <div class="schedule-note" part="schedule">
      <p>
        <time dateTime={event.starts_at}>{texts.startsAt(times.reader)}</time>{' '}
        <span class="hint">{texts.eventClock(times.event, event.time_zone.replace(/_/g, ' '))}</span>
      </p>
      <CalendarLinks event={event} api={api} texts={texts} />
    </div>
  );
}

export const scheduleNoteStyles = `
.schedule-note { display: flex; flex-direction: column; gap: var(--_space-1); padding: var(--_space-3); border-radius: var(--_radius-sm); background: var(--_accent-surface); }
.schedule-note p { margin: 0; }
.schedule-note .hint { display: block; }
.schedule-note .calendar { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: var(--_text-sm); }
.schedule-note .calendar a { color: var(--_accent); font-weight: 600; }
.schedule-note .calendar-label { color: var(--_muted); }
`;
