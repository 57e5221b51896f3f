import { describe, expect, it } from 'vitest';
import { maxMarksPerCharacter } from '@palco/sdk/protocol';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';

/** Sixty rounds of eight accents on one letter: a "Zalgo" tower hundreds of marks high. */
const zalgo = `Z${'\u0301\u0300\u0308\u0302\u0303\u0304\u0306\u0307'.repeat(60)}algo`;
const longestMarkRun = (text: string) => Math.max(0, ...(text.match(/\p{M}+/gu) ?? []).map((run) => [...run].length));

describe.each(databaseTargets)('texts that draw over others or draw nothing, on $name', (target) => {
  const server = useRealtimeServer(target);

  it(`gives others a chat message and a question with at most ${maxMarksPerCharacter} combining marks on a letter`, async () => {
    const event = await createEvent(server, 'zalgo');
    const { socket: writer } = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    const { socket: reader } = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    const { socket: moderator } = await connect(server, { event: event.slug, token: event.moderator.token });
    await writer.ok({ type: 'chat', message: zalgo });
    const chat = await reader.waitFor('chat');
    expect(longestMarkRun(chat.message)).toBe(maxMarksPerCharacter);
    expect(chat.message.endsWith('algo')).toBe(true);
    await writer.ok({ type: 'ask', question: zalgo });
    const question = await moderator.waitFor('pending_question');
    expect(longestMarkRun(question.question)).toBe(maxMarksPerCharacter);
    await Promise.all([writer.close(), reader.close(), moderator.close()]);
  });

  it('refuses a chat message of musical null noteheads, which draw nothing', async () => {
    const event = await createEvent(server, 'notas-nulas');
    const { socket } = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    const answer = await socket.request({ type: 'chat', message: '\u{1D159}\u{1D159}\u{1D159}' });
    expect(answer).toMatchObject({ type: 'error', code: 'invalid_input', fields: { message: expect.any(String) } });
    await socket.close();
  });
});
