import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import type { MigrationContext } from './context.js';

/*
 * Spelled out here rather than read from the model, so this migration keeps doing the same
 * thing when the model changes later. On a fresh database 001 already created the column
 * from the model.
 */
const watchSpans: ModelAttributeColumnOptions = { type: DataTypes.TEXT, allowNull: true };

/**
 * The spans of an attendee's watch time already credited, kept with their row so that every
 * process adds only time no process added before: two tabs on two processes vouching for the
 * same seconds are credited once (docs/architecture.md "Watch time"). Rows written before
 * start with none.
 */
export const watchSpansMigration = {
  name: '016-watch-spans',
  async up({ context }: { context: MigrationContext }) {
    const existing = await context.queryInterface.describeTable('session_analytics');
    if (!('watch_spans' in existing)) await context.queryInterface.addColumn('session_analytics', 'watch_spans', watchSpans);
  },
};
