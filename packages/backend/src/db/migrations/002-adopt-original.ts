import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { hashSecret, isBcryptHash } from '../../auth/passwords.js';
import { tableExists, type MigrationContext } from './context.js';

const staffRoles = new Set(['moderador', 'speaker', 'administrador']);

/**
 * Fixes what the original system left weak: plain-text passwords become bcrypt
 * hashes, staff kept apart in `event_staff` move into `users`, and every event gets
 * an embed secret (and the generic access code, hashed, when one is given).
 * Rows are only ever updated or copied, never deleted.
 */
export const adoptionMigration = {
  name: '002-adopt-original',
  async up({ context }: { context: MigrationContext }) {
    await widenPasswordColumn(context, 'users');
    await hashPlainTextPasswords(context);
    await lowerCaseEmails(context);
    if (await tableExists(context, 'event_staff')) await moveEventStaff(context);
    await completeEvents(context);
    await context.sequelize.query(
      'UPDATE session_analytics SET total_seconds = total_minutes * 60 WHERE total_seconds = 0 AND total_minutes > 0',
    );
  },
};

async function widenPasswordColumn(context: MigrationContext, table: string) {
  if (context.dialect !== 'mysql') return; // SQLite does not enforce VARCHAR lengths
  const columns = await context.queryInterface.describeTable(table);
  const type = columns.password?.type ?? '';
  const length = Number(/\((\d+)\)/.exec(type)?.[1] ?? 0);
  if (/CHAR/i.test(type) && length < 100) {
    await context.sequelize.query(`ALTER TABLE ${table} MODIFY password VARCHAR(100) NULL`);
  }
}

async function hashPlainTextPasswords(context: MigrationContext) {
  const rows = await context.sequelize.query<{ id: number; password: string }>(
    'SELECT id, password FROM users WHERE password IS NOT NULL',
    { type: QueryTypes.SELECT },
  );
  let hashed = 0;
  for (const row of rows) {
    if (isBcryptHash(row.password)) continue;
    await context.sequelize.query('UPDATE users SET password = ? WHERE id = ?', {
      replacements: [await hashSecret(row.password), row.id],
    });
    hashed += 1;
  }
  if (hashed) context.log(`hashed ${hashed} plain-text password(s) with bcrypt`);
}

/**
 * Sign-in looks emails up lower-cased, and SQLite compares them case-sensitively, so a
 * "Maria@Empresa.com" of the original system could never sign in. An email that would
 * then clash with another row of the same event is left as it is, and reported.
 */
async function lowerCaseEmails(context: MigrationContext) {
  const rows = await context.sequelize.query<{ id: number; email: string; event_id: number | null }>(
    'SELECT id, email, event_id FROM users',
    { type: QueryTypes.SELECT },
  );
  const normal = (email: string) => email.trim().toLowerCase();
  for (const row of rows) {
    const email = normal(row.email);
    if (email === row.email) continue;
    const clash = rows.some((other) => other.id !== row.id && other.event_id === row.event_id && normal(other.email) === email);
    if (clash) {
      context.log(`user ${row.id} keeps the email "${row.email}": another account of the same event has it in other letter case`);
      continue;
    }
    await context.sequelize.query('UPDATE users SET email = ? WHERE id = ?', { replacements: [email, row.id] });
  }
}

type LegacyStaffRow = Record<string, unknown>;

async function moveEventStaff(context: MigrationContext) {
  await widenPasswordColumn(context, 'event_staff');
  const rows = await context.sequelize.query<LegacyStaffRow>('SELECT * FROM event_staff', { type: QueryTypes.SELECT });
  let created = 0;
  let merged = 0;
  for (const row of rows) {
    const email = String(row.email ?? '').trim().toLowerCase();
    const eventId = row.event_id == null ? null : Number(row.event_id);
    const role = staffRoles.has(String(row.role)) ? String(row.role) : 'moderador';
    const rawPassword = row.password == null ? null : String(row.password);
    const password = rawPassword == null ? null : isBcryptHash(rawPassword) ? rawPassword : await hashSecret(rawPassword);
    // The kept copy of the table must not keep the plain text either.
    if (password !== rawPassword) {
      await context.sequelize.query('UPDATE event_staff SET password = ? WHERE id = ?', { replacements: [password, row.id] });
    }
    const [existing] = await context.sequelize.query<{ id: number; password: string | null }>(
      eventId == null
        ? 'SELECT id, password FROM users WHERE email = ? AND event_id IS NULL'
        : 'SELECT id, password FROM users WHERE email = ? AND event_id = ?',
      { replacements: eventId == null ? [email] : [email, eventId], type: QueryTypes.SELECT },
    );
    if (existing) {
      await context.sequelize.query('UPDATE users SET role = ?, password = COALESCE(password, ?) WHERE id = ?', {
        replacements: [role, password, existing.id],
      });
      merged += 1;
      continue;
    }
    await context.sequelize.query(
      'INSERT INTO users (name, email, phone, password, role, event_id, chat_blocked, qa_blocked, banned, created_at, token_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)',
      {
        replacements: [
          String(row.name ?? email),
          email,
          row.phone == null ? null : String(row.phone),
          password,
          role,
          eventId,
          false,
          false,
          false,
          // As the driver read it (a Date from MySQL, text from SQLite), so it is written back unchanged.
          row.created_at ?? new Date(),
        ],
      },
    );
    created += 1;
  }
  // Kept under another name rather than dropped: nothing of the original is lost.
  await context.queryInterface.renameTable('event_staff', 'event_staff_adopted');
  context.log(`moved ${rows.length} event_staff row(s) into users (${created} new, ${merged} merged); the original table is kept as event_staff_adopted`);
}

async function completeEvents(context: MigrationContext) {
  const events = await context.sequelize.query<{ id: number; embed_secret: string | null; access_code_hash: string | null }>(
    'SELECT id, embed_secret, access_code_hash FROM events',
    { type: QueryTypes.SELECT },
  );
  const legacyHash = context.legacyAccessCode ? await hashSecret(context.legacyAccessCode) : null;
  for (const event of events) {
    if (!event.embed_secret) {
      await context.sequelize.query('UPDATE events SET embed_secret = ? WHERE id = ?', {
        replacements: [randomBytes(32).toString('hex'), event.id],
      });
    }
    if (!event.access_code_hash && legacyHash) {
      await context.sequelize.query('UPDATE events SET access_code_hash = ? WHERE id = ?', {
        replacements: [legacyHash, event.id],
      });
    }
  }
  if (!legacyHash && events.some((event) => !event.access_code_hash)) {
    context.log('some events have no access code: attendees of those events can register but not sign in again until an admin sets one');
  }
}
