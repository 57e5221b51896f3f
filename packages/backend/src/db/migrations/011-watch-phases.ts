import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import type { MigrationContext } from './context.js';

/*
 * Spelled out here rather than read from the model, so this migration keeps doing the same
 * thing when the model changes later. On a fresh database 001 already created the columns
 * from the model.
 */
const seconds: ModelAttributeColumnOptions = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 };

/**
 * Watch time counted apart while the event is live and while its replay is on demand
 * (docs/journey.md "Watch time"): `live_seconds` and `on_demand_seconds` beside
 * `total_seconds`, which stays their sum. Everything watched before this migration was
 * watched live, so existing rows get `live_seconds = total_seconds`.
 */
export const watchPhasesMigration = {
  name: '011-watch-phases',
  async up({ context }: { context: MigrationContext }) {
    const { queryInterface, sequelize } = context;
    const existing = await queryInterface.describeTable('session_analytics');
    if (!('on_demand_seconds' in existing)) await queryInterface.addColumn('session_analytics', 'on_demand_seconds', seconds);
    if (!('live_seconds' in existing)) await queryInterface.addColumn('session_analytics', 'live_seconds', seconds);
    // Also when an adoption (002) created the columns from the model, empty: the rows it
    // brought over were watched live too.
    await sequelize.query(
      'UPDATE session_analytics SET live_seconds = total_seconds - on_demand_seconds WHERE live_seconds + on_demand_seconds < total_seconds',
    );
  },
};
