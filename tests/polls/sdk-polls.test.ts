import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type ClientEvents, type PalcoClient } from '@palco/sdk';
import { databaseTargets } from '../support/server.js';
import { useRealtimeServer } from '../realtime/support.js';

describe.each(databaseTargets)('polls and reactions through the SDK alone, on $name', (target) => {
  const server = useRealtimeServer(target);
  const clients: PalcoClient[] = [];
  const client = () => {
    const made = createClient({ baseUrl: server.url, event: 'demo-fast', WebSocket: WebSocket as never });
    clients.push(made);
    return made;
  };
  afterAll(() => clients.forEach((made) => made.disconnect()));

  /** Resolves with the first payload of `name` that passes `match`. */
  const next = <E extends keyof ClientEvents>(made: PalcoClient, name: E, match: (payload: ClientEvents[E]) => boolean) =>
    new Promise<ClientEvents[E]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${name} in time`)), 5_000);
      const stop = made.on(name, (payload) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        stop();
        resolve(payload);
      });
    });

  it('lets a moderator build, open and reveal a poll, an attendee vote and react, and both see the results', async () => {
    const admin = client();
    await admin.admin.login({ email: server.adminEmail, password: server.adminPassword });
    const event = (await admin.admin.listEvents()).find((listed) => listed.slug === 'demo-fast')!;
    await admin.admin.createStaff(event.id, { name: 'Marta', email: 'marta.encuestas@produccionesfast.com', role: 'moderador', password: 'moderadora-1' });
    const template = await admin.admin.savePollTemplate({ kind: 'rating', question: '¿Qué tal la sesión?' });
    expect((await admin.admin.listPollTemplates()).map((saved) => saved.id)).toContain(template.id);

    const moderator = client();
    await moderator.login({ email: 'marta.encuestas@produccionesfast.com', password: 'moderadora-1' });
    await moderator.connect();
    const attendee = client();
    await attendee.register({ name: 'Ana', email: 'ana.encuestas@produccionesfast.com', phone: '+34 600 111 333' });
    const welcome = await attendee.connect();
    expect(welcome.my_votes).toEqual([]);

    const draft = await moderator.createPoll({ kind: 'single', question: '¿Seguimos?', options: ['Sí', 'No'] });
    expect((await moderator.updatePoll(draft.id, { options: ['Sí', 'No', 'Quizá'] })).options).toHaveLength(3);
    const opening = next(attendee, 'poll', (message) => message.poll.id === draft.id && message.poll.status === 'open');
    await moderator.openPoll(draft.id);
    await opening;

    const vote = await attendee.vote(draft.id, { choices: [3] });
    expect(vote).toMatchObject({ poll_id: draft.id, choices: [3] });
    await expect(attendee.vote(draft.id, { choices: [1] })).rejects.toMatchObject({ code: 'already_voted' });
    await next(moderator, 'poll_results', (results) => results.id === draft.id && results.total === 1);

    const revealed = next(attendee, 'poll_results', (results) => results.id === draft.id);
    await moderator.revealPoll(draft.id);
    expect((await revealed).options).toEqual([{ id: 1, count: 0 }, { id: 2, count: 0 }, { id: 3, count: 1 }]);

    const reactions = next(moderator, 'reactions', (message) => (message.counts['🎉'] ?? 0) >= 1);
    await attendee.react('🎉');
    await reactions;

    const snapshot = await attendee.polls();
    expect(snapshot.my_votes.map((own) => own.poll_id)).toContain(draft.id);
    await moderator.closePoll(draft.id);
    const fromTemplate = await moderator.pollFromTemplate(template.id);
    expect(fromTemplate).toMatchObject({ kind: 'rating', status: 'draft' });
    await moderator.deletePoll(fromTemplate.id);
  });
});
