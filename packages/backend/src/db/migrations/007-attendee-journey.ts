import type { ModelAttributeColumnOptions } from 'sequelize';
import {
  journeyEventColumns,
  journeyUserColumns,
  mailOutboxColumns,
  signInLinkColumns,
} from '../models.js';
import { indexExists, tableExists, type MigrationContext } from './context.js';

const indexes = [
  { table: 'sign_in_links', name: 'sign_in_links_token_unique', fields: ['token_hash'], unique: true },
  { table: 'mail_outbox', name: 'mail_outbox_dedupe_unique', fields: ['dedupe_key'], unique: true },
  { table: 'mail_outbox', name: 'mail_outbox_status_due', fields: ['status', 'send_after'], unique: false },
  { table: 'mail_outbox', name: 'mail_outbox_event', fields: ['event_id', 'id'], unique: false },
];

/**
 * The attendee journey: an event's schedule, replay and sign-in method, an attendee's
 * confirmation, single-use sign-in links and the email outbox. Events that exist before
 * this migration (adopted ones included) keep signing in with their access code; new ones
 * default to emailed links.
 */
export const attendeeJourneyMigration = {
  name: '007-attendee-journey',
  async up({ context }: { context: MigrationContext }) {
    const { queryInterface, sequelize } = context;
    await addMissingColumns(context, 'events', journeyEventColumns());
    await addMissingColumns(context, 'users', journeyUserColumns());
    await sequelize.query("UPDATE events SET sign_in = 'access_code'");
    for (const [table, columns] of [
      ['sign_in_links', signInLinkColumns()],
      ['mail_outbox', mailOutboxColumns()],
    ] as const) {
      if (!(await tableExists(context, table))) await queryInterface.createTable(table, columns);
    }
    for (const index of indexes) {
      if (await indexExists(context, index.table, index.name)) continue;
      await queryInterface.addIndex(index.table, index.fields, { name: index.name, unique: index.unique });
    }
  },
};

async function addMissingColumns(
  context: MigrationContext,
  table: string,
  columns: Record<string, ModelAttributeColumnOptions>,
) {
  const existing = await context.queryInterface.describeTable(table);
  for (const [column, definition] of Object.entries(columns)) {
    if (!(column in existing)) await context.queryInterface.addColumn(table, column, definition);
  }
}
