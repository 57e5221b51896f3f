import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize, type Options } from 'sequelize';
import { defineModels } from './models.js';

export type Dialect = 'sqlite' | 'mysql';

export interface Database {
  sequelize: Sequelize;
  dialect: Dialect;
  close(): Promise<void>;
}

/**
 * Opens the database named by DATABASE_URL: `sqlite:PATH` (the embedded default),
 * `sqlite::memory:`, or `mysql://user:pass@host:port/db` (MySQL or MariaDB).
 */
export async function openDatabase(url: string): Promise<Database> {
  const sequelize = url.startsWith('sqlite:') ? openSqlite(url) : openMysql(url);
  defineModels(sequelize);
  await sequelize.authenticate();
  const dialect = sequelize.getDialect() as Dialect;
  if (dialect === 'sqlite') {
    // WAL lets readers go on while a writer commits; the busy timeout waits out short locks.
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query('PRAGMA busy_timeout = 5000');
    await sequelize.query('PRAGMA synchronous = NORMAL');
  }
  return { sequelize, dialect, close: () => sequelize.close() };
}

const common: Options = { logging: false, define: { timestamps: false, underscored: true } };

function openSqlite(url: string): Sequelize {
  const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
  const storage = path === ':memory:' ? ':memory:' : resolve(path);
  if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
  // One connection: SQLite serializes writers anyway, and a single handle keeps
  // transactions from tripping over each other's locks.
  return new Sequelize({ ...common, dialect: 'sqlite', storage, pool: { max: 1, min: 1, idle: 60_000 } });
}

function openMysql(url: string): Sequelize {
  if (!/^(mysql|mariadb):\/\//.test(url)) {
    throw new Error(`DATABASE_URL must start with sqlite: or mysql://, got "${url.replace(/\/\/[^@]*@/, '//…@')}"`);
  }
  return new Sequelize(url.replace(/^mariadb:/, 'mysql:'), {
    ...common,
    dialect: 'mysql',
    timezone: '+00:00',
    // Short waits: while the database is unreachable a request fails fast with a 503 instead
    // of hanging; the pool opens fresh connections by itself once it is back.
    pool: { max: 20, min: 0, acquire: 5_000, idle: 10_000 },
    dialectOptions: { charset: 'utf8mb4', connectTimeout: 3_000 },
  });
}
