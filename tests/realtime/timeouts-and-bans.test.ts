import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Question } from '@palco/sdk/protocol';
import { startServer, type RunningServer } from '../../packages/backend/src/server.js';
import { api } from '../support/http.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, ManualClock, type TestSocket, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('timeouts, reasons, bans and the restricted people on $name', (target) => {
  const clock = new ManualClock(Date.parse('2026-03-01T18:00:00Z'));
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    server.deps.now = clock.now;
    event = await createEvent(server, 'personas');
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
  });

  const attendee = async (name?: string) => {
    const member = await attendeeOf(server, event.slug, name);
    const { socket, welcome } = await connect(server, { event: event.slug, token: member.token });
    return { ...member, socket, welcome };
  };

  it('times out someone’s chat for five minutes with a reason they see; it lifts itself when the time is up', async () => {
    const ana = await attendee();
    const ack = await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'chat_blocked', duration_s: 300, reason: 'Calma, por favor' });
    expect(ack.data).toMatchObject({ chat_blocked: true, chat_blocked_until: '2026-03-01T18:05:00.000Z', qa_blocked_until: null });
    expect(await ana.socket.waitFor('moderation_notice', (m) => m.action === 'timeout_chat')).toMatchObject({
      reason: 'Calma, por favor',
      until: '2026-03-01T18:05:00.000Z',
    });
    expect(await ana.socket.request({ type: 'chat', message: 'hola' })).toMatchObject({ code: 'chat_blocked' });
    clock.advance(299);
    expect(await ana.socket.request({ type: 'chat', message: 'hola' })).toMatchObject({ code: 'chat_blocked' });
    clock.advance(2);
    expect((await ana.socket.ok({ type: 'chat', message: 'ya puedo' })).id).toBeGreaterThan(0);
    const again = await connect(server, { event: event.slug, token: ana.token });
    expect(again.welcome.user).toMatchObject({ chat_blocked: false, chat_blocked_until: null });
  });

  it('times out questions without touching the chat', async () => {
    const ana = await attendee();
    await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'qa_blocked', duration_s: 60 });
    expect(await ana.socket.request({ type: 'ask', question: '¿Puedo?' })).toMatchObject({ code: 'qa_blocked' });
    expect((await ana.socket.ok({ type: 'chat', message: 'el chat sí' })).id).toBeGreaterThan(0);
    clock.advance(61);
    expect((await ana.socket.ok({ type: 'ask', question: '¿Y ahora?' })).id).toBeGreaterThan(0);
  });

  it('refuses a timeout of 0 seconds or of a week with invalid_input naming duration_s, and one on a ban', async () => {
    const ana = await attendee();
    for (const duration_s of [0, 7 * 86_400]) {
      const refused = await moderator.request({ type: 'moderate', user_id: ana.user.id, flag: 'chat_blocked', duration_s });
      expect(refused).toMatchObject({ type: 'error', code: 'invalid_input' });
      expect(Object.keys((refused as { fields: Record<string, string> }).fields)).toEqual(['duration_s']);
    }
    expect(await moderator.request({ type: 'moderate', user_id: ana.user.id, flag: 'banned', duration_s: 600 })).toMatchObject({ code: 'invalid_input' });
    expect((await connect(server, { event: event.slug, token: ana.token })).welcome.user.chat_blocked).toBe(false);
  });

  it('bans someone and removes their messages and pending question from every screen and from history', async () => {
    const troll = await attendee('Troll');
    const luis = await attendee('Luis');
    const said = (await troll.socket.ok({ type: 'chat', message: 'spam spam spam' })).data as ChatMessage;
    const asked = (await troll.socket.ok({ type: 'ask', question: 'spam?' })).data as Question;
    await luis.socket.waitFor('chat', (m) => m.id === said.id);
    await moderator.waitFor('pending_question', (m) => m.id === asked.id);

    await moderator.ok({ type: 'moderate', user_id: troll.user.id, flag: 'banned', reason: 'Spam' });
    const removed = await luis.socket.waitFor('user_content_removed', (m) => m.user_id === troll.user.id);
    expect(removed).toMatchObject({ chat_ids: [said.id], question_ids: [asked.id] });
    expect((await troll.socket.closed).code).toBe(4003);
    expect(troll.socket.all('moderation_notice')).toEqual([expect.objectContaining({ action: 'ban', reason: 'Spam' })]);
    expect(await moderator.request({ type: 'approve', id: asked.id })).toMatchObject({ code: 'invalid_state' });
    const history = await api(server.url, `/api/events/${event.slug}/chat?limit=200`, { token: luis.token });
    expect(history.body.items.map((m: ChatMessage) => m.id)).not.toContain(said.id);
    const newcomerModerator = await connect(server, { event: event.slug, token: event.moderator.token });
    expect(newcomerModerator.welcome.questions.find((q) => q.id === asked.id)?.status).toBe('rejected');
  });

  it('keeps a ban’s history when the moderator says so', async () => {
    const ana = await attendee();
    const said = (await ana.socket.ok({ type: 'chat', message: 'me quedo en la historia' })).data as ChatMessage;
    await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'banned', remove_messages: false });
    const history = await api(server.url, `/api/events/${event.slug}/chat?after=${said.id - 1}`, { token: event.moderator.token });
    expect(history.body.items.map((m: ChatMessage) => m.id)).toContain(said.id);
  });

  it('lists the restricted people with kind, who, when, until and why after a reload, and lifts one from there', async () => {
    const ana = await attendee('Ana Restringida');
    await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'chat_blocked', duration_s: 600, reason: 'Mayúsculas' });
    await moderator.ok({ type: 'moderate', user_id: ana.user.id, flag: 'banned', reason: 'Insultos', remove_messages: false });
    const reloaded = await connect(server, { event: event.slug, token: event.moderator.token });
    const mine = reloaded.welcome.restricted!.filter((r) => r.user_id === ana.user.id);
    expect(mine).toEqual([
      expect.objectContaining({ kind: 'chat_blocked', name: 'Ana Restringida', set_by_name: 'Mora Moderadora', reason: 'Mayúsculas', until: new Date(clock.time + 600_000).toISOString() }),
      expect.objectContaining({ kind: 'banned', set_by_name: 'Mora Moderadora', reason: 'Insultos', until: null }),
    ]);
    expect(mine[1]!.set_at).toMatch(/^\d{4}-/);
    const lifted = await reloaded.socket.ok({ type: 'moderate', user_id: ana.user.id, flag: 'banned', value: false });
    expect(lifted.data).toMatchObject({ banned: false, restrictions: [expect.objectContaining({ kind: 'chat_blocked' })] });
    const back = await connect(server, { event: event.slug, token: (await api(server.url, `/api/events/${event.slug}/login`, { body: { email: ana.user.email, password: 'codigo-de-acceso' } })).body.token });
    expect(back.welcome.user.banned).toBe(false);
    clock.advance(601);
    const later = await connect(server, { event: event.slug, token: event.moderator.token });
    expect(later.welcome.restricted!.filter((r) => r.user_id === ana.user.id)).toEqual([]);
    const log = await api(server.url, `/api/events/${event.slug}/moderation-log?limit=3`, { token: event.moderator.token });
    expect(log.body.items.map((entry: { action: string; reason: string | null }) => [entry.action, entry.reason])).toEqual([
      ['unban', null],
      ['ban', 'Insultos'],
      ['timeout_chat', 'Mayúsculas'],
    ]);
  });
});

