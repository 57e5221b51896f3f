import { DataTypes, type ModelAttributeColumnOptions, type ModelStatic, type Model } from 'sequelize';
import {
  ChatMessageRow,
  EventRow,
  ModerationActionRow,
  QuestionRow,
  QuestionVoteRow,
  SessionAnalyticsRow,
  UserRow,
  ViewerSampleRow,
  WebhookDeliveryRow,
  WebhookRow,
} from '../models.js';
import { indexExists, tableExists, type MigrationContext } from './context.js';

const tables: Array<ModelStatic<Model>> = [
  EventRow,
  UserRow,
  QuestionRow,
  ChatMessageRow,
  SessionAnalyticsRow,
  ViewerSampleRow,
  QuestionVoteRow,
  ModerationActionRow,
  WebhookRow,
  WebhookDeliveryRow,
];

interface IndexSpec {
  table: string;
  name: string;
  fields: string[];
  unique?: boolean;
}

const indexes: IndexSpec[] = [
  { table: 'events', name: 'events_slug_unique', fields: ['slug'], unique: true },
  { table: 'users', name: 'users_email_event_unique', fields: ['email', 'event_id'], unique: true },
  { table: 'users', name: 'users_event_role', fields: ['event_id', 'role'] },
  { table: 'questions', name: 'questions_event_status', fields: ['event_id', 'status'] },
  { table: 'chat_messages', name: 'chat_messages_event_id', fields: ['event_id', 'id'] },
  { table: 'session_analytics', name: 'session_analytics_user_event_unique', fields: ['user_id', 'event_id'], unique: true },
  { table: 'session_analytics', name: 'session_analytics_event', fields: ['event_id'] },
  { table: 'viewer_samples', name: 'viewer_samples_event_time', fields: ['event_id', 'sampled_at'] },
  { table: 'question_votes', name: 'question_votes_unique', fields: ['question_id', 'user_id'], unique: true },
  { table: 'moderation_actions', name: 'moderation_actions_event', fields: ['event_id', 'id'] },
  { table: 'webhooks', name: 'webhooks_event', fields: ['event_id'] },
  { table: 'webhook_deliveries', name: 'webhook_deliveries_webhook', fields: ['webhook_id', 'id'] },
];

/**
 * Creates each table that is missing and adds each column that is missing, so a
 * database of the original system (same table names, fewer columns) is brought
 * up to date in place without touching its rows.
 */
export const schemaMigration = {
  name: '001-schema',
  async up({ context }: { context: MigrationContext }) {
    const { queryInterface } = context;
    for (const model of tables) {
      const attributes = model.getAttributes() as Record<string, ModelAttributeColumnOptions>;
      if (!(await tableExists(context, model.tableName))) {
        await queryInterface.createTable(model.tableName, attributes);
        continue;
      }
      const existing = await queryInterface.describeTable(model.tableName);
      for (const [column, definition] of Object.entries(attributes)) {
        if (column in existing) continue;
        context.log(`adding ${model.tableName}.${column}`);
        // A NOT NULL column without a default cannot be added to a table with rows, nor can
        // SQLite add one whose default is the current time: such columns go in nullable,
        // and the time ones are filled with the time of the adoption.
        const timeDefault = definition.defaultValue instanceof DataTypes.NOW && context.dialect === 'sqlite';
        const addable =
          definition.allowNull === false && (definition.defaultValue === undefined || timeDefault)
            ? { ...definition, allowNull: true, ...(timeDefault ? { defaultValue: undefined } : {}) }
            : definition;
        await queryInterface.addColumn(model.tableName, column, addable);
        if (timeDefault) {
          await context.sequelize.query(
            `UPDATE ${queryInterface.quoteIdentifier(model.tableName)} SET ${queryInterface.quoteIdentifier(column)} = ? WHERE ${queryInterface.quoteIdentifier(column)} IS NULL`,
            { replacements: [new Date()] },
          );
        }
      }
    }
    for (const index of indexes) {
      if (await indexExists(context, index.table, index.name)) continue;
      if (index.unique && (await hasDuplicates(context, index))) {
        context.log(
          `not adding unique index ${index.name}: ${index.table} has duplicate (${index.fields.join(', ')}) rows; resolve them and run migrate again`,
        );
        continue;
      }
      await queryInterface.addIndex(index.table, index.fields, { name: index.name, unique: index.unique ?? false });
    }
  },
};

async function hasDuplicates(context: MigrationContext, index: IndexSpec): Promise<boolean> {
  const columns = index.fields.map((field) => context.queryInterface.quoteIdentifier(field)).join(', ');
  const table = context.queryInterface.quoteIdentifier(index.table);
  const [rows] = await context.sequelize.query(
    `SELECT 1 FROM ${table} GROUP BY ${columns} HAVING COUNT(*) > 1 LIMIT 1`,
  );
  return rows.length > 0;
}
