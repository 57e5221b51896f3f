import { api } from '../support/http.js';

/** `count` registrations sent at once; the statuses that came back, counted. */
export async function registerAtOnce(urls: string[], slug: string, count: number, tag: string) {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, n) =>
      api(urls[n % urls.length]!, `/api/events/${slug}/register`, {
        body: { name: `Persona ${n}`, email: `${tag}${n}@aforo.test`, phone: '+34 600 000 000' },
        // Behind TRUST_PROXY, a whole office of addresses; ignored otherwise.
        headers: { 'x-forwarded-for': `10.0.${Math.floor(n / 100)}.${n % 100}` },
      }),
    ),
  );
  const statuses: Record<number, number> = {};
  for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  return { answers, statuses };
}
