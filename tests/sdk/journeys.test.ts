import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, PalcoError, type PalcoClient } from '@palco/sdk';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

/** Resolves with the first payload of `name` that passes `match`. */
function next<T>(client: PalcoClient, name: Parameters<PalcoClient['on']>[0], match: (payload: T) => boolean = () => true) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(name)} in time`)), 10_000);
    const stop = client.on(name, ((payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      stop();
      resolve(payload);
    }) as never);
  });
}

describe.each(databaseTargets)('the attendee and moderator journeys through the SDK alone, on $name', (target) => {
  const clients: PalcoClient[] = [];
  const client = () => {
    const made = createClient({ baseUrl: server.url, event: 'demo-fast', WebSocket: WebSocket as never });
    clients.push(made);
    return made;
  };

  const server = useServer(target);
  afterAll(async () => {
    clients.forEach((made) => made.disconnect());
  });

  it('takes an attendee from registration to chat, questions and votes, and a moderator through approval and moderation', async () => {
    const admin = client();
    await admin.admin.login({ email: server.adminEmail, password: server.adminPassword });
    const event = (await admin.admin.listEvents()).find((listed) => listed.slug === 'demo-fast')!;
    await admin.admin.createStaff(event.id, { name: 'Marta', email: 'marta@produccionesfast.com', role: 'moderador', password: 'moderadora-1' });

    const attendee = client();
    expect((await attendee.getEvent()).registration_open).toBe(true);
    const registered = await attendee.register({ name: 'Ana Núñez', email: 'ana.sdk@produccionesfast.com', phone: '+34 600 111 222' });
    expect(registered).toMatchObject({ redirect: '/e/demo-fast/watch' });
    expect((await attendee.me()).user.email).toBe('ana.sdk@produccionesfast.com');
    await expect(attendee.register({ name: 'Ana', email: 'ana.sdk@produccionesfast.com', phone: '+34 600 111 222' })).rejects.toMatchObject({
      code: 'already_registered',
      status: 409,
    });

    const moderator = client();
    expect((await moderator.login({ email: 'marta@produccionesfast.com', password: 'moderadora-1' })).redirect).toBe('/e/demo-fast/mod');
    expect((await moderator.connect()).user.role).toBe('moderador');
    const welcome = await attendee.connect();
    expect(welcome.user.name).toBe('Ana Núñez');

    const seenByModerator = next<{ id: number }>(moderator, 'chat');
    const sent = await attendee.chat('¡Hola a todos!');
    expect(sent).toMatchObject({ message: '¡Hola a todos!', user_name: 'Ana Núñez' });
    expect((await seenByModerator).id).toBe(sent.id);

    const pending = next<{ id: number }>(moderator, 'pending_question');
    const question = await attendee.ask('¿Habrá grabación?');
    expect(question.status).toBe('pending');
    expect((await pending).id).toBe(question.id);

    const approvedForAttendee = next<{ id: number }>(attendee, 'approved_question', (q) => q.id === question.id);
    await moderator.approve(question.id);
    await approvedForAttendee;
    const votes = next<{ id: number; upvotes: number }>(moderator, 'question_votes');
    await attendee.upvote(question.id);
    expect(await votes).toEqual({ type: 'question_votes', id: question.id, upvotes: 1 });
    await expect(attendee.upvote(question.id)).rejects.toMatchObject({ code: 'already_voted' });

    const highlighted = next<{ id: number | null }>(attendee, 'question_highlighted');
    await moderator.highlight(question.id);
    expect((await highlighted).id).toBe(question.id);

    const deleted = next<{ id: number }>(attendee, 'chat_deleted');
    await moderator.deleteChat(sent.id);
    expect((await deleted).id).toBe(sent.id);
    expect((await attendee.chatHistory()).items.map((message) => message.id)).not.toContain(sent.id);
    expect((await attendee.questionHistory()).items.map((q) => q.id)).toContain(question.id);

    await moderator.moderate(registered.user.id, 'chat_blocked');
    const refusal = await attendee.chat('¿me oyen?').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PalcoError);
    expect(refusal).toMatchObject({ code: 'chat_blocked' });

    const report = await moderator.report();
    expect(report.total_participants).toBeGreaterThanOrEqual(1);
    expect(report.questions.approved).toBe(1);
    expect(await moderator.reportCsv('participants')).toContain('Ana Núñez');
    await expect(attendee.report()).rejects.toMatchObject({ code: 'forbidden', status: 403 });

    await attendee.logout();
    expect(attendee.token).toBeNull();
    expect(attendee.state).toBe('disconnected');
  }, 60_000);
});
