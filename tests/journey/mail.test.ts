import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { eventually, sleep } from '../support/poll.js';
import { databaseTargets, startTestServer, testAdmin, type TestServer } from '../support/server.js';
import { mailSuite } from '../support/smtp.js';

describe.each(databaseTargets)('journey email on $name', (target) => {
  const suite = mailSuite(target);

  const createEvent = async (body: Record<string, unknown>) => {
    const response = await api(suite.server.url, '/api/admin/events', { token: suite.admin, body });
    expect(response.status).toBe(201);
    return response.body as { id: number; slug: string };
  };
  const register = (slug: string, email: string, lang = 'es') =>
    api(suite.server.url, `/api/events/${slug}/register?lang=${lang}`, { body: { name: 'Lucía Gómez', email, phone: '+34 600 000 000' } });

  it('mails a new attendee a confirmation in their language, HTML and text, with the sign-in link and the .ics', async () => {
    await createEvent({
      slug: 'estreno-correo',
      title: 'Estreno Acme',
      logo_url: 'https://cdn.example/acme.png',
      starts_at: '2050-03-01T18:00:00Z',
      time_zone: 'America/Mexico_City',
    });
    const registered = await register('estreno-correo', 'lucia@acme.test');
    expect(registered.status).toBe(201);
    expect(registered.body.user.confirmed).toBe(false);

    const [mail] = await suite.receiver.inbox('lucia@acme.test');
    const { parsed, raw } = mail!;
    expect(parsed.subject).toBe('Confirma tu registro: Estreno Acme');
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Palco', address: 'eventos@palco.test' });
    expect(parsed.text).toContain('Hola, Lucía Gómez:');
    expect(parsed.text).toContain('martes, 1 de marzo de 2050, 12:00 (hora de America/Mexico_City)');
    const link = /Confirmar y entrar: (\S+)/.exec(parsed.text ?? '')?.[1];
    expect(link).toMatch(new RegExp(`^${suite.server.url}/e/estreno-correo/auth\\?token=[A-Za-z0-9_-]{43}&lang=es$`));
    expect(parsed.html).toContain('<img src="https://cdn.example/acme.png"');
    expect(parsed.html).toContain(`href="${link!.replace('&', '&amp;')}"`);
    expect(parsed.html).toContain('calendar.google.com');
    const ics = parsed.attachments.find((attachment) => attachment.filename === 'estreno-correo.ics');
    expect(ics?.contentType).toBe('text/calendar');
    expect(ics?.content.toString()).toContain('DTSTART:20500301T180000Z');
    // A confirmation is transactional: nothing to unsubscribe from.
    expect(raw).not.toMatch(/^List-Unsubscribe/im);

    await register('estreno-correo', 'ana@acme.test', 'en');
    const [english] = await suite.receiver.inbox('ana@acme.test');
    expect(english!.parsed.subject).toBe('Confirm your registration: Estreno Acme');
    expect(english!.parsed.text).toContain('It starts on Tuesday, 1 March 2050 at 12:00 (America/Mexico_City time).');
  });

  it('mails a waitlisted attendee where they stand, without a sign-in link, and the confirmation once admitted', async () => {
    const event = await createEvent({ slug: 'lleno-correo', title: 'Aforo Acme', capacity: 1, waitlist: true });
    expect((await register('lleno-correo', 'primera@acme.test')).status).toBe(201);
    const waitlisted = await register('lleno-correo', 'espera@acme.test', 'en');
    expect(waitlisted.status).toBe(202);

    const [notice] = await suite.receiver.inbox('espera@acme.test');
    expect(notice!.parsed.subject).toBe('You are on the waitlist: Aforo Acme');
    expect(notice!.parsed.text).toContain('“Aforo Acme” is full, so we put you on the waitlist.');
    expect(notice!.parsed.text).toContain(`See the event: ${suite.server.url}/e/lleno-correo`);
    expect(notice!.parsed.text).not.toContain('/auth?token=');
    expect(notice!.raw).not.toMatch(/^List-Unsubscribe/im);

    // A second seat opens: the administrator admits the waiting attendee, who now gets the confirmation.
    const widened = await api(suite.server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: suite.admin, body: { capacity: 2 } });
    expect(widened.status).toBe(200);
    const admitted = await api(suite.server.url, `/api/admin/events/${event.id}/participants/${waitlisted.body.user.id}/admit`, { method: 'POST', token: suite.admin });
    expect(admitted.status).toBe(200);
    const mails = await suite.receiver.inbox('espera@acme.test', 2);
    expect(mails.map((mail) => mail.parsed.subject)).toEqual(['You are on the waitlist: Aforo Acme', 'Confirm your registration: Aforo Acme']);
  });

  it('mails a registered address a sign-in link when it registers again on a link event, and answers already_registered as before', async () => {
    await createEvent({ slug: 'otra-vez', title: 'Otra vez' });
    await register('otra-vez', 'repite@acme.test');
    await suite.receiver.inbox('repite@acme.test', 1);
    const again = await register('otra-vez', 'repite@acme.test');
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_registered');
    const [, signIn] = await suite.receiver.inbox('repite@acme.test', 2);
    expect(signIn!.parsed.subject).toBe('Tu enlace para entrar: Otra vez');
    expect(signIn!.parsed.text).toMatch(/\/e\/otra-vez\/auth\?token=/);
  });

  it('keeps retrying while the mail server refuses, then delivers once, and lists each message with its status for administrators', async () => {
    const event = await createEvent({ slug: 'servidor-caido', title: 'Servidor caído' });
    suite.receiver.refuse(true);
    await register('servidor-caido', 'paciente@acme.test');
    const outbox = () => api(suite.server.url, `/api/admin/events/${event.id}/mail`, { token: suite.admin });
    // Between attempts the row is pending; during one it is sending: wait for a moment between two.
    const retrying = await eventually(outbox, (response) => response.body.items[0]?.attempts >= 2 && response.body.items[0]?.status === 'pending');
    expect(retrying.body.items[0]).toMatchObject({ kind: 'confirmation', recipient: 'paciente@acme.test', status: 'pending' });
    expect(retrying.body.items[0].last_error).toMatch(/451/);
    expect(suite.receiver.mails.filter((mail) => mail.to === 'paciente@acme.test')).toHaveLength(0);

    suite.receiver.refuse(false);
    await suite.receiver.inbox('paciente@acme.test');
    const sent = await eventually(outbox, (response) => response.body.items[0]?.status === 'sent');
    expect(sent.body.items[0]).toMatchObject({ status: 'sent', last_error: null });
    const [arrived] = await suite.receiver.inbox('paciente@acme.test');
    expect(sent.body.items[0].message_id).toBe(arrived!.parsed.messageId);
    expect(sent.body.items[0].response).toMatch(/^250 /);
    expect(sent.body.items[0].sent_at).not.toBeNull();
    await suite.server.deps.outbox.idle();
    expect(suite.receiver.mails.filter((mail) => mail.to === 'paciente@acme.test')).toHaveLength(1);

    const attendee = await api(suite.server.url, `/api/admin/events/${event.id}/mail`);
    expect(attendee.status).toBe(401);
  });

  it('keeps no copy of a message sent through SMTP: opening it answers mail_not_kept', async () => {
    const event = await createEvent({ slug: 'sin-copia', title: 'Sin copia' });
    expect((await register('sin-copia', 'smtp@acme.test')).status).toBe(201);
    await suite.receiver.inbox('smtp@acme.test');
    const outbox = await eventually(
      () => api(suite.server.url, `/api/admin/events/${event.id}/mail`, { token: suite.admin }),
      (response) => response.body.items[0]?.status === 'sent',
    );
    const opened = await api(suite.server.url, `/api/admin/events/${event.id}/mail/${outbox.body.items[0].id}`, { token: suite.admin });
    expect(opened.status).toBe(404);
    expect(opened.body.error).toBe('mail_not_kept');
  });

  it('sends every message once when the mail server disappears mid-batch and comes back', async () => {
    await createEvent({ slug: 'a-medias', title: 'A medias' });
    await suite.receiver.stop();
    const emails = Array.from({ length: 6 }, (_, index) => `lote${index}@acme.test`);
    for (const email of emails) expect((await register('a-medias', email)).status).toBe(201);
    await suite.receiver.restart();
    for (const email of emails) await suite.receiver.inbox(email);
    await suite.server.deps.outbox.idle();
    for (const email of emails) expect(suite.receiver.mails.filter((mail) => mail.to === email), email).toHaveLength(1);
  });

  it('sends a message once when the schedule clock moves on while the mail server is still answering it', async () => {
    const event = await createEvent({ slug: 'reloj-movido', title: 'Reloj movido' });
    suite.receiver.answerAfter(700);
    try {
      await register('reloj-movido', 'lenta@acme.test');
      // The outbox polls every 50 ms: by now the message is claimed and its SMTP conversation under way.
      await sleep(250);
      suite.server.deps.now = () => Date.now() + 3 * 3_600_000;
      await suite.receiver.inbox('lenta@acme.test');
      await sleep(800);
      await suite.server.deps.outbox.idle();
    } finally {
      suite.receiver.answerAfter(0);
      suite.server.deps.now = () => Date.now();
    }
    expect(suite.receiver.mails.filter((mail) => mail.to === 'lenta@acme.test')).toHaveLength(1);
    const outbox = await api(suite.server.url, `/api/admin/events/${event.id}/mail`, { token: suite.admin });
    expect(outbox.body.items).toMatchObject([{ recipient: 'lenta@acme.test', status: 'sent', attempts: 1 }]);
  });

  it('answers the registration before the mail server does', async () => {
    await createEvent({ slug: 'sin-espera', title: 'Sin espera' });
    await suite.receiver.stop();
    const started = performance.now();
    expect((await register('sin-espera', 'rapida@acme.test')).status).toBe(201);
    expect(performance.now() - started).toBeLessThan(1_500);
    await suite.receiver.restart();
    await suite.receiver.inbox('rapida@acme.test');
  });
});

