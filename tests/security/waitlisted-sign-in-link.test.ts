import { describe, expect, it } from 'vitest';
import { issueSignInToken } from '../../packages/backend/src/auth/sign-in-links.js';
import { MailOutboxRow, UserRow } from '../../packages/backend/src/db/models.js';
import { api } from '../support/http.js';
import { sleep } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { createEvent, useRealtimeServer } from '../realtime/support.js';

/*
 * A waitlisted attendee has no session until an administrator admits them (DESIGN.md
 * "Capacity and waitlist"): the emailed sign-in link must not be a way around the capacity.
 */
describe.each(databaseTargets)('a waitlisted attendee and sign-in links on $name', (target) => {
  const server = useRealtimeServer(target);

  it('mails a waitlisted attendee no sign-in link and refuses a link of theirs with waitlisted, giving no session', async () => {
    const event = await createEvent(server, 'aforo-enlace', { sign_in: 'link', capacity: 1, waitlist: true });
    const register = (email: string) => api(server.url, `/api/events/${event.slug}/register`, { body: { name: 'Aforo', email, phone: '+34 600 000 000' } });
    expect((await register('dentro@aforo.test')).status).toBe(201);
    const waiting = await register('fuera@aforo.test');
    expect(waiting.body.status).toBe('waitlisted');

    expect((await api(server.url, `/api/events/${event.slug}/sign-in-link`, { body: { email: 'fuera@aforo.test' } })).status).toBe(202);
    await sleep(300);
    expect(await MailOutboxRow.count({ where: { event_id: event.id, recipient: 'fuera@aforo.test', kind: 'sign_in_link' } })).toBe(0);

    // A link issued to them anyway (say, before an administrator set a capacity) gives no session.
    const user = (await UserRow.findOne({ where: { email: 'fuera@aforo.test', event_id: event.id } }))!;
    const token = await issueSignInToken(user, Date.now());
    const spent = await fetch(`${server.url}/e/${event.slug}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
      redirect: 'manual',
    });
    expect(spent.status).toBe(403);
    expect(spent.headers.get('set-cookie') ?? '').not.toMatch(/palco/i);
    expect(await spent.text()).toMatch(/waitlisted|lista de espera/i);
  });
});
