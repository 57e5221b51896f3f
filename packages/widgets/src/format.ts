import type { Lang } from '@palco/sdk';

/** Times and numbers as people of that language write them. */
function createFormatters(lang: Lang) {
  const locale = lang === 'en' ? 'en-GB' : 'es-ES';
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const timeWithSeconds = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  return {
    time: (iso: string | number) => time.format(new Date(iso)),
    timeWithSeconds: (iso: string) => timeWithSeconds.format(new Date(iso)),
    /** A date to the minute. */
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    number: (value: number) => number.format(value),
  };
}

export type Formatters = ReturnType<typeof createFormatters>;

const byLang = new Map<Lang, Formatters>();

/** The formatters of `lang`, built once. */
export function formatters(lang: Lang): Formatters {
  let found = byLang.get(lang);
  if (!found) byLang.set(lang, (found = createFormatters(lang)));
  return found;
}
