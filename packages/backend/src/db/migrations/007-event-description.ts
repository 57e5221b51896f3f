import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import type { MigrationContext } from './context.js';

/* Spelled out here rather than read from the model (see 005). Existing events have none. */
const description: ModelAttributeColumnOptions = { type: DataTypes.TEXT, allowNull: true };

/** What an event is about, in the organiser's words, shown under the player of /watch. */
export const eventDescriptionMigration = {
  name: '007-event-description',
  async up({ context }: { context: MigrationContext }) {
    const existing = await context.queryInterface.describeTable('events');
    if (!('description' in existing)) await context.queryInterface.addColumn('events', 'description', description);
  },
};
