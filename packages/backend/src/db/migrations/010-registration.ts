import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import { indexExists, tableExists, type MigrationContext } from './context.js';

/*
 * Spelled out here rather than read from the model, so this migration keeps doing the same
 * thing when the model changes later. On a fresh database 001 already created the columns
 * from the model; the audit table is made here. JSON goes in TEXT: MySQL's JSON type is an
 * alias of LONGTEXT on MariaDB and absent from SQLite, and Palco never queries inside it.
 */
const eventColumns: Record<string, ModelAttributeColumnOptions> = {
  registration_fields: { type: DataTypes.TEXT, allowNull: true },
  phone_required: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
  privacy_notice: { type: DataTypes.TEXT, allowNull: true },
  capacity: { type: DataTypes.INTEGER, allowNull: true },
  waitlist: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  seats_taken: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  retention_days: { type: DataTypes.INTEGER, allowNull: true },
  closed_at: { type: DataTypes.DATE, allowNull: true },
  personal_data_erased_at: { type: DataTypes.DATE, allowNull: true },
};

const userColumns: Record<string, ModelAttributeColumnOptions> = {
  fields: { type: DataTypes.TEXT, allowNull: true },
  status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'registered' },
  consent_at: { type: DataTypes.DATE, allowNull: true },
  consent_version: { type: DataTypes.STRING(40), allowNull: true },
  consent_ip: { type: DataTypes.STRING(64), allowNull: true },
  erased_at: { type: DataTypes.DATE, allowNull: true },
};

const auditColumns: Record<string, ModelAttributeColumnOptions> = {
  id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
  actor_id: { type: DataTypes.INTEGER, allowNull: true },
  action: { type: DataTypes.STRING(40), allowNull: false },
  event_id: { type: DataTypes.INTEGER, allowNull: true },
  target_type: { type: DataTypes.STRING(20), allowNull: false },
  target_id: { type: DataTypes.INTEGER, allowNull: true },
  changes: { type: DataTypes.TEXT, allowNull: false },
  created_at: { type: DataTypes.DATE(3), allowNull: false },
};

const indexes = [
  { name: 'audit_log_created', fields: ['created_at'] },
  { name: 'audit_log_event', fields: ['event_id', 'id'] },
  { name: 'audit_log_actor', fields: ['actor_id', 'id'] },
];

/** Custom fields, consent, capacity and retention per event; the administrators' audit log. */
export const registrationMigration = {
  name: '010-registration',
  async up({ context }: { context: MigrationContext }) {
    const { queryInterface } = context;
    for (const [table, columns] of [['events', eventColumns], ['users', userColumns]] as const) {
      const existing = await queryInterface.describeTable(table);
      for (const [column, definition] of Object.entries(columns)) {
        if (!(column in existing)) await queryInterface.addColumn(table, column, definition);
      }
    }
    if (!(await tableExists(context, 'audit_log'))) await queryInterface.createTable('audit_log', auditColumns);
    for (const index of indexes) {
      if (!(await indexExists(context, 'audit_log', index.name))) await queryInterface.addIndex('audit_log', index.fields, { name: index.name });
    }
  },
};
