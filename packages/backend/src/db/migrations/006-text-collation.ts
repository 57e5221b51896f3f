import { QueryTypes, type Sequelize } from 'sequelize';
import type { MigrationContext } from './context.js';

/*
 * MySQL's and MariaDB's usual utf8mb4 collations weigh every emoji alike: under
 * utf8mb4_general_ci (MariaDB's default) `'🍺' LIKE '%🍕%'` is true, and under
 * utf8mb4_unicode_ci `'🍺' = '🍕'` is. Both collations below tell emoji apart and still ignore
 * case and accents (`'Peña' = 'pena'`), checked on MariaDB 10.11. The first one the server
 * knows wins: uca1400 (MariaDB 10.10+, Unicode 14) sorts newer scripts and symbols better;
 * unicode_520 exists on MySQL 5.6+ and MariaDB 10.0+.
 */
export const textCollations = ['utf8mb4_uca1400_ai_ci', 'utf8mb4_unicode_520_ci'] as const;

/** The first of `textCollations` the MySQL or MariaDB server behind `sequelize` has. */
export async function pickTextCollation(sequelize: Sequelize): Promise<string> {
  for (const collation of textCollations) {
    try {
      await sequelize.query(`SELECT _utf8mb4'a' COLLATE ${collation}`, { type: QueryTypes.SELECT });
      return collation;
    } catch {
      // ER_UNKNOWN_COLLATION: try the next one.
    }
  }
  throw new Error(`the database server has none of the collations ${textCollations.join(', ')}`);
}

/**
 * Converts every table of the database, and the database's default for tables made later, to
 * the collation `pickTextCollation` chooses, whatever the database was created with. SQLite
 * needs nothing: its `=` and `LIKE` compare code points (LIKE folds ASCII case only), so emoji
 * already differ there. Each ALTER rebuilds its table: on a large
 * database this migration takes a while, once.
 */
export const textCollationMigration = {
  name: '006-text-collation',
  async up({ context }: { context: MigrationContext }) {
    if (context.dialect !== 'mysql') return;
    const { sequelize, queryInterface } = context;
    const collation = await pickTextCollation(sequelize);
    await sequelize.query(`ALTER DATABASE CHARACTER SET utf8mb4 COLLATE ${collation}`);
    const tables = await sequelize.query<{ name: string }>(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_COLLATION <> ?`,
      { replacements: [collation], type: QueryTypes.SELECT },
    );
    for (const { name } of tables) {
      context.log(`converting ${name} to ${collation}`);
      await sequelize.query(`ALTER TABLE ${queryInterface.quoteIdentifier(name)} CONVERT TO CHARACTER SET utf8mb4 COLLATE ${collation}`);
    }
  },
};
