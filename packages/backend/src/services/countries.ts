import { createRequire } from 'node:module';
import countries, { type LocaleData } from 'i18n-iso-countries';
import type { Lang } from '@palco/sdk/protocol';

// The locale files are JSON; require reads them alike under tsx, vitest and the esbuild output.
const require = createRequire(import.meta.url);

/*
 * ISO 3166-1 alpha-2 codes and their names, from i18n-iso-countries: the server's list of what
 * a `country` field accepts and how exports name it. Browsers name codes with
 * Intl.DisplayNames instead, so embed.js carries no list.
 */
countries.registerLocale(require('i18n-iso-countries/langs/es.json') as LocaleData);
countries.registerLocale(require('i18n-iso-countries/langs/en.json') as LocaleData);

/** True for an upper-case alpha-2 code of a country ("MX"). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}

/** The country's name in `lang` ("México", "Mexico"), or the code itself when unknown. */
export function countryName(code: string, lang: Lang): string {
  return countries.getName(code, lang) ?? code;
}

/** Every country as [code, name] in `lang`, sorted by name in that language: a select's options. */
export function countryOptions(lang: Lang): Array<readonly [string, string]> {
  const names = countries.getNames(lang, { select: 'official' });
  const collator = new Intl.Collator(lang);
  return Object.entries(names).sort((a, b) => collator.compare(a[1], b[1]));
}
