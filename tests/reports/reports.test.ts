import { beforeAll, describe, expect, it } from 'vitest';
import type { EventReport, ParticipantReport, Question, TablePage } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, ManualClock, type TestSocket, useRealtimeServer } from '../realtime/support.js';
import { eventually } from '../support/poll.js';

/** The bytes of an export, as a spreadsheet would open them. */
async function download(server: TestServer, path: string, token: string) {
  const response = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { response, bytes, text: bytes.toString('utf8') };
}

describe.each(databaseTargets)('reports of a scripted event on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  const clock = new ManualClock(Date.parse('2026-03-01T19:00:00Z'));
  const names = { jose: 'José Núñez', maria: 'María, la de "ventas"', formula: '=HYPERLINK("x")', absent: 'Nadie Vino' };
  const ids: Record<keyof typeof names, number> = { jose: 0, maria: 0, formula: 0, absent: 0 };

  /** A page visible all along: each heartbeat vouches for the whole time since the previous one. */
  const heartbeat = async (socket: TestSocket, visibleMs: number) => {
    const ref = `hb-${clock.time}-${Math.random()}`;
    socket.send({ type: 'ping', ref, visible_ms: visibleMs });
    await socket.waitFor('pong', (pong) => pong.ref === ref);
  };

  // The widget bundles exist before the server that serves them starts.
  beforeAll(() => ensureWidgetsBuilt());
  const server = useRealtimeServer(target, { viewerSampleMs: 3_600_000 });
  beforeAll(async () => {
    server.deps.now = clock.now;
    event = await createEvent(server, 'informe');
    const members = {
      jose: await attendeeOf(server, event.slug, names.jose),
      maria: await attendeeOf(server, event.slug, names.maria),
      formula: await attendeeOf(server, event.slug, names.formula),
      absent: await attendeeOf(server, event.slug, names.absent),
    };
    for (const key of Object.keys(members) as Array<keyof typeof names>) ids[key] = members[key].user.id;
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;

    // 19:00 José and María arrive.
    const jose = (await connect(server, { event: event.slug, token: members.jose.token })).socket;
    const maria = (await connect(server, { event: event.slug, token: members.maria.token })).socket;
    await server.hub.analytics.sampleViewers();
    // 19:01 a third viewer; heartbeats.
    clock.advance(60);
    const formula = (await connect(server, { event: event.slug, token: members.formula.token })).socket;
    await heartbeat(jose, 60_000);
    await heartbeat(maria, 60_000);
    await server.hub.analytics.sampleViewers();
    // 19:02 two leave.
    clock.advance(60);
    await Promise.all([jose, maria, formula].map((socket) => heartbeat(socket, 60_000)));
    await jose.close();
    await formula.close();
    await eventually(() => server.hub.viewersNow(event.id), (count) => count === 1);
    await server.hub.analytics.sampleViewers();
    // 19:02:30 the last one leaves.
    clock.advance(30);
    await heartbeat(maria, 30_000);
    await maria.close();
    await eventually(() => server.hub.viewersNow(event.id), (count) => count === 0);

    // Questions: one of each status. Chat: three messages, one deleted.
    const reconnect = async (token: string) => (await connect(server, { event: event.slug, token })).socket;
    const joseAgain = await reconnect(members.jose.token);
    const mariaAgain = await reconnect(members.maria.token);
    const asked = async (socket: TestSocket, question: string) => ((await socket.ok({ type: 'ask', question })).data as Question).id;
    await asked(joseAgain, '¿Se queda pendiente?');
    await moderator.ok({ type: 'approve', id: await asked(joseAgain, '¿Aprobada, sí?') });
    await moderator.ok({ type: 'reject', id: await asked(joseAgain, 'Rechazada') });
    const read = await asked(mariaAgain, '¿Leída en el escenario?');
    await moderator.ok({ type: 'approve', id: read });
    await moderator.ok({ type: 'read', id: read });
    const deleted = (await joseAgain.ok({ type: 'chat', message: 'me borrarán' })).id!;
    await joseAgain.ok({ type: 'chat', message: 'Hola, ¿qué tal?\nsegunda línea' });
    await mariaAgain.ok({ type: 'chat', message: '¡Qué buena charla! ñandú' });
    await moderator.ok({ type: 'delete_chat', id: deleted });
    await Promise.all([joseAgain.close(), mariaAgain.close(), moderator.close()]);
    await eventually(() => server.hub.viewersNow(event.id), (count) => count === 0);
    await server.hub.analytics.flushWatchTime();
  });

  it('gives exact figures: participants, watch time, peak, curve, questions by status and chat', async () => {
    const response = await api<EventReport>(server.url, `/api/events/${event.slug}/reports`, { token: event.moderator.token });
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({
      event: { id: event.id, slug: 'informe', is_active: true },
      active_now: 0,
      total_participants: 4,
      peak: { viewers: 3, at: '2026-03-01T19:01:00.000Z' },
      // José 120 s, María 150 s, the third 60 s (the reconnects at 19:02:30 add nothing: the clock stood still).
      watch: { total_minutes: 5, average_minutes: 1.8, watchers: 3 },
      questions: { pending: 1, approved: 1, read: 1, rejected: 1, total: 4 },
      chat_messages: 2,
      curve: [
        { at: '2026-03-01T19:00:00.000Z', viewers: 2 },
        { at: '2026-03-01T19:01:00.000Z', viewers: 3 },
        { at: '2026-03-01T19:02:00.000Z', viewers: 1 },
      ],
    });
    expect(report).not.toHaveProperty('participants');
    const page = await api<TablePage<ParticipantReport>>(server.url, `/api/events/${event.slug}/reports/participants`, {
      token: event.moderator.token,
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 4, offset: 0, limit: 50 });
    const participants = page.body.items;
    const byName = Object.fromEntries(participants.map((participant) => [participant.name, participant]));
    expect(byName[names.jose]).toMatchObject({ total_seconds: 120, total_minutes: 2, last_ping: '2026-03-01T19:02:30.000Z' });
    expect(byName[names.maria]).toMatchObject({ total_seconds: 150, total_minutes: 2, last_ping: '2026-03-01T19:02:30.000Z' });
    expect(byName[names.formula]).toMatchObject({ total_seconds: 60, total_minutes: 1 });
    expect(byName[names.absent]).toMatchObject({ total_seconds: 0, total_minutes: 0, last_ping: null });
    expect(participants.map((participant) => participant.user_id)).toEqual([ids.jose, ids.maria, ids.formula, ids.absent]);
  });

  it('exports participants as UTF-8 CSV with a BOM, accents intact, quoting and formula cells defused', async () => {
    const { response, bytes, text } = await download(server, `/api/events/${event.slug}/reports/participants.csv`, event.admin);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="informe-participants.csv"');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'id,nombre,correo,teléfono,registrado,minutos_vistos,segundos_vistos,segundos_en_vivo,segundos_repetición,último_ping,respuestas_encuestas,estado,consentimiento,versión_aviso,ip_consentimiento',
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${ids.jose},José Núñez,asistente\\d+-\\d+@palco\\.test,'\\+34 600 000 000,[^,]+,2,120,120,0,2026-03-01T19:02:30\\.000Z,0,registered,,,$`),
    );
    expect(lines[2]).toContain(`${ids.maria},"María, la de ""ventas""",`);
    expect(lines[3]).toContain(`${ids.formula},"'=HYPERLINK(""x"")",`);
    expect(lines[4]).toMatch(/,0,0,0,0,,0,registered,,,$/);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('');
  });

  it('exports questions and chat, deleted messages marked, multi-line text quoted', async () => {
    const questions = await download(server, `/api/events/${event.slug}/reports/questions.csv`, event.moderator.token);
    const questionLines = questions.text.slice(1).trimEnd().split('\r\n');
    expect(questionLines[0]).toBe('id,usuario_id,autor,pregunta,estado,votos,creada,aprobada,respondida,moderada_por,anónima,etiqueta,respuesta,fecha_respuesta,archivada');
    // Spanish headers, Spanish statuses, and the moderator by name.
    const statusOf = (line: string) => /,(pendiente|aprobada|rechazada|respondida),\d+,/.exec(line)?.[1];
    expect(questionLines.slice(1).map(statusOf)).toEqual(['pendiente', 'aprobada', 'rechazada', 'respondida']);
    expect(questionLines[1]).toMatch(/,,0,,,,$/);
    for (const line of questionLines.slice(2)) expect(line.endsWith(',Mora Moderadora,0,,,,'), line).toBe(true);
    const inEnglish = await download(server, `/api/events/${event.slug}/reports/questions.csv?lang=en`, event.moderator.token);
    expect(inEnglish.text).toMatch(/,answered,\d+,/);
    expect(questionLines[2]).toContain(',"¿Aprobada, sí?",');
    expect(questions.text).toContain('¿Leída en el escenario?');

    const chat = await download(server, `/api/events/${event.slug}/reports/chat.csv?lang=en`, event.moderator.token);
    expect([...chat.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = chat.text.slice(1);
    expect(text.startsWith('id,user_id,author,message,created_at,deleted_at\r\n')).toBe(true);
    expect(text).toContain('"Hola, ¿qué tal?\nsegunda línea"');
    expect(text).toContain('¡Qué buena charla! ñandú');
    expect(text).toMatch(/,me borrarán,[^,]+,\d{4}-\d{2}-\d{2}T[^,]+Z\r\n/);
  });

  it('lets only moderators and administrators of the event read reports', async () => {
    const other = await createEvent(server, 'informe-otro');
    const attendee = await attendeeOf(server, event.slug);
    const cases: Array<[string | undefined, number]> = [
      [undefined, 401],
      [attendee.token, 403],
      [event.speaker.token, 403],
      [other.moderator.token, 403],
      [event.moderator.token, 200],
      [event.admin, 200],
    ];
    for (const [token, status] of cases) {
      for (const path of ['', '/participants', '/questions', '/participants.csv', '/questions.csv', '/chat.csv']) {
        const response = await api(server.url, `/api/events/${event.slug}/reports${path}`, token ? { token } : {});
        expect(response.status, `${path} with ${status}`).toBe(status);
      }
    }
    expect((await api(server.url, '/api/events/no-existe/reports', { token: event.admin })).status).toBe(404);
  });

  it('serves the hosted report page to moderators and administrators, sends those not signed in to sign in and tells the rest it is not theirs', async () => {
    const attendee = await attendeeOf(server, event.slug);
    const open = (token?: string) =>
      fetch(`${server.url}/e/${event.slug}/reports`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });
    for (const token of [event.moderator.token, event.admin]) {
      const response = await open(token);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<palco-report event="informe" lang="es"></palco-report>');
      expect(html).toContain('<script src="/reports.js" defer></script>');
      expect(html).not.toContain('/embed.js');
      const policy = response.headers.get('content-security-policy')!;
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
    }
    const signedOut = await open();
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toBe(`/e/${event.slug}/login?lang=es`);
    const refused: Array<[string, string]> = [
      [attendee.token, `/e/${event.slug}/watch?lang=es`],
      [event.speaker.token, `/e/${event.slug}/speaker?lang=es`],
    ];
    for (const [token, ownPage] of refused) {
      const response = await open(token);
      expect(response.status).toBe(403);
      const html = await response.text();
      expect(html).toContain('Esta página es para la moderación del evento.');
      expect(html).toContain(`<a href="${ownPage}">`);
    }
    const script = await fetch(`${server.url}/reports.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('palco-report');
  });
});
