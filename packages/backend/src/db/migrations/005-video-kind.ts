import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import type { MigrationContext } from './context.js';

/*
 * Spelled out here rather than read from the model, so this migration keeps doing the same
 * thing when the model changes later. On a fresh database 001 already created the column
 * from the model. Existing events keep playing as before: `auto` decides from the URL.
 */
const videoKind: ModelAttributeColumnOptions = { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'auto' };

/** How the player treats an event's video_url: `auto`, `hls` or `file` (see VideoKind). */
export const videoKindMigration = {
  name: '005-video-kind',
  async up({ context }: { context: MigrationContext }) {
    const existing = await context.queryInterface.describeTable('events');
    if (!('video_kind' in existing)) await context.queryInterface.addColumn('events', 'video_kind', videoKind);
  },
};
