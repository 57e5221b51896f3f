import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import { indexExists, tableExists, type MigrationContext } from './context.js';

/*
 * Spelled out here rather than read from the model, so this migration keeps doing the same
 * thing when the model changes later. On a fresh database 001 already created these columns
 * from the model, and this adds the table of held messages and the indexes.
 */
const columns: Record<string, Record<string, ModelAttributeColumnOptions>> = {
  events: {
    allow_anonymous_questions: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    blocked_words: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    blocked_words_action: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'hold' },
    default_words_es: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    default_words_en: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    pinned_chat: { type: DataTypes.TEXT, allowNull: true },
  },
  users: {
    chat_blocked_until: { type: DataTypes.DATE, allowNull: true },
    qa_blocked_until: { type: DataTypes.DATE, allowNull: true },
  },
  questions: {
    anonymous: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    answer: { type: DataTypes.TEXT, allowNull: true },
    answered_at: { type: DataTypes.DATE, allowNull: true },
    answered_by: { type: DataTypes.INTEGER, allowNull: true },
    archived_at: { type: DataTypes.DATE, allowNull: true },
    label: { type: DataTypes.STRING(40), allowNull: true },
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    editing_by: { type: DataTypes.INTEGER, allowNull: true },
    editing_until: { type: DataTypes.DATE, allowNull: true },
  },
  moderation_actions: {
    reason: { type: DataTypes.STRING(200), allowNull: true },
    detail: { type: DataTypes.TEXT, allowNull: true },
  },
};

const heldChat: Record<string, ModelAttributeColumnOptions> = {
  id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
  event_id: { type: DataTypes.INTEGER, allowNull: false },
  user_id: { type: DataTypes.INTEGER, allowNull: false },
  user_name: { type: DataTypes.STRING(120), allowNull: false },
  message: { type: DataTypes.TEXT, allowNull: false },
  words: { type: DataTypes.TEXT, allowNull: false },
  status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'held' },
  reason: { type: DataTypes.STRING(200), allowNull: true },
  chat_id: { type: DataTypes.INTEGER, allowNull: true },
  decided_by: { type: DataTypes.INTEGER, allowNull: true },
  created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
};

/**
 * Q&A depth and chat safety: anonymous questions, answers, archiving, edits and labels; the
 * event's blocked words and pin; timeouts; the reason and detail of each logged action; and
 * the chat messages held for review.
 */
export const moderationDepthMigration = {
  name: '009-moderation-depth',
  async up({ context }: { context: MigrationContext }) {
    const { queryInterface } = context;
    for (const [table, added] of Object.entries(columns)) {
      const existing = await queryInterface.describeTable(table);
      for (const [column, spec] of Object.entries(added)) {
        if (!(column in existing)) await queryInterface.addColumn(table, column, spec);
      }
    }
    if (!(await tableExists(context, 'held_chat_messages'))) await queryInterface.createTable('held_chat_messages', heldChat);
    if (!(await indexExists(context, 'held_chat_messages', 'held_chat_messages_event_status'))) {
      await queryInterface.addIndex('held_chat_messages', ['event_id', 'status'], { name: 'held_chat_messages_event_status' });
    }
    if (!(await indexExists(context, 'chat_messages', 'chat_messages_event_user'))) {
      await queryInterface.addIndex('chat_messages', ['event_id', 'user_id'], { name: 'chat_messages_event_user' });
    }
  },
};
