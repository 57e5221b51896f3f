import type { QueryInterface, Sequelize } from 'sequelize';
import type { Dialect } from '../database.js';

export interface MigrationContext {
  sequelize: Sequelize;
  queryInterface: QueryInterface;
  dialect: Dialect;
  legacyAccessCode: string | null;
  log: (message: string) => void;
}

export async function tableExists(context: MigrationContext, table: string): Promise<boolean> {
  const tables = (await context.queryInterface.showAllTables()) as Array<string | { tableName: string }>;
  return tables.some((entry) => (typeof entry === 'string' ? entry : entry.tableName) === table);
}

export async function indexExists(context: MigrationContext, table: string, name: string): Promise<boolean> {
  const indexes = (await context.queryInterface.showIndex(table)) as Array<{ name: string }>;
  return indexes.some((index) => index.name === name);
}
