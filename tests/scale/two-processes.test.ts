import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventReport } from '@palco/sdk/protocol';
import { setEventActive } from '../support/accounts.js';
import { api } from '../support/http.js';
import { startBackend, type BackendProcess } from '../support/processes.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { databaseTargets, type TestDatabase } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket } from '../realtime/support.js';
import { eventually, sleep } from '../support/poll.js';

const mariadb = databaseTargets.find((target) => target.name === 'mariadb');
const runs = Boolean(mariadb && testRedisUrl);
if (!runs) console.warn('two-processes: TEST_MYSQL_URL and TEST_REDIS_URL are both needed; the two-process suite is skipped.');

/** Sockets of one event spread over the processes, opened one after another. */
async function viewersOn(processes: BackendProcess[], slug: string, count: number) {
  const sockets: TestSocket[] = [];
  for (let n = 0; n < count; n += 1) {
    const server = processes[n % processes.length]!;
    sockets.push((await connect(server, { event: slug, token: (await attendeeOf(server, slug)).token })).socket);
  }
  return sockets;
}

const closeAll = (sockets: TestSocket[]) => Promise.all(sockets.map((socket) => (socket.isOpen ? socket.close() : null)));

/** One series of a Prometheus text page. */
const series = (text: string, name: string) => Number(text.split('\n').find((line) => line.startsWith(`${name} `))?.slice(name.length + 1) ?? 0);

