import type { Model, ModelStatic } from 'sequelize';
import { ClaimQueue, type ClaimQueueOptions } from '../../packages/backend/src/db/claim-queue.js';
import { MailOutboxRow } from '../../packages/backend/src/db/models.js';
import { urgentMail } from '../../packages/backend/src/mail/outbox.js';
import { createLogger } from '../../packages/backend/src/log.js';

/**
 * A claim queue over the mail outbox as the outbox claims it (batch claims, sign-in links
 * first), looking for due rows every 20 ms, with the test's clock, concurrency and attempt.
 */
export function outboxClaimQueue(options: Pick<ClaimQueueOptions, 'concurrency' | 'now' | 'attempt'> & Partial<ClaimQueueOptions>): ClaimQueue {
  return new ClaimQueue({
    model: MailOutboxRow as unknown as ModelStatic<Model>,
    dueColumn: 'send_after',
    claimTokenColumn: 'claim_token',
    first: urgentMail,
    pollIntervalMs: 20,
    claimMs: 60_000,
    logger: createLogger('silent'),
    label: 'mail',
    ...options,
  });
}
