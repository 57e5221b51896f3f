import bcrypt from 'bcrypt';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../packages/backend/src/db/database.js';
import { migrate } from '../../packages/backend/src/db/migrate.js';
import { api } from '../support/http.js';
import { databaseTargets, type DatabaseTarget } from '../support/server.js';
import { useServer } from '../support/fixture.js';

/*
 * A database of the original system: its tables with only their original columns,
 * plain-text passwords, and staff kept apart in event_staff. `palco migrate` must
 * adopt it in place without losing a row.
 */

const legacyAccessCode = 'generic-2023';

type Row = Record<string, string | number | null>;

const original: Record<string, { columns: string; rows: Row[] }> = {
  events: {
    columns: 'slug VARCHAR(64) NOT NULL UNIQUE, title VARCHAR(200) NOT NULL, logo_url VARCHAR(500) NULL, video_url VARCHAR(500) NULL, is_active TINYINT(1) NOT NULL DEFAULT 1, created_at DATETIME NOT NULL',
    rows: [
      { id: 1, slug: 'congreso-2023', title: 'Congreso 2023', logo_url: 'https://cdn.example/logo.png', video_url: null, is_active: 1, created_at: '2023-05-01 10:00:00' },
      { id: 2, slug: 'town-hall', title: 'Town Hall «ñ» 🎉', logo_url: null, video_url: 'https://video.example/live.m3u8', is_active: 0, created_at: '2023-06-01 09:30:00' },
    ],
  },
  users: {
    columns: 'name VARCHAR(100) NOT NULL, email VARCHAR(150) NOT NULL, phone VARCHAR(30) NULL, password VARCHAR(50) NULL, role VARCHAR(20) NOT NULL, event_id INT NULL, chat_blocked TINYINT(1) NOT NULL DEFAULT 0, qa_blocked TINYINT(1) NOT NULL DEFAULT 0, banned TINYINT(1) NOT NULL DEFAULT 0, created_at DATETIME NOT NULL',
    rows: [
      { id: 1, name: 'Ada Admin', email: 'admin@original.test', phone: null, password: 'admin-plain-1', role: 'administrador', event_id: null, chat_blocked: 0, qa_blocked: 0, banned: 0, created_at: '2023-01-01 00:00:00' },
      { id: 2, name: 'Juan Pérez', email: 'juan@empresa.com', phone: '+52 55 1234 5678', password: 'congreso2023', role: 'visor', event_id: 1, chat_blocked: 1, qa_blocked: 0, banned: 0, created_at: '2023-05-02 11:00:00' },
      { id: 3, name: 'María O\'Neil', email: 'Maria@Empresa.com', phone: null, password: null, role: 'visor', event_id: 1, chat_blocked: 0, qa_blocked: 1, banned: 0, created_at: '2023-05-02 11:05:00' },
      { id: 4, name: 'Mod Uno', email: 'mod@empresa.com', phone: null, password: 'mod-plain-pass', role: 'moderador', event_id: 1, chat_blocked: 0, qa_blocked: 0, banned: 0, created_at: '2023-05-01 08:00:00' },
      { id: 5, name: 'Bloqueado', email: 'bad@empresa.com', phone: null, password: null, role: 'visor', event_id: 1, chat_blocked: 0, qa_blocked: 0, banned: 1, created_at: '2023-05-02 12:00:00' },
      { id: 6, name: 'Juan Pérez', email: 'juan@empresa.com', phone: null, password: null, role: 'visor', event_id: 2, chat_blocked: 0, qa_blocked: 0, banned: 0, created_at: '2023-06-01 10:00:00' },
    ],
  },
  questions: {
    columns: 'user_id INT NOT NULL, user_name VARCHAR(100) NOT NULL, question_text TEXT NOT NULL, status VARCHAR(20) NOT NULL, event_id INT NOT NULL, created_at DATETIME NOT NULL',
    rows: [
      { id: 1, user_id: 2, user_name: 'Juan Pérez', question_text: '¿Cuándo sale el informe? 📊', status: 'approved', event_id: 1, created_at: '2023-05-02 11:10:00' },
      { id: 2, user_id: 3, user_name: "María O'Neil", question_text: "What's next; DROP TABLE questions;--", status: 'pending', event_id: 1, created_at: '2023-05-02 11:11:00' },
      { id: 3, user_id: 6, user_name: 'Juan Pérez', question_text: 'مرحبا؟', status: 'read', event_id: 2, created_at: '2023-06-01 10:05:00' },
    ],
  },
  chat_messages: {
    columns: 'user_id INT NOT NULL, user_name VARCHAR(100) NOT NULL, message TEXT NOT NULL, event_id INT NOT NULL, created_at DATETIME NOT NULL',
    rows: [
      { id: 1, user_id: 2, user_name: 'Juan Pérez', message: 'Hola a todos 👋', event_id: 1, created_at: '2023-05-02 11:01:00' },
      { id: 2, user_id: 3, user_name: "María O'Neil", message: '<b>no html</b> & "quotes"', event_id: 1, created_at: '2023-05-02 11:02:00' },
      { id: 3, user_id: 6, user_name: 'Juan Pérez', message: 'Adiós', event_id: 2, created_at: '2023-06-01 10:06:00' },
    ],
  },
  session_analytics: {
    columns: 'user_id INT NOT NULL, event_id INT NOT NULL, start_time DATETIME NOT NULL, last_ping DATETIME NOT NULL, total_minutes INT NOT NULL DEFAULT 0',
    rows: [
      { id: 1, user_id: 2, event_id: 1, start_time: '2023-05-02 11:00:00', last_ping: '2023-05-02 12:30:00', total_minutes: 90 },
      { id: 2, user_id: 3, event_id: 1, start_time: '2023-05-02 11:05:00', last_ping: '2023-05-02 11:20:00', total_minutes: 15 },
    ],
  },
  event_staff: {
    columns: 'event_id INT NOT NULL, name VARCHAR(100) NOT NULL, email VARCHAR(150) NOT NULL, password VARCHAR(50) NOT NULL, role VARCHAR(20) NOT NULL, created_at DATETIME NOT NULL',
    rows: [
      { id: 1, event_id: 1, name: 'Sara Speaker', email: 'speaker@empresa.com', password: 'speaker-plain', role: 'speaker', created_at: '2023-04-30 09:00:00' },
      { id: 2, event_id: 2, name: 'Mod Dos', email: 'MOD2@Empresa.com', password: 'mod2-plain', role: 'moderador', created_at: '2023-05-31 09:00:00' },
      // Also in users already: merged, keeping the password users had.
      { id: 3, event_id: 1, name: 'Mod Uno', email: 'mod@empresa.com', password: 'other-plain', role: 'moderador', created_at: '2023-05-01 08:00:00' },
    ],
  },
};

