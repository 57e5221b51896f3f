import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { AuditAction } from '@palco/sdk/protocol';
import { id, plain } from './columns.js';

export class AuditLogRow extends Model<InferAttributes<AuditLogRow>, InferCreationAttributes<AuditLogRow>> {
  declare id: CreationOptional<number>;
  declare actor_id: number | null;
  declare action: AuditAction;
  declare event_id: number | null;
  declare target_type: string;
  declare target_id: number | null;
  /** JSON: field → {before, after}, or facts of the action. */
  declare changes: string;
  declare created_at: Date;
}

export function defineRegistrationModels(sequelize: Sequelize) {
  AuditLogRow.init(
    {
      id: id(),
      actor_id: { type: DataTypes.INTEGER, allowNull: true },
      action: { type: DataTypes.STRING(40), allowNull: false },
      event_id: { type: DataTypes.INTEGER, allowNull: true },
      target_type: { type: DataTypes.STRING(20), allowNull: false },
      target_id: { type: DataTypes.INTEGER, allowNull: true },
      changes: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'audit_log', ...plain },
  );
}
