import { beforeAll, describe, expect, it } from 'vitest';
import type { PersonExport } from '@palco/sdk/protocol';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeldChatRow, MailOutboxRow, ModerationActionRow, PollVoteRow, WebhookDeliveryRow } from '../../packages/backend/src/db/models.js';
import { runRetention } from '../../packages/backend/src/services/retention.js';
import { api } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, ManualClock, useRealtimeServer } from '../realtime/support.js';

const day = 86_400;

describe.each(databaseTargets)('a person’s data on $name', (target) => {
  const clock = new ManualClock();
  const server = useRealtimeServer(target);
  beforeAll(async () => {
    server.deps.now = clock.now;
  });

  /** An attendee who answered a field, chatted, asked, voted and watched; and a neighbour who did the same. */
  async function busyEvent(slug: string, extra: object = {}) {
    const event = await createEvent(server, slug, {
      registration_fields: [{ key: 'company', label: { es: 'Empresa' }, type: 'text', required: false }],
      ...extra,
    });
    const hook = await api(server.url, `/api/admin/events/${event.id}/webhooks`, {
      token: event.admin,
      body: { url: 'https://93.184.215.14/hook', topics: ['user_registered', 'question_approved'] },
    });
    expect(hook.status).toBe(201);
    const register = async (name: string, email: string) => {
      const response = await api(server.url, `/api/events/${slug}/register`, {
        body: { name, email, phone: '+34 611 222 333', fields: { company: `${name} S.A.` } },
      });
      expect(response.status).toBe(201);
      return response.body;
    };
    const ana = await register('Ana Secreta', `ana@${slug}.test`);
    const beto = await register('Beto Vecino', `beto@${slug}.test`);
    const moderator = (await connect(server, { event: slug, token: event.moderator.token })).socket;
    const anaSocket = (await connect(server, { event: slug, token: ana.token })).socket;
    const betoSocket = (await connect(server, { event: slug, token: beto.token })).socket;
    await anaSocket.ok({ type: 'chat', message: 'Mensaje privado de Ana' });
    await betoSocket.ok({ type: 'chat', message: 'Hola de Beto' });
    const anaQuestion = (await anaSocket.ok({ type: 'ask', question: '¿Pregunta íntima de Ana?' })).id as number;
    const betoQuestion = (await betoSocket.ok({ type: 'ask', question: '¿Pregunta de Beto?' })).id as number;
    await moderator.ok({ type: 'approve', id: anaQuestion });
    await moderator.ok({ type: 'approve', id: betoQuestion });
    await anaSocket.ok({ type: 'upvote', id: betoQuestion });
    await betoSocket.ok({ type: 'upvote', id: anaQuestion });
    clock.advance(60);
    anaSocket.send({ type: 'ping', ref: 'watch', visible_ms: 60_000 });
    await anaSocket.waitFor('pong');
    await Promise.all([anaSocket.close(), betoSocket.close(), moderator.close()]);
    await server.hub.analytics.flushWatchTime();
    return { event, ana, beto, anaQuestion, betoQuestion, hookId: hook.body.id as number };
  }

  const asAdmin = (token: string, path: string, method = 'GET') => api(server.url, `/api/admin${path}`, { token, method });

  it('exports everything held about one person as JSON, and records that it was taken', async () => {
    const { event, ana, anaQuestion, betoQuestion } = await busyEvent('exportable');
    const response = await asAdmin(event.admin, `/events/${event.id}/participants/${ana.user.id}/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="exportable-person-${ana.user.id}.json"`);
    const document = response.body as PersonExport;
    expect(document.registration).toMatchObject({ id: ana.user.id, name: 'Ana Secreta', email: 'ana@exportable.test', phone: '+34 611 222 333', status: 'registered' });
    expect(document.fields).toEqual({ company: 'Ana Secreta S.A.' });
    expect(document.consent).toEqual({ at: null, version: null, ip: null });
    expect(document.chat.map((message) => message.message)).toEqual(['Mensaje privado de Ana']);
    expect(document.questions).toEqual([expect.objectContaining({ id: anaQuestion, question: '¿Pregunta íntima de Ana?', status: 'approved', upvotes: 1 })]);
    expect(document.votes).toEqual([{ question_id: betoQuestion }]);
    expect(document.watch_time?.total_seconds).toBe(60);
    expect(document.emails).toEqual([expect.objectContaining({ kind: 'confirmation', recipient: 'ana@exportable.test' })]);
    const audit = await asAdmin(event.admin, `/audit?event_id=${event.id}&action=person_exported`);
    expect(audit.body.items).toEqual([expect.objectContaining({ target_type: 'participant', target_id: ana.user.id, changes: {} })]);
  });

  it('erases a person everywhere, keeps the counts and the neighbours intact, and frees the address', async () => {
    const { event, ana, beto, anaQuestion, betoQuestion, hookId } = await busyEvent('borrable');
    const mailDir = join(server.config.dataDir, 'mail');
    const mailTo = (address: string) =>
      existsSync(mailDir) ? readdirSync(mailDir).filter((file) => readFileSync(join(mailDir, file), 'utf8').includes(address)) : [];
    // Her confirmation was written as an .eml file by the embedded mail default.
    await eventually(() => mailTo('ana@borrable.test').length > 0);
    const erased = await asAdmin(event.admin, `/events/${event.id}/participants/${ana.user.id}`, 'DELETE');
    expect(erased.status).toBe(204);

    const document = (await asAdmin(event.admin, `/events/${event.id}/participants/${ana.user.id}/export`)).body as PersonExport;
    expect(document.registration).toMatchObject({ name: `erased-${ana.user.id}`, email: `erased-${ana.user.id}@invalid`, phone: null });
    expect(document.registration.erased_at).not.toBeNull();
    expect(document.fields).toEqual({});
    expect(document.chat.map((message) => [message.user_name, message.message])).toEqual([[`erased-${ana.user.id}`, '[erased]']]);
    expect(document.questions).toEqual([expect.objectContaining({ id: anaQuestion, question: '[erased]', status: 'approved', upvotes: 1 })]);
    expect(document.votes).toEqual([{ question_id: betoQuestion }]);
    expect(document.watch_time?.total_seconds).toBe(60);

    const chat = (await api(server.url, `/api/events/${event.slug}/chat`, { token: event.moderator.token })).body.items;
    expect(chat.map((message: { message: string }) => message.message)).toEqual(['[erased]', 'Hola de Beto']);
    const report = (await api(server.url, `/api/events/${event.slug}/reports`, { token: event.admin })).body;
    expect(report.total_participants).toBe(2);
    expect(report.questions).toMatchObject({ approved: 2, total: 2 });
    const csv = await (await fetch(`${server.url}/api/events/${event.slug}/reports/participants.csv`, { headers: { authorization: `Bearer ${event.admin}` } })).text();
    expect(csv).not.toContain('Ana Secreta');
    expect(csv).not.toContain('ana@borrable.test');
    expect(csv).toContain('Beto Vecino');

    const deliveries = await WebhookDeliveryRow.findAll({ where: { webhook_id: hookId } });
    expect(deliveries).toHaveLength(4);
    const bodies = deliveries.map((delivery) => delivery.payload ?? '').join('\n');
    expect(bodies).toContain('beto@borrable.test');
    expect(bodies).toContain('+34 611 222 333');
    expect(bodies).toContain('¿Pregunta de Beto?');
    expect(bodies).not.toContain('ana@borrable.test');
    expect(bodies).not.toContain('Ana Secreta');
    expect(bodies).not.toContain('íntima');

    expect(mailTo('ana@borrable.test')).toEqual([]);
    expect(mailTo('beto@borrable.test').length).toBeGreaterThan(0);
    const outbox = await MailOutboxRow.findAll({ where: { user_id: ana.user.id } });
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.every((row) => row.recipient === `erased-${ana.user.id}@invalid` && row.status !== 'pending')).toBe(true);
    expect((await api(server.url, '/api/me', { token: ana.token })).status).toBe(401);
    expect((await api(server.url, '/api/me', { token: beto.token })).status).toBe(200);
    const again = await api(server.url, `/api/events/${event.slug}/register`, { body: { name: 'Ana', email: 'ana@borrable.test', phone: '+34 600 000 000' } });
    expect(again.status).toBe(201);
    const audit = await asAdmin(event.admin, `/audit?event_id=${event.id}&action=person_erased`);
    expect(audit.body.items).toEqual([expect.objectContaining({ target_id: ana.user.id })]);
  });

  it('erases a staff member’s name and email from the audit values that recorded them', async () => {
    const event = await createEvent(server, 'equipo-borrable');
    const staff = (await asAdmin(event.admin, `/events/${event.id}/staff`)).body as Array<{ id: number; email: string }>;
    const moderator = staff.find((member) => member.email === 'mod@equipo-borrable.test')!;
    expect((await asAdmin(event.admin, `/events/${event.id}/participants/${moderator.id}`, 'DELETE')).status).toBe(204);
    const entries = (await asAdmin(event.admin, `/audit?event_id=${event.id}&action=staff_added`)).body.items;
    const added = entries.find((entry: { target_id: number }) => entry.target_id === moderator.id);
    expect(added.changes).toEqual({
      name: { after: `erased-${moderator.id}` },
      email: { after: `erased-${moderator.id}@invalid` },
      role: { after: 'moderador' },
    });
    expect(JSON.stringify(entries)).toContain('Sebas Speaker');
  });

  it('erases the attendees of a closed event once its retention days have passed, once across concurrent runs', async () => {
    const { event, ana, beto } = await busyEvent('caducable', { retention_days: 30 });
    const staffEmail = `mod@caducable.test`;
    await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: event.admin, body: { is_active: false } });
    clock.advance(29 * day);
    expect(await runRetention(server.deps)).toBe(0);
    clock.advance(2 * day);
    const runs = await Promise.all([runRetention(server.deps), runRetention(server.deps)]);
    expect(runs.sort()).toEqual([0, 2]);
    const table = (await api(server.url, `/api/events/${event.slug}/reports/participants`, { token: event.admin })).body.items;
    expect(table.map((row: { email: string }) => row.email)).toEqual([`erased-${ana.user.id}@invalid`, `erased-${beto.user.id}@invalid`]);
    // The staff keep their accounts: retention is about the attendees.
    const staff = (await asAdmin(event.admin, `/events/${event.id}/staff`)).body;
    expect(staff.map((member: { email: string }) => member.email)).toContain(staffEmail);
    const audit = await eventually(async () => (await asAdmin(event.admin, `/audit?event_id=${event.id}&action=person_erased_by_retention`)).body.items);
    expect(audit).toEqual([expect.objectContaining({ actor_id: null, changes: { count: 2 } })]);
  });

  it('erases what moderation kept of a person’s words: held messages, the log’s copies and open-text poll answers', async () => {
    const event = await createEvent(server, 'retenido', { blocked_words: ['palabrota'], blocked_words_action: 'hold' });
    const register = async (name: string, email: string) =>
      (await api(server.url, `/api/events/retenido/register`, { body: { name, email, phone: '+34 611 222 333' } })).body;
    const ana = await register('Ana Retenida', 'ana@retenido.test');
    const beto = await register('Beto Vecino', 'beto@retenido.test');
    const moderator = (await connect(server, { event: 'retenido', token: event.moderator.token })).socket;
    const anaSocket = (await connect(server, { event: 'retenido', token: ana.token })).socket;
    const betoSocket = (await connect(server, { event: 'retenido', token: beto.token })).socket;
    await anaSocket.ok({ type: 'chat', message: 'una palabrota muy mía' });
    const poll = (await moderator.ok({ type: 'poll_create', kind: 'open_text', question: '¿Qué opinas?' })).data as { id: number };
    await moderator.ok({ type: 'poll_open', id: poll.id });
    await anaSocket.ok({ type: 'poll_vote', id: poll.id, text: 'Opinión secreta de Ana' });
    await betoSocket.ok({ type: 'poll_vote', id: poll.id, text: 'Opinión de Beto' });
    await Promise.all([anaSocket.close(), betoSocket.close(), moderator.close()]);
    expect((await HeldChatRow.findAll({ where: { user_id: ana.user.id } })).map((row) => row.message)).toEqual(['una palabrota muy mía']);

    expect((await asAdmin(event.admin, `/events/${event.id}/participants/${ana.user.id}`, 'DELETE')).status).toBe(204);

    const held = await HeldChatRow.findAll({ where: { user_id: ana.user.id } });
    expect(held.map((row) => [row.user_name, row.message])).toEqual([[`erased-${ana.user.id}`, '[erased]']]);
    const logged = await ModerationActionRow.findAll({ where: { target_user_id: ana.user.id, action: 'hold_chat' } });
    expect(logged.map((row) => row.detail)).toEqual(['[erased]']);
    const answers = await PollVoteRow.findAll({ where: { poll_id: poll.id }, order: [['id', 'ASC']] });
    expect(answers.map((row) => row.text)).toEqual(['[erased]', 'Opinión de Beto']);
  });

  it('refuses to erase or export someone of another event', async () => {
    const first = await busyEvent('ajena-uno');
    const second = await createEvent(server, 'ajena-dos');
    expect((await asAdmin(first.event.admin, `/events/${second.id}/participants/${first.ana.user.id}`, 'DELETE')).status).toBe(404);
    expect((await asAdmin(first.event.admin, `/events/${second.id}/participants/${first.ana.user.id}/export`)).status).toBe(404);
    expect((await api(server.url, `/api/admin/events/${first.event.id}/participants/${first.ana.user.id}/export`, { token: first.event.moderator.token })).status).toBe(403);
  });
});
