import { indexExists, type MigrationContext } from './context.js';

/**
 * An index for the mail the outbox claims before the rest (db/claim-queue.ts `first`): the due
 * sign-in links, found by kind, status and due time without reading the thousands of due
 * confirmations a registration storm leaves queued.
 */
export const urgentMailMigration = {
  name: '014-urgent-mail',
  async up({ context }: { context: MigrationContext }) {
    if (await indexExists(context, 'mail_outbox', 'mail_outbox_kind_status_due')) return;
    await context.queryInterface.addIndex('mail_outbox', ['kind', 'status', 'send_after'], { name: 'mail_outbox_kind_status_due' });
  },
};
