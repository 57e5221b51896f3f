import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { id, now, plain } from './columns.js';

export class SessionAnalyticsRow extends Model<
  InferAttributes<SessionAnalyticsRow>,
  InferCreationAttributes<SessionAnalyticsRow>
> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare event_id: number;
  declare start_time: Date;
  declare last_ping: Date;
  declare total_minutes: CreationOptional<number>;
  /** total_seconds = live_seconds + on_demand_seconds. */
  declare total_seconds: CreationOptional<number>;
  /** Watched while the event was open (scheduled or live). */
  declare live_seconds: CreationOptional<number>;
  /** Watched after closing, while its replay was on demand. */
  declare on_demand_seconds: CreationOptional<number>;
  /**
   * The recent spans already credited, shared by every process so that time two tabs vouch
   * for is added once (services/watch-spans.ts `CreditedTime`, as JSON); null before any.
   */
  declare watch_spans: CreationOptional<string | null>;
}

export class ViewerSampleRow extends Model<InferAttributes<ViewerSampleRow>, InferCreationAttributes<ViewerSampleRow>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare sampled_at: Date;
  declare viewers: number;
}

export function defineAnalyticsModels(sequelize: Sequelize) {
  SessionAnalyticsRow.init(
    {
      id: id(),
      user_id: { type: DataTypes.INTEGER, allowNull: false },
      event_id: { type: DataTypes.INTEGER, allowNull: false },
      start_time: now(),
      last_ping: now(),
      total_minutes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      total_seconds: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      live_seconds: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      on_demand_seconds: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      watch_spans: { type: DataTypes.TEXT, allowNull: true },
    },
    { sequelize, tableName: 'session_analytics', ...plain },
  );
  ViewerSampleRow.init(
    {
      id: id(),
      event_id: { type: DataTypes.INTEGER, allowNull: false },
      sampled_at: { type: DataTypes.DATE, allowNull: false },
      viewers: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'viewer_samples', ...plain },
  );
}
