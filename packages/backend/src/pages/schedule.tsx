import { calendarLinks, type Lang, type PublicEvent } from '@palco/sdk/protocol';

/** Where the registration page's clock script is served (routes/hosted-pages.ts). */
export const scheduleScriptPath = '/assets/schedule.js';

interface ScheduleTexts {
  /** The start on the event's clock, as the page is sent: right without JavaScript, in any zone. */
  startsOnEventClock(time: string, zone: string): string;
  /** The same start on the reader's clock; `{time}` is filled in by the script. */
  startsOnReaderClock: string;
  eventClock(time: string, zone: string): string;
  countdownLabel: string;
  /** Day, hour, minute and second, as the countdown abbreviates them, space-separated. */
  units: string;
  startingSoon: string;
  addToCalendar: string;
  icsFile: string;
  google: string;
  outlook: string;
}

const scheduleTexts: Record<Lang, ScheduleTexts> = {
  es: {
    startsOnEventClock: (time, zone) => `Empieza el ${time} (hora de ${zone}).`,
    startsOnReaderClock: 'Empieza el {time} (tu hora).',
    eventClock: (time, zone) => `En la zona del evento (${zone}): ${time}.`,
    countdownLabel: 'Falta',
    units: 'd h min s',
    startingSoon: 'Está a punto de empezar.',
    addToCalendar: 'Añadir al calendario',
    icsFile: 'Archivo .ics (Apple, Outlook de escritorio…)',
    google: 'Google Calendar',
    outlook: 'Outlook.com',
  },
  en: {
    startsOnEventClock: (time, zone) => `Starts ${time} (${zone} time).`,
    startsOnReaderClock: 'Starts {time} (your time).',
    eventClock: (time, zone) => `In the event’s zone (${zone}): ${time}.`,
    countdownLabel: 'Starts in',
    units: 'd h min s',
    startingSoon: 'It is about to start.',
    addToCalendar: 'Add to calendar',
    icsFile: '.ics file (Apple, desktop Outlook…)',
    google: 'Google Calendar',
    outlook: 'Outlook.com',
  },
};

function onEventClock(startsAt: string, zone: string, lang: Lang): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone };
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'es-ES', options).format(new Date(startsAt));
}

/**
 * On the registration page of a scheduled event: its start on the event's clock (what a page
 * without scripts shows), which `scheduleScript` turns into the reader's own clock with the
 * event's beside it and a countdown, and the calendar links. `pageUrl` is the event's page.
 */
export function ScheduleSection({ event, lang, pageUrl }: { event: PublicEvent; lang: Lang; pageUrl: string }) {
  if (event.state !== 'scheduled' || !event.starts_at) return null;
  const texts = scheduleTexts[lang];
  const zone = event.time_zone.replace(/_/g, ' ');
  const eventTime = onEventClock(event.starts_at, event.time_zone, lang);
  const links = calendarLinks({ title: event.title, description: event.description, starts_at: event.starts_at, ends_at: event.ends_at, url: pageUrl });
  return (
    <section
      class="schedule"
      data-starts-at={event.starts_at}
      data-reader={texts.startsOnReaderClock}
      data-zone={event.time_zone}
      data-event-clock={texts.eventClock('{time}', zone)}
      data-units={texts.units}
      data-soon={texts.startingSoon}
    >
      <p class="schedule-when">
        <time dateTime={event.starts_at}>{texts.startsOnEventClock(eventTime, zone)}</time>
      </p>
      <p class="hint schedule-zone" hidden>
        {texts.eventClock(eventTime, zone)}
      </p>
      <p class="countdown" role="timer" aria-label={texts.countdownLabel} hidden />
      <p class="calendar">
        <span class="calendar-label">{texts.addToCalendar}:</span>{' '}
        <a href={`${pageUrl}/calendar.ics`} download={`${event.slug}.ics`}>
          {texts.icsFile}
        </a>{' '}
        <a href={links.google} target="_blank" rel="noopener noreferrer">
          {texts.google}
        </a>{' '}
        <a href={links.outlook} target="_blank" rel="noopener noreferrer">
          {texts.outlook}
        </a>
      </p>
    </section>
  );
}

/**
 * The one script of the registration page (served at `scheduleScriptPath`, allowed by the
 * page's policy as 'self'): rewrites the start in the reader's zone and language, shows the
 * event's clock beside it, and counts down each second (each minute, without seconds, under
 * prefers-reduced-motion) until the start. Plain ES5 with no imports: it is sent as written.
 */
export const scheduleScript = `(function () {
  var box = document.querySelector('.schedule[data-starts-at]');
  if (!box) return;
  var startsAt = Date.parse(box.getAttribute('data-starts-at'));
  var lang = document.documentElement.lang;
  var own = (navigator.languages || []).filter(function (tag) {
    tag = tag.toLowerCase();
    return tag === lang || tag.indexOf(lang + '-') === 0;
  })[0];
  var locale = own || (lang === 'en' ? 'en-GB' : 'es-ES');
  var options = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  box.querySelector('.schedule-when time').textContent =
    box.getAttribute('data-reader').replace('{time}', new Intl.DateTimeFormat(locale, options).format(startsAt));
  var onEventClock = {};
  for (var key in options) if (key !== 'timeZoneName') onEventClock[key] = options[key];
  onEventClock.timeZone = box.getAttribute('data-zone');
  var zoneLine = box.querySelector('.schedule-zone');
  zoneLine.textContent = box.getAttribute('data-event-clock').replace('{time}', new Intl.DateTimeFormat(locale, onEventClock).format(startsAt));
  zoneLine.hidden = false;
  var timer = box.querySelector('.countdown');
  var units = box.getAttribute('data-units').split(' ');
  var reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function tick() {
    var left = Math.max(0, Math.floor((startsAt - Date.now()) / 1000));
    timer.hidden = false;
    if (left === 0) {
      timer.textContent = box.getAttribute('data-soon');
      timer.className = 'countdown soon';
      return;
    }
    var days = Math.floor(left / 86400), hours = Math.floor((left % 86400) / 3600);
    var minutes = Math.floor((left % 3600) / 60), seconds = left % 60;
    var parts = [];
    if (days > 0) parts.push(days + ' ' + units[0]);
    if (days > 0 || hours > 0) parts.push(hours + ' ' + units[1]);
    parts.push((days > 0 || hours > 0 ? pad(minutes) : minutes) + ' ' + units[2]);
    if (!reduced) parts.push(pad(seconds) + ' ' + units[3]);
    timer.textContent = parts.join(' ');
    setTimeout(tick, reduced ? 60000 - (Date.now() % 60000) : 1000 - (Date.now() % 1000));
  }
  tick();
})();
`;
