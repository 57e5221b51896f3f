import { DataTypes } from 'sequelize';
import type { MigrationContext } from './context.js';

/**
 * `mail_outbox.claim_token`: the random token of the claim that holds a `sending` row, so one
 * UPDATE can claim a batch of due rows and the process then reads back which of them are its
 * own (db/claim-queue.ts). Spelled out here rather than read from the model.
 */
export const mailClaimBatchMigration = {
  name: '012-mail-claim-batch',
  async up({ context }: { context: MigrationContext }) {
    const existing = await context.queryInterface.describeTable('mail_outbox');
    if (!('claim_token' in existing)) {
      await context.queryInterface.addColumn('mail_outbox', 'claim_token', { type: DataTypes.STRING(32), allowNull: true });
    }
  },
};
