import { beforeAll, describe, expect, it } from 'vitest';
import type { Poll, PollVote } from '@palco/sdk/protocol';
import { QueryTypes } from 'sequelize';
import { PollVoteRow } from '../../packages/backend/src/db/models.js';
import { textLiteral } from '../../packages/backend/src/polls/vote-batch.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from '../realtime/support.js';

/*
 * Poll answers are written by a hand-built multi-row INSERT (packages/backend/src/polls/vote-batch.ts):
 * whatever an attendee types must be stored as typed, and must never cost the votes sharing its batch.
 */
describe.each(databaseTargets)('poll answer text written by the batched insert on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let moderator: TestSocket;
  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'textos-voto');
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
  });

  const openPoll = async (kind: 'open_text' | 'word_cloud') => {
    const created = (await moderator.ok({ type: 'poll_create', kind, question: '¿Qué opinas?' })).data as Poll;
    return (await moderator.ok({ type: 'poll_open', id: created.id })).data as Poll;
  };
  const voters = (count: number) =>
    Promise.all(Array.from({ length: count }, async () => (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket));

  const hostile = [
    "it's \"quoted\" \\ and \\' back'slash\\",
    "'); DELETE FROM poll_votes; --",
    'NUL in the middle: a\u0000b',
    'control \u0001\u0008\u001a\u007f characters',
    'emoji 🍕👩‍👩‍👧 and ñ, 中文, עברית',
    '\\\\\\',
  ];

  it('stores every open-text answer exactly as cleaned, and the honest answers sent in the same batch with them', async () => {
    const poll = await openPoll('open_text');
    const sockets = await voters(hostile.length + 2);
    const texts = [...hostile, 'honest one', 'honest two'];
    const replies = await Promise.all(sockets.map((socket, index) => socket.request({ type: 'poll_vote', id: poll.id, text: texts[index] })));
    for (const reply of replies) expect(reply.type === 'ack' ? 'ack' : reply).toBe('ack');
    const rows = await PollVoteRow.findAll({ where: { poll_id: poll.id }, raw: true });
    expect(rows.map((row) => row.text).sort()).toEqual(replies.map((reply) => (reply.type === 'ack' ? (reply.data as PollVote).text : '')).sort());
    expect(rows.filter((row) => row.text === 'honest one' || row.text === 'honest two')).toHaveLength(2);
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('stores word-cloud answers with quotes, backslashes and NUL beside honest ones in the same batch', async () => {
    const poll = await openPoll('word_cloud');
    const sockets = await voters(3);
    const words = [["o'hara", 'back\\slash', 'a\u0000b'], ['"dq"', '\\'], ['honesta']];
    const replies = await Promise.all(sockets.map((socket, index) => socket.request({ type: 'poll_vote', id: poll.id, words: words[index] })));
    for (const reply of replies) expect(reply.type === 'ack' ? 'ack' : reply).toBe('ack');
    const rows = await PollVoteRow.findAll({ where: { poll_id: poll.id }, raw: true });
    expect(rows).toHaveLength(3);
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  // The sql_mode is MariaDB's: on SQLite there is no such mode to test, so no test is defined.
  if (target.name === 'mariadb') it('reads a quote after a backslash as text under the NO_BACKSLASH_ESCAPES sql_mode too', async () => {
    const sequelize = server.deps.db.sequelize;
    const typed = "x\\' OR '1'='1";
    const read = await sequelize.transaction(async (transaction) => {
      const [row] = await sequelize.query<{ mode: string }>('SELECT @@SESSION.sql_mode AS mode', { type: QueryTypes.SELECT, transaction });
      const mode = row!.mode;
      await sequelize.query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')", { transaction });
      try {
        return await sequelize.query<{ value: string }>(`SELECT ${textLiteral('mysql')(typed)} AS value`, { type: QueryTypes.SELECT, transaction });
      } finally {
        await sequelize.query('SET SESSION sql_mode = ?', { replacements: [mode], transaction });
      }
    });
    expect(read).toEqual([{ value: typed }]);
  });
});
