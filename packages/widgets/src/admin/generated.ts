/** Values the admin pages make up for the administrator: an event's slug from its title, a staff password. */

/** The longest slug Limits.slugPattern admits. */
const slugMax = 63;

/**
 * What a slug box holds while someone types: lowercase, accents dropped ("Año" → "ano"),
 * every run of other characters one hyphen. A trailing hyphen stays, so "mi-" can become "mi-evento".
 */
export function slugTyped(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, slugMax);
}

/** The slug a title suggests ("Lanzamiento Acme 2050" → "lanzamiento-acme-2050"), with no hyphen at either end. */
export function slugFrom(title: string): string {
  return slugTyped(title).replace(/-+$/, '');
}

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by eye (no 0/O, 1/l/I). */
const passwordAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const passwordLength = 18;

/**
 * A staff password: 18 characters from 57, about 105 bits from the browser's CSPRNG, beyond
 * NIST SP 800-63B's 8-character floor many times over. Rejection sampling keeps every
 * character equally likely (a plain modulo would favour the first ones).
 */
export function generatePassword(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  const limit = 256 - (256 % passwordAlphabet.length);
  let password = '';
  while (password.length < passwordLength) {
    for (const byte of random(new Uint8Array(32))) {
      if (byte < limit && password.length < passwordLength) password += passwordAlphabet[byte % passwordAlphabet.length];
    }
  }
  return password;
}
