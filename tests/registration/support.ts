import { api, type JsonResponse } from '../support/http.js';
import { sleep } from '../support/poll.js';

/** How a reset or closed connection surfaces from fetch (undici). */
const connectionLost = new Set(['ECONNRESET', 'UND_ERR_SOCKET']);

/**
 * `count` registrations sent at once; the statuses that came back, counted. A 503
 * `service_unavailable` (the database busy past its wait, on a loaded machine) did nothing
 * and is sent again after its `retry_after`, as the SDK's callers would. So is a request whose
 * connection was reset or closed (undici reusing a keep-alive socket the server was closing, 2 000 at
 * once on a loaded machine): had it registered, the retry would answer 409 and the counts
 * would show it.
 */
export async function registerAtOnce(urls: string[], slug: string, count: number, tag: string) {
  const registerOne = async (n: number): Promise<JsonResponse> => {
    for (;;) {
      const answer = await api(urls[n % urls.length]!, `/api/events/${slug}/register`, {
        body: { name: `Persona ${n}`, email: `${tag}${n}@aforo.test`, phone: '+34 600 000 000' },
        // Behind TRUST_PROXY, a whole office of addresses; ignored otherwise.
        headers: { 'x-forwarded-for': `10.0.${Math.floor(n / 100)}.${n % 100}` },
      }).catch((error: unknown) => {
        if (!connectionLost.has((error as { cause?: { code?: string } }).cause?.code ?? '')) throw error;
        return null;
      });
      if (answer && answer.status !== 503) return answer;
      await sleep((answer?.body?.retry_after ?? 1) * 1000);
    }
  };
  const answers = await Promise.all(Array.from({ length: count }, (_, n) => registerOne(n)));
  const statuses: Record<number, number> = {};
  for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  return { answers, statuses };
}

/** How many of the event's attendees are registered and waitlisted, read from the participant table page by page. */
export async function storedStatuses(baseUrl: string, slug: string, token: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let offset = 0; ; offset += 500) {
    const page = await api(baseUrl, `/api/events/${slug}/reports/participants?limit=500&offset=${offset}`, { token });
    for (const row of page.body.items as Array<{ status: string }>) counts[row.status] = (counts[row.status] ?? 0) + 1;
    if (offset + 500 >= page.body.total) return counts;
  }
}

/**
 * What the people racing were told: a session (201) for at most `seats`, the waitlist (202)
 * for the rest, and 409 only for a retried request whose first answer was lost (it had
 * registered). Unloaded, that is exactly `seats` × 201 and the rest 202.
 */
export function answeredWithinSeats(statuses: Record<number, number>, seats: number, total: number): boolean {
  const { 201: sessions = 0, 202: waitlisted = 0, 409: retried = 0, ...others } = statuses;
  return Object.keys(others).length === 0 && sessions <= seats && sessions + waitlisted + retried === total;
}