describe.each(databaseTargets)('journey email during a storm of arrivals on $name', (target) => {
  // More than 20 arrivals a second is a storm here, however little they load the event loop
  // (the share that also counts is mailConcurrency's, tested on its own), and the mail server
  // takes 200 ms a message, so messages sent side by side overlap at the receiver.
  const suite = mailSuite(target, {}, { busyRequestsPerSecond: 20, busyEventLoopShare: 0, busyConcurrency: 1 });

  const registerMany = (slug: string, prefix: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, n) => {
        const body = { name: `Persona ${n}`, email: `${prefix}${n}@acme.test`, phone: '+34 600 000 000' };
        expect((await api(suite.server.url, `/api/events/${slug}/register`, { body })).status).toBe(201);
      }),
    );
  const delivered = (prefix: string, count: number) =>
    eventually(() => suite.receiver.mails.filter((mail) => mail.to.startsWith(prefix)).length, (length) => length === count, 15_000);

  it('sends one message at a time while requests pour in, and side by side again once they stop', async () => {
    const created = await api(suite.server.url, '/api/admin/events', { token: suite.admin, body: { slug: 'tormenta', title: 'Tormenta' } });
    expect(created.status).toBe(201);
    suite.receiver.answerAfter(200);

    let storming = true;
    const storm = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (storming) await fetch(`${suite.server.url}/healthz`).then((response) => response.arrayBuffer());
      }),
    );
    try {
      await sleep(300);
      suite.receiver.resetMostAtOnce();
      await registerMany('tormenta', 'tormenta', 6);
      await delivered('tormenta', 6);
      expect(suite.receiver.mostAtOnce).toBe(1);
    } finally {
      storming = false;
      await storm;
    }

    // A quiet second later the outbox sends as many at once as it may again.
    await sleep(1_200);
    suite.receiver.resetMostAtOnce();
    await registerMany('tormenta', 'calma', 6);
    await delivered('calma', 6);
    expect(suite.receiver.mostAtOnce).toBeGreaterThan(1);
  });
});

