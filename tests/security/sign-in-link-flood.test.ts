import { describe, expect, it } from 'vitest';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { MailOutboxRow } from '../../packages/backend/src/db/models.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { createEvent, useRealtimeServer } from '../realtime/support.js';

/*
 * Sign-in links are rate-limited per address (DESIGN.md "Sign-in by link"): whoever types a
 * victim's address must not fill their inbox, whichever form they type it in.
 */
describe.each(databaseTargets)('sign-in links mailed to one address on $name', (target) => {
  const server = useRealtimeServer(target, {}, { rateLimits: { ...defaultRateLimits, signInLinksPerEmail: 2, registrationsPerEmail: 10 } });

  it('mails no more sign-in links to a registered address than its per-address limit, whether asked for or registered again', async () => {
    const event = await createEvent(server, 'buzon-lleno', { sign_in: 'link' });
    const victim = 'victima@buzon.test';
    const register = () => api(server.url, `/api/events/${event.slug}/register`, { body: { name: 'Víctima', email: victim, phone: '+34 600 000 000' } });
    expect((await register()).status).toBe(201);
    const links = () => MailOutboxRow.count({ where: { event_id: event.id, recipient: victim, kind: 'sign_in_link' } });

    // Registering again with the address answers already_registered each time (that is not refused) …
    for (let attempt = 0; attempt < 6; attempt += 1) expect((await register()).body.error).toBe('already_registered');
    // … and asking for links directly is refused once the limit is spent.
    const asked = await api(server.url, `/api/events/${event.slug}/sign-in-link`, { body: { email: victim } });
    expect(asked.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await links()).toBe(2);
  });
});
