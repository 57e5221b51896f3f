import { DataTypes } from 'sequelize';
import { indexExists, type MigrationContext } from './context.js';

const table = 'held_chat_messages';
const index = 'held_chat_messages_user_client_unique';

/**
 * The sender's own id (`cid`) of a message held for review, unique per user as on
 * chat_messages (004, 013): a held message resent with its cid is held once, not once per
 * send. Compared byte for byte on MySQL and MariaDB, as on SQLite. Spelled out here rather
 * than read from the model.
 */
export const heldChatClientIdsMigration = {
  name: '015-held-chat-client-ids',
  async up({ context }: { context: MigrationContext }) {
    const { sequelize, queryInterface, dialect } = context;
    const existing = await queryInterface.describeTable(table);
    if (!('client_id' in existing)) await queryInterface.addColumn(table, 'client_id', { type: DataTypes.STRING(64), allowNull: true });
    if (dialect === 'mysql') {
      await sequelize.query(
        `ALTER TABLE ${queryInterface.quoteIdentifier(table)} MODIFY client_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`,
      );
    }
    if (!(await indexExists(context, table, index))) await queryInterface.addIndex(table, ['user_id', 'client_id'], { name: index, unique: true });
  },
};