describe.each(databaseTargets)('journey email without SMTP_URL on $name', (target) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(target);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('writes each message as an .eml file under the data directory', async () => {
    const response = await api(server.url, '/api/events/demo-fast/register', {
      body: { name: 'Sin servidor', email: 'local@produccionesfast.com', phone: '+34 600 000 000' },
    });
    expect(response.status).toBe(201);
    const directory = join(server.config.dataDir, 'mail');
    const files = await eventually(() => readdir(directory).catch(() => [] as string[]), (names) => names.length > 0);
    expect(files[0]).toMatch(/^\d+-confirmation\.eml$/);
    const parsed = await simpleParser(await readFile(join(directory, files[0]!)));
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toContain('local@produccionesfast.com');
    expect(parsed.subject).toBe('Confirma tu registro: Demo Producciones Fast');
  });

  it('shows administrators a written message as its reader gets it, and its HTML alone under a policy that runs nothing', async () => {
    const admin = (await api(server.url, '/api/auth/login', { body: { email: testAdmin.email, password: testAdmin.password } })).body.token as string;
    const attendee = await api(server.url, '/api/events/demo-fast/register', {
      body: { name: 'Con copia', email: 'copia@produccionesfast.com', phone: '+34 600 000 001' },
    });
    const event = (await api(server.url, '/api/events/demo-fast')).body.id as number;
    const outbox = await eventually(
      () => api(server.url, `/api/admin/events/${event}/mail`, { token: admin }),
      (response) => response.body.items.some((item: { recipient: string; status: string }) => item.recipient === 'copia@produccionesfast.com' && item.status === 'sent'),
    );
    const id = outbox.body.items.find((item: { recipient: string }) => item.recipient === 'copia@produccionesfast.com').id;
    const content = await api(server.url, `/api/admin/events/${event}/mail/${id}`, { token: admin });
    expect(content.status).toBe(200);
    expect(content.body).toMatchObject({ id, subject: 'Confirma tu registro: Demo Producciones Fast', to: expect.stringContaining('copia@produccionesfast.com') });
    expect(content.body.text).toContain('/e/demo-fast/auth?token=');
    const html = await api(server.url, `/api/admin/events/${event}/mail/${id}/html`, { token: admin });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox; frame-ancestors 'self'");
    expect(html.body).toContain('/e/demo-fast/auth?token=');
    // Only administrators read the outbox.
    const refused = await api(server.url, `/api/admin/events/${event}/mail/${id}`, { token: attendee.body.token });
    expect(refused.status).toBe(403);
  });
});
