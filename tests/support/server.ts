import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { defaultRateLimits, loadConfig, type Config } from '../../packages/backend/src/config.js';
import { pickTextCollation } from '../../packages/backend/src/db/migrations/006-text-collation.js';
import { startServer, type RunningServer } from '../../packages/backend/src/server.js';

/** An empty database of one test run: its URL and a way to drop it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface DatabaseTarget {
  name: 'sqlite' | 'mariadb';
  create(): Promise<TestDatabase>;
}

const sqlite: DatabaseTarget = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'palco-test-'));
    return { url: `sqlite:${join(dir, 'palco.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

/**
 * Creates database `name` (a fresh random one unless given) on the MariaDB server at `serverUrl`,
 * with the collation Palco's migrations convert to, or with `collation` (`null`: the server's default).
 */
export async function createMariadbDatabase(
  serverUrl: string,
  name = `palco_t_${randomBytes(6).toString('hex')}`,
  collation?: string | null,
): Promise<TestDatabase> {
  const admin = new Sequelize(serverUrl, { logging: false, dialect: 'mysql' });
  const chosen = collation === undefined ? await pickTextCollation(admin) : collation;
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4${chosen ? ` COLLATE ${chosen}` : ''}`);
  await admin.close();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new Sequelize(serverUrl, { logging: false, dialect: 'mysql' });
      await dropper.query(`DROP DATABASE IF EXISTS ${name}`);
      await dropper.close();
    },
  };
}

/** MariaDB when TEST_MYSQL_URL names a server (mysql://root@127.0.0.1:3306/test): each run gets its own database. */
function mariadb(serverUrl: string): DatabaseTarget {
  return { name: 'mariadb', create: () => createMariadbDatabase(serverUrl) };
}

/** SQLite always; MariaDB too when TEST_MYSQL_URL is set. */
export const databaseTargets: DatabaseTarget[] = process.env.TEST_MYSQL_URL
  ? [sqlite, mariadb(process.env.TEST_MYSQL_URL)]
  : [sqlite];

if (!process.env.TEST_MYSQL_URL && !process.env.PALCO_QUIET_SKIPS) {
  process.env.PALCO_QUIET_SKIPS = '1';
  console.warn('TEST_MYSQL_URL is not set: database tests run on SQLite only (MariaDB suites skipped).');
}

export interface TestServer extends RunningServer {
  config: Config;
  adminEmail: string;
  adminPassword: string;
  /** What the server logged at error level lately (its last 20 lines), for a failing test to show. */
  loggedErrors(): string;
  stop(): Promise<void>;
}

/** Keeps a server's last `keep` log lines in memory instead of printing them. */
function logKeeper(keep = 20) {
  const lines: string[] = [];
  return {
    destination: {
      write(line: string) {
        lines.push(line.length > 4_000 ? `${line.slice(0, 4_000)}…` : line);
        if (lines.length > keep) lines.shift();
      },
    },
    text: () => lines.join(''),
  };
}

export const testAdmin = { email: 'admin@palco.test', password: 'admin-password-123' };

/** The databases of the servers running in this test process, one entry per server. */
const openDatabases: string[] = [];
const forgetDatabase = (url: string) => {
  const index = openDatabases.indexOf(url);
  if (index >= 0) openDatabases.splice(index, 1);
};

/**
 * A real server on a random port, on its own fresh database.
 *
 * Servers in one process share the database models, which bind to the database opened last:
 * a second server on another database while one runs would leave the first reading and writing
 * the second's (and, once it stops, a closed one). So that is refused here; two servers in one
 * process must share one database, and separate databases need separate processes (`useServers`).
 */
export async function startTestServer(
  target: DatabaseTarget,
  overrides: Partial<Config> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<TestServer> {
  const database = await target.create();
  const other = openDatabases.find((url) => url !== database.url);
  if (other) {
    await database.drop();
    throw new Error(`a test server on ${other} is still running in this process: stop it first, or share its database`);
  }
  openDatabases.push(database.url);
  const dataDir = mkdtempSync(join(tmpdir(), 'palco-data-'));
  const kept = logKeeper();
  const config: Config = {
    ...loadConfig({
      PALCO_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      PALCO_SECRET: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: testAdmin.email,
      ADMIN_PASSWORD: testAdmin.password,
      PALCO_DEMO: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      // Errors are kept for a failing test to show (loggedErrors); TEST_LOG_LEVEL prints them all.
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      ...env,
    }),
    rateLimits: { ...defaultRateLimits },
    ...(process.env.TEST_LOG_LEVEL ? {} : { logDestination: kept.destination }),
    ...overrides,
  };
  const server = await startServer(config).catch((error: unknown) => {
    forgetDatabase(database.url);
    throw error;
  });
  // Links in emails and calendars point at this server, whose port is known only now.
  if (!env.PALCO_PUBLIC_URL) config.publicUrl = server.url;
  return {
    ...server,
    config,
    adminEmail: testAdmin.email,
    adminPassword: testAdmin.password,
    loggedErrors: kept.text,
    async stop() {
      try {
        await server.close();
      } finally {
        forgetDatabase(database.url);
      }
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
