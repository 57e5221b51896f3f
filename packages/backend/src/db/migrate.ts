import { SequelizeStorage, Umzug } from 'umzug';
import type { Database } from './database.js';
import type { MigrationContext } from './migrations/context.js';
import { schemaMigration } from './migrations/001-schema.js';
import { adoptionMigration } from './migrations/002-adopt-original.js';
import { webhookDeliveriesMigration } from './migrations/003-webhook-deliveries.js';
import { clientIdsMigration } from './migrations/004-client-ids.js';
import { videoKindMigration } from './migrations/005-video-kind.js';
import { textCollationMigration } from './migrations/006-text-collation.js';
import { attendeeJourneyMigration } from './migrations/007-attendee-journey.js';
import { pollsMigration } from './migrations/008-polls.js';
import { moderationDepthMigration } from './migrations/009-moderation-depth.js';
import { registrationMigration } from './migrations/010-registration.js';
import { watchPhasesMigration } from './migrations/011-watch-phases.js';
import { mailClaimBatchMigration } from './migrations/012-mail-claim-batch.js';
import { clientIdCaseMigration } from './migrations/013-client-id-case.js';
import { urgentMailMigration } from './migrations/014-urgent-mail.js';
import { heldChatClientIdsMigration } from './migrations/015-held-chat-client-ids.js';
import { watchSpansMigration } from './migrations/016-watch-spans.js';

export interface MigrateOptions {
  /** Access code given to adopted events that have none (the original system's generic password). */
  legacyAccessCode?: string | null;
  log?: (message: string) => void;
}

/** Runs every pending migration; the same list on SQLite and MySQL. */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<string[]> {
  const context: MigrationContext = {
    sequelize: db.sequelize,
    queryInterface: db.sequelize.getQueryInterface(),
    dialect: db.dialect,
    legacyAccessCode: options.legacyAccessCode ?? null,
    log: options.log ?? (() => {}),
  };
  const umzug = new Umzug({
    migrations: [
      schemaMigration,
      adoptionMigration,
      webhookDeliveriesMigration,
      clientIdsMigration,
      videoKindMigration,
      textCollationMigration,
      attendeeJourneyMigration,
      pollsMigration,
      moderationDepthMigration,
      registrationMigration,
      watchPhasesMigration,
      mailClaimBatchMigration,
      clientIdCaseMigration,
      urgentMailMigration,
      heldChatClientIdsMigration,
      watchSpansMigration,
    ],
    context,
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: 'palco_migrations' }),
    logger: undefined,
  });
  const applied = await umzug.up();
  return applied.map((migration) => migration.name);
}
