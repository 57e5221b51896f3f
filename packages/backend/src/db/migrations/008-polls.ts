import { DataTypes } from 'sequelize';
import { indexExists, tableExists, type MigrationContext } from './context.js';

/*
 * Spelled out here rather than read from the models, so this migration keeps doing the same
 * thing when a model changes later.
 */
const id = () => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true });

const tables = {
  polls: {
    id: id(),
    event_id: { type: DataTypes.INTEGER, allowNull: false },
    kind: { type: DataTypes.STRING(20), allowNull: false },
    question: { type: DataTypes.TEXT, allowNull: false },
    options: { type: DataTypes.TEXT, allowNull: false },
    correct: { type: DataTypes.TEXT, allowNull: true },
    max_choices: { type: DataTypes.INTEGER, allowNull: true },
    time_limit_s: { type: DataTypes.INTEGER, allowNull: true },
    status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'draft' },
    results_visible: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    created_by: { type: DataTypes.INTEGER, allowNull: false },
    created_at: { type: DataTypes.DATE(3), allowNull: false },
    opened_at: { type: DataTypes.DATE(3), allowNull: true },
    closed_at: { type: DataTypes.DATE(3), allowNull: true },
  },
  poll_votes: {
    id: id(),
    poll_id: { type: DataTypes.INTEGER, allowNull: false },
    event_id: { type: DataTypes.INTEGER, allowNull: false },
    user_id: { type: DataTypes.INTEGER, allowNull: false },
    choices: { type: DataTypes.TEXT, allowNull: true },
    rating: { type: DataTypes.INTEGER, allowNull: true },
    words: { type: DataTypes.TEXT, allowNull: true },
    text: { type: DataTypes.TEXT, allowNull: true },
    answer_status: { type: DataTypes.STRING(10), allowNull: true },
    correct: { type: DataTypes.BOOLEAN, allowNull: true },
    score: { type: DataTypes.INTEGER, allowNull: true },
    answer_ms: { type: DataTypes.INTEGER, allowNull: true },
    created_at: { type: DataTypes.DATE(3), allowNull: false },
  },
  poll_templates: {
    id: id(),
    created_by: { type: DataTypes.INTEGER, allowNull: false },
    kind: { type: DataTypes.STRING(20), allowNull: false },
    question: { type: DataTypes.TEXT, allowNull: false },
    draft: { type: DataTypes.TEXT, allowNull: false },
    created_at: { type: DataTypes.DATE(3), allowNull: false },
  },
  reaction_counts: {
    id: id(),
    event_id: { type: DataTypes.INTEGER, allowNull: false },
    minute: { type: DataTypes.DATE, allowNull: false },
    emoji: { type: DataTypes.STRING(16), allowNull: false },
    count: { type: DataTypes.INTEGER, allowNull: false },
  },
};

const indexes = [
  { table: 'polls', name: 'polls_event', fields: ['event_id'] },
  // One answer per person and poll: the database refuses the second, so stored counts equal acks.
  { table: 'poll_votes', name: 'poll_votes_poll_user_unique', fields: ['poll_id', 'user_id'], unique: true },
  { table: 'poll_votes', name: 'poll_votes_event_user', fields: ['event_id', 'user_id'] },
  { table: 'reaction_counts', name: 'reaction_counts_event_minute_emoji_unique', fields: ['event_id', 'minute', 'emoji'], unique: true },
];

/** Polls, quizzes and their answers, poll templates, and the per-minute reaction counts. */
export const pollsMigration = {
  name: '008-polls',
  async up({ context }: { context: MigrationContext }) {
    const { queryInterface } = context;
    for (const [table, columns] of Object.entries(tables)) {
      if (!(await tableExists(context, table))) await queryInterface.createTable(table, columns);
    }
    for (const { table, name, fields, unique } of indexes) {
      if (!(await indexExists(context, table, name))) await queryInterface.addIndex(table, fields, { name, unique: unique ?? false });
    }
  },
};
