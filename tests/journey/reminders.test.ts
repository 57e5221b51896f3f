import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionAnalyticsRow } from '../../packages/backend/src/db/models.js';
import { adminToken } from '../support/accounts.js';
import { api } from '../support/http.js';
import { sleep } from '../support/poll.js';
import { databaseTargets, startTestServer, type DatabaseTarget, type TestServer } from '../support/server.js';
import { mailSuite, mailTo, rawHeader, startSmtpReceiver, type SmtpReceiver } from '../support/smtp.js';

const hour = 3_600_000;
const minute = 60_000;
const t0 = Date.parse('2050-03-01T00:00:00Z');
const at = (ms: number) => new Date(t0 + ms).toISOString();

describe.each(databaseTargets)('reminders and lifecycle mail on $name', (target) => {
  const suite = mailSuite(target);

  /** Moves the app's clock, runs the scheduler as its timer would, and waits for the outbox to settle. */
  const clockAt = async (ms: number) => {
    suite.server.deps.now = () => t0 + ms;
    await suite.server.deps.outbox.tick();
    await suite.server.deps.outbox.idle();
  };
  const createEvent = async (slug: string, startsAt: number) => {
    const response = await api(suite.server.url, '/api/admin/events', {
      token: suite.admin,
      body: { slug, title: `Evento ${slug}`, starts_at: at(startsAt), time_zone: 'Europe/Madrid' },
    });
    return response.body as { id: number };
  };
  const register = async (slug: string, email: string) => {
    const response = await api(suite.server.url, `/api/events/${slug}/register`, { body: { name: 'Asistente', email, phone: '+34 600 000 000' } });
    expect(response.status).toBe(201);
    await suite.receiver.inbox(email);
    return response.body.user as { id: number };
  };
  const subjects = (email: string) => suite.receiver.mails.filter((mail) => mail.to === email).map((mail) => mail.parsed.subject);

  it('reminds every attendee a day and an hour before the start, once each, with a one-click unsubscribe', async () => {
    await clockAt(0);
    await createEvent('recordado', 30 * hour);
    await register('recordado', 'uno@recordado.test');
    await register('recordado', 'dos@recordado.test');

    await clockAt(6 * hour - minute);
    expect(subjects('uno@recordado.test')).toEqual(['Confirma tu registro: Evento recordado']);

    await clockAt(6 * hour + minute);
    await clockAt(6 * hour + 2 * minute);
    const [, reminder] = await suite.receiver.inbox('uno@recordado.test', 2);
    expect(reminder!.parsed.subject).toBe('Mañana: Evento recordado');
    expect(reminder!.parsed.text).toContain('«Evento recordado» empieza mañana, el miércoles, 2 de marzo de 2050, 7:00 (hora de Europe/Madrid).');
    expect(rawHeader(reminder!.raw, 'List-Unsubscribe')).toMatch(new RegExp(`^<${suite.server.url}/e/recordado/unsubscribe\\?u=\\d+&s=[\\w-]+>$`));
    expect(rawHeader(reminder!.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    await suite.receiver.inbox('dos@recordado.test', 2);

    await clockAt(29 * hour + minute);
    await suite.receiver.inbox('uno@recordado.test', 3);
    expect(subjects('uno@recordado.test')).toEqual([
      'Confirma tu registro: Evento recordado',
      'Mañana: Evento recordado',
      'En una hora: Evento recordado',
    ]);
    expect(subjects('dos@recordado.test')).toHaveLength(3);
  });

  it('moves the reminders with the start, and skips one already overdue instead of sending it late', async () => {
    await clockAt(0);
    const moved = await createEvent('movido', 30 * hour);
    await register('movido', 'a@movido.test');
    await api(suite.server.url, `/api/admin/events/${moved.id}`, { method: 'PATCH', token: suite.admin, body: { starts_at: at(40 * hour) } });
    await clockAt(6 * hour + minute);
    expect(subjects('a@movido.test')).toEqual(['Confirma tu registro: Evento movido']);
    await clockAt(16 * hour + minute);
    await suite.receiver.inbox('a@movido.test', 2);
    expect(subjects('a@movido.test')).toEqual(['Confirma tu registro: Evento movido', 'Mañana: Evento movido']);

    await clockAt(0);
    const soon = await createEvent('pronto', 3 * hour);
    await register('pronto', 'a@pronto.test');
    await clockAt(minute);
    await clockAt(2 * hour + minute);
    await suite.receiver.inbox('a@pronto.test', 2);
    expect(subjects('a@pronto.test')).toEqual(['Confirma tu registro: Evento pronto', 'En una hora: Evento pronto']);
    const outbox = await api(suite.server.url, `/api/admin/events/${soon.id}/mail`, { token: suite.admin });
    expect(outbox.body.items.map((item: { kind: string }) => item.kind).sort()).toEqual(['confirmation', 'reminder_1h']);
  });

  it('says "we are live" when the broadcast starts, except to whoever unsubscribed in one click', async () => {
    await clockAt(0);
    const event = await createEvent('en-directo', 2 * hour);
    await register('en-directo', 'sigue@directo.test');
    await register('en-directo', 'baja@directo.test');
    await register('en-directo', 'baja-multipart@directo.test');
    await clockAt(hour + minute);
    const unsubscribeOf = async (email: string) => {
      const [, reminder] = await suite.receiver.inbox(email, 2);
      return rawHeader(reminder!.raw, 'List-Unsubscribe')!.slice(1, -1);
    };

    // What a mail client does for RFC 8058: a POST with no cookie and no confirmation, form-encoded or multipart.
    const unsubscribe = await unsubscribeOf('baja@directo.test');
    const page = await fetch(unsubscribe);
    expect(await page.text()).toContain('Darme de baja');
    const oneClick = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('No recibirás más avisos de «Evento en-directo».');
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    expect((await fetch(await unsubscribeOf('baja-multipart@directo.test'), { method: 'POST', body: multipart })).status).toBe(200);

    await clockAt(2 * hour);
    await api(suite.server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: suite.admin, body: { live: true } });
    const [, , live] = await suite.receiver.inbox('sigue@directo.test', 3);
    expect(live!.parsed.subject).toBe('En directo ahora: Evento en-directo');
    expect(live!.parsed.text).toContain(`Ver ahora: ${suite.server.url}/e/en-directo/watch`);
    await sleep(300);
    await suite.server.deps.outbox.idle();
    for (const email of ['baja@directo.test', 'baja-multipart@directo.test']) {
      expect(subjects(email)).toEqual(['Confirma tu registro: Evento en-directo', 'En una hora: Evento en-directo']);
    }
  });

  it('thanks those who watched and offers the replay to those who never connected, after closing with a replay', async () => {
    await clockAt(0);
    const event = await createEvent('repeticion', hour);
    const watched = await register('repeticion', 'vino@repeticion.test');
    await register('repeticion', 'falto@repeticion.test');
    await clockAt(hour);
    await api(suite.server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: suite.admin, body: { live: true } });
    // "We are live" reaches both before the close: sent after it, the event would no longer be live.
    await suite.receiver.inbox('vino@repeticion.test', 2);
    await suite.receiver.inbox('falto@repeticion.test', 2);
    await SessionAnalyticsRow.create({ user_id: watched.id, event_id: event.id, start_time: new Date(), last_ping: new Date(), total_seconds: 1800 });
    await clockAt(2 * hour);
    await api(suite.server.url, `/api/admin/events/${event.id}`, {
      method: 'PATCH',
      token: suite.admin,
      body: { is_active: false, replay_url: 'https://video.example/replay.m3u8', on_demand_until: at(200 * hour) },
    });
    await suite.receiver.inbox('vino@repeticion.test', 3);
    await suite.receiver.inbox('falto@repeticion.test', 3);
    await sleep(300);
    await suite.server.deps.outbox.idle();
    const before = ['Confirma tu registro: Evento repeticion', 'En directo ahora: Evento repeticion'];
    expect(subjects('vino@repeticion.test')).toEqual([...before, 'Gracias por acompañarnos: Evento repeticion']);
    expect(subjects('falto@repeticion.test')).toEqual([...before, 'Te echamos de menos: Evento repeticion']);
  });

  it('refuses a forged unsubscribe link with a clear page', async () => {
    const response = await fetch(`${suite.server.url}/e/recordado/unsubscribe?u=1&s=forged`, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Este enlace para darse de baja no es válido.');
  });
});

describe.each(databaseTargets)('reminders with two processes on $name', (target) => {
  let first: TestServer;
  let second: TestServer;
  let receiver: SmtpReceiver;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    receiver = await startSmtpReceiver();
    const database = await target.create();
    drop = database.drop;
    const shared: DatabaseTarget = { name: target.name, create: async () => ({ url: database.url, drop: async () => {} }) };
    first = await startTestServer(shared, { mail: mailTo(receiver) });
    second = await startTestServer(shared, { mail: mailTo(receiver) });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await drop?.();
    await receiver?.close();
  });

  it('sends a reminder that falls due while both run once to each attendee', async () => {
    for (const server of [first, second]) server.deps.now = () => t0;
    const admin = await adminToken(first.url);
    await api(first.url, '/api/admin/events', { token: admin, body: { slug: 'doble', title: 'Doble', starts_at: at(2 * hour) } });
    const emails = Array.from({ length: 8 }, (_, index) => `p${index}@doble.test`);
    for (const [index, email] of emails.entries()) {
      const server = index % 2 === 0 ? first : second;
      await api(server.url, '/api/events/doble/register', { body: { name: 'Doble', email, phone: '+34 600 000 000' } });
    }
    for (const email of emails) await receiver.inbox(email);

    for (const server of [first, second]) server.deps.now = () => t0 + hour + minute;
    await Promise.all([first.deps.outbox.tick(), second.deps.outbox.tick(), first.deps.outbox.tick(), second.deps.outbox.tick()]);
    for (const email of emails) await receiver.inbox(email, 2);
    await sleep(300);
    await Promise.all([first.deps.outbox.idle(), second.deps.outbox.idle()]);
    for (const email of emails) {
      expect(receiver.mails.filter((mail) => mail.to === email).map((mail) => mail.parsed.subject), email).toEqual([
        'Confirma tu registro: Doble',
        'En una hora: Doble',
      ]);
    }
  });
});