describe.skipIf(!runs)('two backend processes sharing MariaDB and Redis', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let a: BackendProcess;
  let b: BackendProcess;

  beforeAll(async () => {
    database = await mariadb!.create();
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl!,
      PALCO_REDIS_PREFIX: uniquePrefix(),
      PALCO_DEMO: '0',
      // Each process counts the others again every 5 s (15 s by default), so the test waits less.
      PALCO_PRESENCE_HEARTBEAT_MS: '5000',
    };
    // One after the other: the first migrates the fresh database, the second finds it ready.
    a = await startBackend(env, { movableClock: true });
    b = await startBackend(env, { movableClock: true });
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('delivers a chat sent on one process to the viewers of both, exactly once each', async () => {
    const event = await createEvent(a, 'dos-chat');
    const viewers = await viewersOn([a, b], event.slug, 6);
    const moderatorOnB = (await connect(b, { event: event.slug, token: event.moderator.token })).socket;
    const sender = viewers[0]!;
    const ack = await sender.ok({ type: 'chat', message: 'hola desde A' });
    await Promise.all([...viewers, moderatorOnB].map((socket) => socket.waitFor('chat', (chat) => chat.id === ack.id)));
    await sleep(300);
    for (const socket of [...viewers, moderatorOnB]) expect(socket.all('chat').filter((chat) => chat.id === ack.id)).toHaveLength(1);
    await closeAll([...viewers, moderatorOnB]);
  });

  it('brings a question asked on A to the moderator on B, and its approval on B back to A', async () => {
    const event = await createEvent(a, 'dos-preguntas');
    const [askerOnA, viewerOnB] = await viewersOn([a, b], event.slug, 2);
    const moderatorOnB = (await connect(b, { event: event.slug, token: event.moderator.token })).socket;
    const speakerOnA = (await connect(a, { event: event.slug, token: event.speaker.token })).socket;
    const asked = await askerOnA!.ok({ type: 'ask', question: '¿Se grabará la sesión?' });
    await moderatorOnB.waitFor('pending_question', (question) => question.id === asked.id);
    await moderatorOnB.ok({ type: 'approve', id: asked.id });
    for (const socket of [askerOnA!, viewerOnB!, speakerOnA]) {
      const approved = await socket.waitFor('approved_question', (question) => question.id === asked.id);
      expect(approved.question).toBe('¿Se grabará la sesión?');
    }
    await sleep(300);
    expect(viewerOnB!.all('approved_question')).toHaveLength(1);
    expect(viewerOnB!.all('pending_question')).toEqual([]);
    await closeAll([askerOnA!, viewerOnB!, moderatorOnB, speakerOnA]);
  });

  it('counts active viewers across both: two tabs on two processes once, in the welcome, the audience list and the report', async () => {
    const event = await createEvent(a, 'dos-presencia');
    const moderatorOnA = (await connect(a, { event: event.slug, token: event.moderator.token })).socket;
    const ana = await attendeeOf(a, event.slug, 'Ana');
    const luis = await attendeeOf(a, event.slug, 'Luis');
    const anaOnA = (await connect(a, { event: event.slug, token: ana.token })).socket;
    const anaOnB = (await connect(b, { event: event.slug, token: ana.token })).socket;
    const luisOnB = (await connect(b, { event: event.slug, token: luis.token })).socket;

    const sessions = await moderatorOnA.waitFor('active_sessions', (message) => message.count === 2, { timeoutMs: 10_000 });
    expect(sessions.sessions.map((session) => session.name).sort()).toEqual(['Ana', 'Luis']);
    await anaOnA.waitFor('viewers', (message) => message.count === 2, { timeoutMs: 10_000 });
    await luisOnB.waitFor('viewers', (message) => message.count === 2, { timeoutMs: 10_000 });

    const newcomer = await connect(b, { event: event.slug, token: (await attendeeOf(b, event.slug, 'Eva')).token });
    expect(newcomer.welcome.viewers).toBe(3);
    await anaOnA.waitFor('viewers', (message) => message.count === 3, { timeoutMs: 10_000 });
    for (const server of [a, b]) {
      const report = await api<EventReport>(server.url, `/api/events/${event.slug}/reports`, { token: event.admin });
      expect(report.body.active_now).toBe(3);
    }

    // Ana still has a tab on B: she is still watching; Eva is gone.
    const [moderatorFrom, luisFrom] = [moderatorOnA.received.length, luisOnB.received.length];
    await anaOnA.close();
    await newcomer.socket.close();
    const after = await moderatorOnA.waitFor('active_sessions', (message) => message.count === 2, { from: moderatorFrom, timeoutMs: 10_000 });
    expect(after.sessions.map((session) => session.name).sort()).toEqual(['Ana', 'Luis']);
    await luisOnB.waitFor('viewers', (message) => message.count === 2, { from: luisFrom, timeoutMs: 10_000 });
    await closeAll([moderatorOnA, anaOnB, luisOnB]);
  });

  it('shares the chat and question rate limits of an attendee across processes', async () => {
    const event = await createEvent(a, 'dos-limites');
    const attendee = await attendeeOf(a, event.slug);
    const onA = (await connect(a, { event: event.slug, token: attendee.token })).socket;
    const onB = (await connect(b, { event: event.slug, token: attendee.token })).socket;
    // 5 chat messages per 10 s and 3 questions per minute, wherever they are sent.
    for (const socket of [onA, onB, onA, onB, onA]) await socket.ok({ type: 'chat', message: 'uno más' });
    const sixth = await onB.request({ type: 'chat', message: 'uno de más' });
    expect(sixth).toMatchObject({ type: 'error', code: 'rate_limited' });
    for (const socket of [onA, onB, onA]) await socket.ok({ type: 'ask', question: '¿Una pregunta?' });
    const fourth = await onB.request({ type: 'ask', question: '¿Otra pregunta?' });
    expect(fourth).toMatchObject({ type: 'error', code: 'rate_limited' });
    await closeAll([onA, onB]);
  });

  it('ends a chat timeout set through A on B too, when its minute is up, with no message from either', async () => {
    const event = await createEvent(a, 'dos-silencio');
    const moderatorOnA = (await connect(a, { event: event.slug, token: event.moderator.token })).socket;
    const member = await attendeeOf(b, event.slug);
    const onB = (await connect(b, { event: event.slug, token: member.token })).socket;
    const ack = await moderatorOnA.ok({ type: 'moderate', user_id: member.user.id, flag: 'chat_blocked', duration_s: 60, reason: 'Un minuto' });
    expect(Date.parse((ack.data as { chat_blocked_until: string }).chat_blocked_until)).toBeGreaterThan(Date.now());
    await onB.waitFor('user_updated', (m) => m.user_id === member.user.id && m.chat_blocked);
    expect(await onB.request({ type: 'chat', message: 'todavía no' })).toMatchObject({ code: 'chat_blocked' });
    // A minute is the shortest timeout the protocol allows: both processes' clocks move on 61 s
    // (the test's own is not theirs). Neither process sends anything when the timeout ends.
    await Promise.all([a.moveClockForward(), b.moveClockForward()]);
    const sent = await onB.ok({ type: 'chat', message: 'ya puedo' });
    expect(await moderatorOnA.waitFor('chat', (m) => m.id === sent.id)).toMatchObject({ message: 'ya puedo' });
    expect(onB.all('user_updated').filter((m) => m.user_id === member.user.id)).toHaveLength(1);
    await closeAll([moderatorOnA, onB]);
  });

  it('closes the event on every process: sockets on B get event_closed and 4010 when it is closed through A', async () => {
    const event = await createEvent(a, 'dos-cierre');
    const viewers = await viewersOn([a, b], event.slug, 4);
    const speakerOnB = (await connect(b, { event: event.slug, token: event.speaker.token })).socket;
    await setEventActive(a.url, event.admin, event.slug, false);
    for (const socket of [...viewers, speakerOnB]) {
      await socket.waitFor('event_closed');
      expect((await socket.closed).code).toBe(4010);
    }
    const refused = await api(b.url, `/api/events/${event.slug}/register`, { body: { name: 'Tarde', email: 'tarde@palco.test', phone: '+34 600 000 000' } });
    // Process B knows the event closed: it refuses the registration as closed, like A would.
    expect(refused.body).toMatchObject({ error: 'registration_closed' });
  });

  it('reports each process on its own /metrics, with Redis connected and envelopes crossing it', async () => {
    for (const server of [a, b]) {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(series(text, 'palco_redis_connected')).toBe(1);
      expect(series(text, 'palco_bus_published_total')).toBeGreaterThan(0);
      expect(series(text, 'palco_bus_publish_failures_total')).toBe(0);
      expect(text).toContain('palco_redis_ping_seconds_count');
    }
  });

  it('forgets the viewers of a process killed without warning within its presence TTL', async () => {
    // A third process renewing its presence every second: it is forgotten 3 s after it dies.
    const c = await startBackend({ ...env, PALCO_PRESENCE_HEARTBEAT_MS: '1000' }, { movableClock: true });
    try {
      // A and B's clocks moved on a minute for the timeout above: C's joins them, as one machine's would.
      await c.moveClockForward();
      const event = await createEvent(a, 'dos-caida');
      const onA = (await connect(a, { event: event.slug, token: (await attendeeOf(a, event.slug)).token })).socket;
      const onC = await viewersOn([c], event.slug, 2);
      const activeOnA = () => api<EventReport>(a.url, `/api/events/${event.slug}/reports`, { token: event.admin }).then((r) => r.body.active_now);
      await eventually(activeOnA, (count) => count === 3, 5_000);
      await c.kill();
      const killedAt = Date.now();
      await eventually(activeOnA, (count) => count === 1, 20_000);
      expect(Date.now() - killedAt).toBeLessThan(15_000);
      await onA.waitFor('viewers', (message) => message.count === 1, { timeoutMs: 20_000 });
      await closeAll([onA, ...onC]);
    } finally {
      await c.kill();
    }
  });
});
