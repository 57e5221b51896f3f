import type { MigrationContext } from './context.js';

/*
 * A client id (`cid`) is 8–64 of A–Z, a–z, 0–9, _ and - (Limits.clientIdPattern): `abcdefgh`
 * and `ABCDEFGH` are two ids. Under the text collation of 006 (case-insensitive) MariaDB's
 * unique (user_id, client_id) index held them for one, so a second message whose cid differed
 * from the first only in case collided with it; SQLite, which compares bytes, stored both.
 * utf8mb4_bin compares bytes on MariaDB and MySQL too, and only loosens the index: no stored
 * pair can collide under it. Spelled out here rather than read from the model.
 */
const tables = ['chat_messages', 'questions'];

/** Client ids compared byte for byte on MySQL and MariaDB, as on SQLite. */
export const clientIdCaseMigration = {
  name: '013-client-id-case',
  async up({ context }: { context: MigrationContext }) {
    if (context.dialect !== 'mysql') return;
    const { sequelize, queryInterface } = context;
    for (const table of tables) {
      await sequelize.query(
        `ALTER TABLE ${queryInterface.quoteIdentifier(table)} MODIFY client_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`,
      );
    }
  },
};
