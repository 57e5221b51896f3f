import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import { indexExists, type MigrationContext } from './context.js';

/*
 * Spelled out here rather than read from the model, so this migration keeps doing
 * the same thing when the model changes later. On a fresh database 001 already
 * created these columns from the model, and this adds only the index.
 */
const columns: Record<string, ModelAttributeColumnOptions> = {
  payload: { type: DataTypes.TEXT, allowNull: true },
  // DATE(3): milliseconds, or MySQL would round a retry's due time by up to a second.
  next_attempt_at: { type: DataTypes.DATE(3), allowNull: true },
  delivered_at: { type: DataTypes.DATE(3), allowNull: true },
  response_status: { type: DataTypes.INTEGER, allowNull: true },
};

const dueIndex = 'webhook_deliveries_status_due';

/** What the webhook sender needs to retry, resume after a restart and show results. */
export const webhookDeliveriesMigration = {
  name: '003-webhook-deliveries',
  async up({ context }: { context: MigrationContext }) {
    const { queryInterface } = context;
    const existing = await queryInterface.describeTable('webhook_deliveries');
    for (const [column, definition] of Object.entries(columns)) {
      if (!(column in existing)) await queryInterface.addColumn('webhook_deliveries', column, definition);
    }
    if (!(await indexExists(context, 'webhook_deliveries', dueIndex))) {
      await queryInterface.addIndex('webhook_deliveries', ['status', 'next_attempt_at'], { name: dueIndex });
    }
  },
};
