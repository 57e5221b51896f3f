import { setImmediate as tick } from 'node:timers/promises';
import type { Model, ModelStatic } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { ClaimQueue } from '../../packages/backend/src/db/claim-queue.js';
import { MailOutboxRow } from '../../packages/backend/src/db/models.js';
import { createLogger } from '../../packages/backend/src/log.js';
import { databaseTargets } from '../support/server.js';
import { outboxClaimQueue } from '../support/outbox-queue.js';
import { eventually, sleep } from '../support/poll.js';
import { databaseSuite } from '../support/suite.js';

const logger = createLogger('silent');

/** A confirmation to `who`@lote.test, due a second before `now`. */
const dueConfirmation = (who: string, now: number) =>
  MailOutboxRow.create({
    kind: 'confirmation' as never,
    recipient: `${who}@lote.test`,
    user_id: null,
    event_id: 1,
    send_after: new Date(now - 1_000),
    dedupe_key: `confirmation:${who}`,
  });

describe.each(databaseTargets)('batch claims of the mail outbox on $name', (target) => {
  databaseSuite(target);

  it('keeps the claim of a row whose attempt outlasts it, so a second claimer never sends it again while the first is alive', async () => {
    const now = Date.now();
    const row = await dueConfirmation('lento', now);
    const attempted: string[] = [];
    // A claim holds 400 ms; the first claimer's attempt (a slow SMTP server) takes 2 s.
    const claimer = (name: string) =>
      outboxClaimQueue({
        concurrency: 4,
        claimMs: 400,
        now: () => now,
        async attempt(id) {
          attempted.push(name);
          await sleep(2_000);
          await MailOutboxRow.update({ status: 'sent' as never }, { where: { id } });
        },
      });
    const first = claimer('first');
    const second = claimer('second');
    first.start();
    await eventually(() => attempted.length > 0, undefined, 5_000, 'the first claim');
    second.start();
    await eventually(async () => (await MailOutboxRow.findByPk(row.id))?.status === 'sent', undefined, 10_000, 'the row sent');
    await Promise.all([first.close(), second.close()]);
    expect(attempted).toEqual(['first']);
    await row.destroy();
  });

  it('lets a second claimer take over a row whose claimer stopped renewing it', async () => {
    const now = Date.now();
    const row = await dueConfirmation('caido', now);
    const attempted: string[] = [];
    let finishFirst = () => {};
    const first = outboxClaimQueue({
      concurrency: 4,
      claimMs: 400,
      now: () => now,
      attempt: () => {
        attempted.push('first');
        return new Promise<void>((resolve) => (finishFirst = resolve));
      },
    });
    first.start();
    await eventually(() => attempted.length > 0, undefined, 5_000, 'the first claim');
    // The first process stops as a crashed one would: its claim is no longer renewed.
    const closed = first.close();
    const second = outboxClaimQueue({
      concurrency: 4,
      claimMs: 400,
      now: () => now,
      async attempt(id) {
        attempted.push('second');
        await MailOutboxRow.update({ status: 'sent' as never }, { where: { id } });
      },
    });
    second.start();
    await eventually(() => attempted.length > 1, undefined, 5_000, 'the second claimer taking the row over');
    finishFirst();
    await Promise.all([closed, second.close()]);
    expect(attempted).toEqual(['first', 'second']);
    await row.destroy();
  });

  it('lets two claimers racing for the same due rows send each row once and leave none', async () => {
    const now = Date.now();
    const total = 600;
    await MailOutboxRow.bulkCreate(
      Array.from({ length: total }, (_, i) => ({
        kind: 'confirmation' as never,
        recipient: `p${i}@lote.test`,
        user_id: null,
        event_id: 1,
        send_after: new Date(now - 1_000),
        dedupe_key: `confirmation:${i}`,
      })),
    );
    const attempted: Array<{ claimer: string; id: number }> = [];
    const claimer = (name: string) =>
      new ClaimQueue({
        model: MailOutboxRow as unknown as ModelStatic<Model>,
        dueColumn: 'send_after',
        concurrency: 24,
        claimTokenColumn: 'claim_token',
        pollIntervalMs: 20,
        claimMs: 60_000,
        now: () => now,
        logger,
        label: `mail ${name}`,
        async attempt(id) {
          attempted.push({ claimer: name, id });
          await tick();
          await MailOutboxRow.update({ status: 'sent' as never }, { where: { id } });
        },
      });
    const first = claimer('first');
    const second = claimer('second');
    first.start();
    second.start();
    const deadline = Date.now() + 90_000;
    while ((await MailOutboxRow.count({ where: { status: 'sent' } })) < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await Promise.all([first.close(), second.close()]);

    const ids = attempted.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(total);
    expect(ids).toHaveLength(total);
    expect(await MailOutboxRow.count({ where: { status: 'sent' } })).toBe(total);
    // Both took part: the rows were raced for, not handed to one claimer.
    expect(attempted.filter((entry) => entry.claimer === 'first').length).toBeGreaterThan(0);
    expect(attempted.filter((entry) => entry.claimer === 'second').length).toBeGreaterThan(0);
  }, 120_000);

  it("claims a due sign-in link before a storm's confirmations that fell due earlier", async () => {
    const now = Date.now();
    const storm = 40;
    const row = (kind: string, index: number, dueMsAgo: number) => ({
      kind: kind as never,
      recipient: `u${index}@tormenta.test`,
      user_id: null,
      event_id: 2,
      send_after: new Date(now - dueMsAgo),
      dedupe_key: `${kind}:tormenta:${index}`,
    });
    await MailOutboxRow.bulkCreate(Array.from({ length: storm }, (_, i) => row('confirmation', i, 60_000 - i)));
    const link = await MailOutboxRow.create(row('sign_in_link', 0, 1_000));
    const order: number[] = [];
    const queue = outboxClaimQueue({
      // One at a time, as mail goes while a registration storm keeps the process busy.
      concurrency: 1,
      now: () => now,
      async attempt(id) {
        order.push(id);
        await MailOutboxRow.update({ status: 'sent' as never }, { where: { id } });
      },
    });
    queue.start();
    const deadline = Date.now() + 60_000;
    while (order.length < storm + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await queue.close();
    expect(order).toHaveLength(storm + 1);
    expect(order[0]).toBe(link.id);
    // The rest keep their order: oldest due first.
    const rest = await MailOutboxRow.findAll({ where: { event_id: 2, kind: 'confirmation' }, order: [['send_after', 'ASC']] });
    expect(order.slice(1)).toEqual(rest.map((confirmation) => confirmation.id));
  }, 120_000);
});