const mariadb = databaseTargets.find((candidate) => candidate.name === 'mariadb');

describe.skipIf(!mariadb || !testRedisUrl)('timeouts across two backend servers sharing MariaDB and Redis', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T20:00:00Z'));
  const a = useRealtimeServer(mariadb!, {}, { redisUrl: testRedisUrl, redisPrefix: uniquePrefix() });
  let b: RunningServer;

  beforeAll(async () => {
    b = await startServer({ ...a.config, port: 0 });
    for (const server of [a, b]) server.deps.now = clock.now;
  });
  afterAll(async () => {
    await b?.close();
  });

  it('refuses chat on the other server while the timeout lasts, and lets it through there once it ends', async () => {
    const event = await createEvent(a, 'dos-tiempos');
    const moderatorOnA = (await connect(a, { event: event.slug, token: event.moderator.token })).socket;
    const member = await attendeeOf(a, event.slug);
    const onB = (await connect(b, { event: event.slug, token: member.token })).socket;
    await moderatorOnA.ok({ type: 'moderate', user_id: member.user.id, flag: 'chat_blocked', duration_s: 60, reason: 'Un minuto' });
    expect(await onB.waitFor('moderation_notice', (m) => m.action === 'timeout_chat')).toMatchObject({ reason: 'Un minuto' });
    expect(await onB.request({ type: 'chat', message: 'desde B' })).toMatchObject({ code: 'chat_blocked' });
    clock.advance(61);
    const sent = await onB.ok({ type: 'chat', message: 'desde B, ya libre' });
    expect(await moderatorOnA.waitFor('chat', (m) => m.id === sent.id)).toMatchObject({ message: 'desde B, ya libre' });
  });
});
