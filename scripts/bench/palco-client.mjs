// What load processes do as a Palco client: an address per simulated person (the server
// trusts X-Forwarded-For behind TRUST_PROXY, as behind a proxy), registration, sign-in.
import { sleep } from './stats.mjs';

/** A distinct private address for person `n` (up to 16 million of them). */
export function fakeIp(n) {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** Registers attendee `n` of event `slug` from its own address; answers the session token. A 503 is retried with backoff. */
export async function register(baseUrl, slug, domain, n) {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const response = await fetch(`${baseUrl}/api/events/${slug}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp(n) },
      body: JSON.stringify({ name: `Viewer ${n}`, email: `viewer${n}@${domain}`, phone: '+34 600 000 000' }),
    });
    if (response.status === 201) return (await response.json()).token;
    if (response.status !== 503) throw new Error(`register ${n}: ${response.status} ${await response.text()}`);
    await sleep(200 * (attempt + 1));
  }
  throw new Error(`register ${n}: still unavailable`);
}

/** Signs staff member `n` in to event `slug` with their password, from their own address; answers the session token. */
export async function signIn(baseUrl, slug, { email, password }, n) {
  const response = await fetch(`${baseUrl}/api/events/${slug}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': fakeIp(n) },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in ${email}: ${response.status} ${await response.text()}`);
  return (await response.json()).token;
}
