import { DataTypes } from 'sequelize';

// Factories, not shared objects: Sequelize writes each attribute's column name into its
// definition object, so one object shared by two columns makes both read the first column.
export const id = () => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true });
export const now = () => ({ type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW });
export const flag = () => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
export const plain = { timestamps: false, underscored: true } as const;
