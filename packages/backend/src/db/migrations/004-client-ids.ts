import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import { indexExists, type MigrationContext } from './context.js';

/*
 * Spelled out here rather than read from the model, so this migration keeps doing the same
 * thing when the model changes later. On a fresh database 001 already created the column from
 * the model, and this adds only the index. Nullable, so rows of the original system (and
 * clients that send no id) fit; a unique index lets NULL repeat on SQLite and MariaDB alike.
 */
const clientId: ModelAttributeColumnOptions = { type: DataTypes.STRING(64), allowNull: true };

const tables = [
  { table: 'chat_messages', index: 'chat_messages_user_client_unique' },
  { table: 'questions', index: 'questions_user_client_unique' },
];

/** The client's own id of each chat message and question, so a resent one is stored once. */
export const clientIdsMigration = {
  name: '004-client-ids',
  async up({ context }: { context: MigrationContext }) {
    const { queryInterface } = context;
    for (const { table, index } of tables) {
      const existing = await queryInterface.describeTable(table);
      if (!('client_id' in existing)) await queryInterface.addColumn(table, 'client_id', clientId);
      if (!(await indexExists(context, table, index))) {
        await queryInterface.addIndex(table, ['user_id', 'client_id'], { name: index, unique: true });
      }
    }
  },
};
