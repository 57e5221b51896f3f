import type { Lang } from '@palco/sdk';

/**
 * The reader's own locale within the widget's language: the first of the browser's
 * preferred languages that is `lang` ("es-MX" for a Spanish widget read in Mexico), else a
 * default region. Times always come out in the browser's time zone: Intl's default.
 */
export function readerLocale(lang: Lang, preferred: readonly string[] = browserLanguages()): string {
  const own = preferred.find((tag) => tag.toLowerCase() === lang || tag.toLowerCase().startsWith(`${lang}-`));
  if (own && supported(own)) return own;
  return lang === 'en' ? 'en-GB' : 'es-ES';
}

function supported(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(locale).length > 0;
  } catch {
    return false;
  }
}

/**
 * `new Intl.DateTimeFormat(locale, options).format`, or, where the page's Intl throws (a page
 * may replace Intl.DateTimeFormat with a partial polyfill, or delete it), the same instant
 * written plainly: "2026-12-01 18:30" in the reader's zone, or in UTC (named) when `options`
 * ask for another zone, which only Intl knows. A widget never goes blank over a date.
 */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): (instant: Date) => string {
  try {
    const format = new Intl.DateTimeFormat(locale, options);
    format.format(new Date(0));
    return (instant) => format.format(instant);
  } catch {
    return (instant) => plainDate(instant, options);
  }
}

function plainDate(instant: Date, options: Intl.DateTimeFormatOptions): string {
  // In UTC when another zone was asked for: shifting by the reader's offset gives UTC's figures.
  const utc = options.timeZone !== undefined;
  const text = new Date(instant.getTime() - (utc ? 0 : instant.getTimezoneOffset() * 60_000)).toISOString();
  const date = options.year || options.day || options.dateStyle ? `${text.slice(0, 10)} ` : '';
  return `${date}${text.slice(11, options.second ? 19 : 16)}${utc ? ' UTC' : ''}`;
}

/** `new Intl.NumberFormat(locale).format`, or the plain number where the page's Intl throws. */
function numberFormat(locale: string): (value: number) => string {
  try {
    const format = new Intl.NumberFormat(locale);
    format.format(0);
    return (value) => format.format(value);
  } catch {
    return (value) => String(value);
  }
}

function browserLanguages(): readonly string[] {
  const navigator = (globalThis as { navigator?: { languages?: readonly string[]; language?: string } }).navigator;
  return navigator?.languages ?? (navigator?.language ? [navigator.language] : []);
}

/**
 * Times and numbers as the reader writes them, from the instants the server sends
 * (`created_at` and the like, ISO 8601 in UTC) or epoch milliseconds. Every time a widget,
 * report or admin page shows goes through here, so none shows the server's zone.
 */
function createFormatters(locale: string) {
  const time = dateFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const timeWithSeconds = dateFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dateTime = dateFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  return {
    time: (instant: string | number) => time(new Date(instant)),
    timeWithSeconds: (instant: string | number) => timeWithSeconds(new Date(instant)),
    /** A date to the minute. */
    dateTime: (instant: string | number) => dateTime(new Date(instant)),
    number: numberFormat(locale),
  };
}

export type Formatters = ReturnType<typeof createFormatters>;

const byLocale = new Map<string, Formatters>();

/** The formatters of `lang` in the reader's locale, built once. */
export function formatters(lang: Lang): Formatters {
  const locale = readerLocale(lang);
  let found = byLocale.get(locale);
  if (!found) byLocale.set(locale, (found = createFormatters(locale)));
  return found;
}

/**
 * A name set inside a sentence between first-strong isolate (U+2068) and pop directional
 * isolate (U+2069), Unicode TR #9: a right-to-left name, or one ending in an override,
 * cannot reorder the words around it.
 */
export function isolate(name: string): string {
  return `\u2068${name}\u2069`;
}
