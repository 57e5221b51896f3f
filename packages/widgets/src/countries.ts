import type { Lang } from '@palco/sdk';

/*
 * Country names from the browser's own Intl.DisplayNames, so embed.js carries no list; the
 * server checks the same codes against i18n-iso-countries. The region codes Intl names beyond
 * ISO 3166-1's current list (unions, reserved, pseudo and withdrawn codes, as compared with
 * i18n-iso-countries 7.14 under Node 20's ICU) are left out, so both sides offer the same 249.
 */
const notCountries = new Set(
  'AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB YD YU ZR ZZ'.split(' '),
);

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function regionNames(lang: Lang): Intl.DisplayNames {
  return new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
}

/** True for an upper-case alpha-2 code this browser names as a country. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !notCountries.has(code) && regionNames('en').of(code) !== undefined;
}

/** Every country as [code, name] in `lang`, sorted by name: a select's options. */
export function countryOptions(lang: Lang): Array<[string, string]> {
  const names = regionNames(lang);
  const options: Array<[string, string]> = [];
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      const name = notCountries.has(code) ? undefined : names.of(code);
      if (name !== undefined && name !== code) options.push([code, name]);
    }
  }
  const collator = new Intl.Collator(lang);
  return options.sort((a, b) => collator.compare(a[1], b[1]));
}