const originalTables = ['events', 'users', 'questions', 'chat_messages', 'session_analytics'] as const;

async function buildOriginalDatabase(db: Database) {
  const primaryKey = db.dialect === 'sqlite' ? 'id INTEGER PRIMARY KEY AUTOINCREMENT' : 'id INT AUTO_INCREMENT PRIMARY KEY';
  for (const [table, { columns, rows }] of Object.entries(original)) {
    await db.sequelize.query(`CREATE TABLE ${table} (${primaryKey}, ${columns})`);
    for (const row of rows) {
      const names = Object.keys(row);
      await db.sequelize.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, {
        replacements: Object.values(row),
      });
    }
  }
}

/** A column as the original system wrote it, whatever the driver returns (Date, string, 0/1). */
function comparable(value: unknown): string | number | null {
  if (value == null) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace('T', ' ');
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return String(value).slice(0, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(String(value)) ? 19 : undefined);
}

async function selectAll(db: Database, table: string): Promise<Array<Record<string, unknown>>> {
  return db.sequelize.query(`SELECT * FROM ${table} ORDER BY id`, { type: QueryTypes.SELECT });
}

async function snapshot(db: Database) {
  const tables = [...originalTables, 'event_staff_adopted'];
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await selectAll(db, table)] as const)));
}

