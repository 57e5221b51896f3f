import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Question, ServerMessage } from '@palco/sdk/protocol';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from './support.js';
import { sleep } from '../support/poll.js';

interface Cast {
  slug: string;
  attendeeIds: number[];
  attendee: TestSocket;
  voter: TestSocket;
  moderator: TestSocket;
  speaker: TestSocket;
  admin: TestSocket;
  sockets: TestSocket[];
}

/** Messages that carry an event's own activity; presence counts are checked separately. */
const activityTypes = new Set<ServerMessage['type']>([
  'chat',
  'chat_deleted',
  'pending_question',
  'approved_question',
  'question_updated',
  'question_votes',
  'question_highlighted',
  'user_updated',
  'event_closed',
]);

describe.each(databaseTargets)('isolation between two events on $name', (target) => {
  let first: Cast;
  let second: Cast;

  const cast = async (slug: string): Promise<Cast> => {
    const event = await createEvent(server, slug);
    const author = await attendeeOf(server, slug);
    const voter = await attendeeOf(server, slug);
    const sockets = {
      attendee: (await connect(server, { event: slug, token: author.token })).socket,
      voter: (await connect(server, { event: slug, token: voter.token })).socket,
      moderator: (await connect(server, { event: slug, token: event.moderator.token })).socket,
      speaker: (await connect(server, { event: slug, token: event.speaker.token })).socket,
      admin: (await connect(server, { event: slug, token: event.admin })).socket,
    };
    return { slug, attendeeIds: [author.user.id, voter.user.id], ...sockets, sockets: Object.values(sockets) };
  };

  /** Everything an event can do: chat, delete, ask, approve, reject, read, vote, highlight, moderate. */
  const everythingIn = async (event: Cast) => {
    const chat = (await event.attendee.ok({ type: 'chat', message: `hola desde ${event.slug}` })).data as ChatMessage;
    await event.moderator.ok({ type: 'chat', message: 'moderación presente' });
    await event.moderator.ok({ type: 'delete_chat', id: chat.id });
    const kept = (await event.attendee.ok({ type: 'ask', question: `¿Pregunta de ${event.slug}?` })).data as Question;
    const dropped = (await event.attendee.ok({ type: 'ask', question: 'Descartada' })).data as Question;
    await event.moderator.ok({ type: 'approve', id: kept.id });
    await event.moderator.ok({ type: 'reject', id: dropped.id });
    await event.voter.ok({ type: 'upvote', id: kept.id });
    await event.speaker.ok({ type: 'highlight', id: kept.id });
    await event.speaker.ok({ type: 'read', id: kept.id });
    await event.admin.ok({ type: 'moderate', user_id: event.attendeeIds[1]!, flag: 'chat_blocked' });
    // The event's own sockets saw the last of it: everything before has been delivered too.
    for (const socket of event.sockets) await socket.waitFor('question_highlighted', (m) => m.id === kept.id);
    await event.moderator.waitFor('user_updated');
  };

  const expectUntouched = (bystander: Cast, from: number[]) => {
    bystander.sockets.forEach((socket, index) => {
      const arrived = socket.received.slice(from[index]);
      expect(arrived.filter((message) => activityTypes.has(message.type))).toEqual([]);
      for (const message of arrived) {
        if (message.type === 'viewers') expect(message.count).toBe(2);
        if (message.type === 'active_sessions') {
          for (const session of message.sessions) expect(bystander.attendeeIds).toContain(session.user_id);
        }
      }
    });
  };

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    first = await cast('aislado-a');
    second = await cast('aislado-b');
  });

  it('delivers nothing of event A to any socket of event B', async () => {
    const from = second.sockets.map((socket) => socket.received.length);
    await everythingIn(first);
    await sleep(100);
    expectUntouched(second, from);
  });

  it('delivers nothing of event B to any socket of event A', async () => {
    const from = first.sockets.map((socket) => socket.received.length);
    await everythingIn(second);
    await sleep(100);
    expectUntouched(first, from);
  });

  it('refuses commands on ids of the other event as if they did not exist', async () => {
    const foreignQuestion = (await second.attendee.ok({ type: 'ask', question: 'Solo de B' })).data as Question;
    const foreignChat = (await second.moderator.ok({ type: 'chat', message: 'solo de B' })).data as ChatMessage;
    expect(await first.moderator.request({ type: 'approve', id: foreignQuestion.id })).toMatchObject({ code: 'question_not_found' });
    expect(await first.speaker.request({ type: 'highlight', id: foreignQuestion.id })).toMatchObject({ code: 'question_not_found' });
    expect(await first.moderator.request({ type: 'delete_chat', id: foreignChat.id })).toMatchObject({ code: 'not_found' });
    expect(await first.moderator.request({ type: 'moderate', user_id: second.attendeeIds[0]!, flag: 'banned' })).toMatchObject({ code: 'not_found' });
    expect(second.attendee.isOpen).toBe(true);
  });
});
