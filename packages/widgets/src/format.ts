import type { Lang } from '@palco/sdk';

/**
 * The reader's own locale within the widget's language: the first of the browser's
 * preferred languages that is `lang` ("es-MX" for a Spanish widget read in Mexico), else a
 * default region. Times always come out in the browser's time zone: Intl's default.
 */
export function readerLocale(lang: Lang, preferred: readonly string[] = browserLanguages()): string {
  const own = preferred.find((tag) => tag.toLowerCase() === lang || tag.toLowerCase().startsWith(`${lang}-`));
  if (own && Intl.DateTimeFormat.supportedLocalesOf(own).length > 0) return own;
  return lang === 'en' ? 'en-GB' : 'es-ES';
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
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const timeWithSeconds = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  return {
    time: (instant: string | number) => time.format(new Date(instant)),
    timeWithSeconds: (instant: string | number) => timeWithSeconds.format(new Date(instant)),
    /** A date to the minute. */
    dateTime: (instant: string | number) => dateTime.format(new Date(instant)),
    number: (value: number) => number.format(value),
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