describe.each(databaseTargets)('palco migrate adopts an original database on $name', (target) => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let applied: string[];
  beforeAll(async () => {
    database = await target.create();
    db = await openDatabase(database.url);
    await buildOriginalDatabase(db);
    applied = await migrate(db, { legacyAccessCode });
  });
  afterAll(async () => {
    await db?.close().catch(() => {});
    await database?.drop();
  });

  it('applies every migration', () => {
    expect(applied).toEqual(expect.arrayContaining(['001-schema', '002-adopt-original']));
  });

  it('keeps every original row and column value', async () => {
    for (const table of originalTables) {
      const rows = await selectAll(db, table);
      const expected = original[table]!.rows;
      expect(rows.length, table).toBeGreaterThanOrEqual(expected.length);
      for (const want of expected) {
        const got = rows.find((row) => Number(row.id) === want.id);
        expect(got, `${table} ${want.id}`).toBeDefined();
        for (const [column, value] of Object.entries(want)) {
          if (column === 'password' || (table === 'users' && column === 'email')) continue;
          expect(comparable(got![column]), `${table}.${column} of ${want.id}`).toEqual(comparable(value));
        }
      }
    }
    expect(await db.sequelize.query('SELECT id FROM users', { type: QueryTypes.SELECT })).toHaveLength(8);
  });

  it('keeps emails, lower-cased so that sign-in finds them', async () => {
    const users = await selectAll(db, 'users');
    for (const want of original.users!.rows) {
      const got = users.find((row) => Number(row.id) === want.id)!;
      expect(got.email).toBe(String(want.email).toLowerCase());
    }
  });

  it('replaces every plain-text password with a bcrypt hash of it', async () => {
    const users = await selectAll(db, 'users');
    for (const want of original.users!.rows) {
      const got = users.find((row) => Number(row.id) === want.id)!;
      if (want.password == null) {
        expect(got.password, `user ${want.id}`).toBeNull();
        continue;
      }
      expect(String(got.password)).toMatch(/^\$2[aby]\$\d\d\$/);
      expect(await bcrypt.compare(String(want.password), String(got.password)), `user ${want.id}`).toBe(true);
    }
    for (const row of await selectAll(db, 'event_staff_adopted')) {
      const want = original.event_staff!.rows.find((candidate) => candidate.id === Number(row.id))!;
      expect(await bcrypt.compare(String(want.password), String(row.password)), `event_staff ${want.id}`).toBe(true);
    }
  });

  it('moves event_staff rows into users and keeps the original table as event_staff_adopted', async () => {
    const tables = (await db.sequelize.getQueryInterface().showAllTables()).map((entry) =>
      typeof entry === 'string' ? entry : (entry as { tableName: string }).tableName,
    );
    expect(tables).toContain('event_staff_adopted');
    expect(tables).not.toContain('event_staff');
    const adopted = await selectAll(db, 'event_staff_adopted');
    expect(adopted.map((row) => comparable(row.email))).toEqual(original.event_staff!.rows.map((row) => row.email));
    const users = await selectAll(db, 'users');
    const speaker = users.find((row) => row.email === 'speaker@empresa.com')!;
    expect(speaker).toMatchObject({ name: 'Sara Speaker', role: 'speaker' });
    expect(Number(speaker.event_id)).toBe(1);
    expect(comparable(speaker.created_at)).toBe('2023-04-30 09:00:00');
    expect(await bcrypt.compare('speaker-plain', String(speaker.password))).toBe(true);
    const secondModerator = users.find((row) => row.email === 'mod2@empresa.com')!;
    expect(secondModerator.role).toBe('moderador');
    expect(Number(secondModerator.event_id)).toBe(2);
    const merged = users.filter((row) => row.email === 'mod@empresa.com');
    expect(merged).toHaveLength(1);
    expect(await bcrypt.compare('mod-plain-pass', String(merged[0]!.password))).toBe(true);
  });

  it('adds the new columns with their defaults', async () => {
    for (const user of await selectAll(db, 'users')) expect(Number(user.token_version)).toBe(0);
    for (const event of await selectAll(db, 'events')) {
      expect(event.allowed_email_domains).toBe('');
      expect(event.allowed_origins).toBe('');
      expect(Number(event.slow_mode_seconds)).toBe(0);
      expect(String(event.embed_secret)).toMatch(/^[0-9a-f]{64}$/);
      expect(await bcrypt.compare(legacyAccessCode, String(event.access_code_hash))).toBe(true);
      expect(event.updated_at).not.toBeNull();
      // Adopted attendees have no way to receive a sign-in link yet: they keep the access code.
      expect(event.sign_in).toBe('access_code');
      expect(event.time_zone).toBe('UTC');
    }
    for (const question of await selectAll(db, 'questions')) {
      expect(Number(question.upvotes)).toBe(0);
      expect(question.moderated_by).toBeNull();
    }
    for (const message of await selectAll(db, 'chat_messages')) expect(message.deleted_at).toBeNull();
    const analytics = await selectAll(db, 'session_analytics');
    expect(analytics.map((row) => Number(row.total_seconds))).toEqual([90 * 60, 15 * 60]);
    // Everything watched before watch time was split by phase was watched live (011-watch-phases).
    expect(analytics.map((row) => [Number(row.live_seconds), Number(row.on_demand_seconds)])).toEqual([
      [90 * 60, 0],
      [15 * 60, 0],
    ]);
  });

  it('changes nothing when run again', async () => {
    const before = await snapshot(db);
    expect(await migrate(db, { legacyAccessCode })).toEqual([]);
    expect(await snapshot(db)).toEqual(before);
  });

  describe('then serves the adopted accounts', () => {
    // The server starts on the adopted database itself, which the outer suite drops.
    const adopted: DatabaseTarget = { name: target.name, create: async () => ({ url: database.url, drop: async () => {} }) };
    beforeAll(async () => {
      await db.close();
    });
    // Registered before the server's hooks, so it runs once the server has stopped.
    afterAll(async () => {
      db = await openDatabase(database.url);
    });
    const server = useServer(adopted);

    const login = (slug: string, email: string, password: string) =>
      api(server.url, `/api/events/${slug}/login`, { body: { email, password } });

    it.each([
      ['congreso-2023', 'speaker@empresa.com', 'speaker-plain', '/e/congreso-2023/speaker'],
      ['congreso-2023', 'mod@empresa.com', 'mod-plain-pass', '/e/congreso-2023/mod'],
      ['town-hall', 'mod2@empresa.com', 'mod2-plain', '/e/town-hall/mod'],
      ['congreso-2023', 'juan@empresa.com', legacyAccessCode, '/e/congreso-2023/watch'],
      ['congreso-2023', 'maria@empresa.com', legacyAccessCode, '/e/congreso-2023/watch'],
      ['congreso-2023', 'admin@original.test', 'admin-plain-1', '/admin/events'],
    ])('signs in %s %s with the old password', async (slug, email, password, redirect) => {
      const response = await login(slug, email, password);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.redirect).toBe(redirect);
    });

    it('keeps the original moderation flags and the closed event', async () => {
      expect((await login('congreso-2023', 'bad@empresa.com', legacyAccessCode)).body.error).toBe('banned');
      expect((await login('town-hall', 'juan@empresa.com', legacyAccessCode)).body.error).toBe('event_closed');
      const juan = await login('congreso-2023', 'juan@empresa.com', legacyAccessCode);
      expect(juan.body.user).toMatchObject({ chat_blocked: true, qa_blocked: false, name: 'Juan Pérez' });
    });
  });
});
