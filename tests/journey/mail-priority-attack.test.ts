import { describe, expect, it } from 'vitest';
import { MailOutboxRow } from '../../packages/backend/src/db/models.js';
import { databaseTargets } from '../support/server.js';
import { outboxClaimQueue } from '../support/outbox-queue.js';
import { databaseSuite } from '../support/suite.js';

describe.each(databaseTargets)('sign-in links first, on $name, never at the cost of the other mail', (target) => {
  databaseSuite(target);

  const outboxRow = (kind: string, eventId: number, index: number, dueAt: number) => ({
    kind: kind as never,
    recipient: `p${index}@inundacion.test`,
    user_id: null,
    event_id: eventId,
    send_after: new Date(dueAt),
    dedupe_key: kind === 'sign_in_link' ? null : `${kind}:inundacion:${eventId}:${index}`,
  });

  async function until(done: () => boolean, ms: number) {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it.each([1, 4])(
    'sends the reminders already due while sign-in links keep being asked for faster than mail goes out (%i in flight)',
    async (concurrency) => {
      const eventId = 100 + concurrency;
      const now = Date.now();
      const reminders = await MailOutboxRow.bulkCreate(
        Array.from({ length: 3 }, (_, i) => outboxRow('reminder_1h', eventId, i, now - 60_000 + i)),
      );
      await MailOutboxRow.bulkCreate(Array.from({ length: concurrency }, (_, i) => outboxRow('sign_in_link', eventId, 1_000 + i, now)));
      // Whoever floods the sign-in link form for registered addresses: each link sent, another is already due.
      let asked = 2_000;
      const sent: number[] = [];
      const queue = outboxClaimQueue({
        concurrency,
        now: () => now,
        async attempt(id) {
          sent.push(id);
          await MailOutboxRow.create(outboxRow('sign_in_link', eventId, (asked += 1), now));
          await MailOutboxRow.update({ status: 'sent' as never }, { where: { id } });
        },
      });
      const reminderIds = reminders.map((row) => row.id);
      queue.start();
      await until(() => reminderIds.every((id) => sent.includes(id)) || sent.length >= 60, 60_000);
      await queue.close();
      expect(sent.filter((id) => reminderIds.includes(id))).toEqual(reminderIds);
      // Still first: the link asked for while the reminders waited went out before all of them.
      expect(sent.indexOf(reminderIds[0]!)).toBeGreaterThan(0);
    },
    120_000,
  );

  it('lets two claimers with links first send every row once, a link whose claim expired included', async () => {
    const eventId = 200;
    const now = Date.now();
    await MailOutboxRow.bulkCreate([
      ...Array.from({ length: 300 }, (_, i) => outboxRow('confirmation', eventId, i, now - 60_000 + i)),
      ...Array.from({ length: 100 }, (_, i) => outboxRow('sign_in_link', eventId, 1_000 + i, now - i)),
    ]);
    // A process died while sending this link: its claim ran out a minute ago.
    const orphan = await MailOutboxRow.create({ ...outboxRow('sign_in_link', eventId, 5_000, now - 120_000), status: 'sending' as never });
    await MailOutboxRow.update({ send_after: new Date(Date.now() - 60_000) }, { where: { id: orphan.id } });
    const attempted: number[] = [];
    const claimer = () =>
      outboxClaimQueue({
        concurrency: 8,
        now: () => now,
        async attempt(id) {
          attempted.push(id);
          await MailOutboxRow.update({ status: 'sent' as never }, { where: { id } });
        },
      });
    const queues = [claimer(), claimer()];
    for (const queue of queues) queue.start();
    const ours = new Set((await MailOutboxRow.findAll({ attributes: ['id'], where: { event_id: eventId } })).map((row) => row.id));
    const attemptedHere = () => attempted.filter((id) => ours.has(id));
    await until(() => attemptedHere().length >= 401, 60_000);
    await Promise.all(queues.map((queue) => queue.close()));
    expect(attemptedHere()).toHaveLength(401);
    expect(new Set(attemptedHere()).size).toBe(401);
    expect(attemptedHere()).toContain(orphan.id);
    expect(await MailOutboxRow.count({ where: { event_id: eventId, status: 'sent' } })).toBe(401);
  }, 120_000);
});
