import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { WebhookDeliveryStatus, WebhookTopic } from '@palco/sdk/protocol';
import { id, now, plain } from './columns.js';

export class WebhookRow extends Model<InferAttributes<WebhookRow>, InferCreationAttributes<WebhookRow>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare url: string;
  /** Comma-separated topics. */
  declare topics: string;
  declare secret: string;
  declare active: CreationOptional<boolean>;
}

export class WebhookDeliveryRow extends Model<
  InferAttributes<WebhookDeliveryRow>,
  InferCreationAttributes<WebhookDeliveryRow>
> {
  declare id: CreationOptional<number>;
  declare webhook_id: number;
  declare topic: WebhookTopic;
  declare status: CreationOptional<WebhookDeliveryStatus>;
  declare attempts: CreationOptional<number>;
  declare last_error: string | null;
  declare created_at: CreationOptional<Date>;
  /** The JSON body sent, without its leading `id` (webhooks/delivery-rows.ts `deliveryBody`): every retry sends the same bytes. */
  declare payload: string | null;
  /** Pending: when the next attempt is due. Sending: when the claim expires (its process may have died). */
  declare next_attempt_at: Date | null;
  declare delivered_at: CreationOptional<Date | null>;
  declare response_status: CreationOptional<number | null>;
}

export function defineWebhookModels(sequelize: Sequelize) {
  WebhookRow.init(
    {
      id: id(),
      event_id: { type: DataTypes.INTEGER, allowNull: false },
      url: { type: DataTypes.STRING(2000), allowNull: false },
      topics: { type: DataTypes.STRING(500), allowNull: false },
      secret: { type: DataTypes.STRING(100), allowNull: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    },
    { sequelize, tableName: 'webhooks', ...plain },
  );
  WebhookDeliveryRow.init(
    {
      id: id(),
      webhook_id: { type: DataTypes.INTEGER, allowNull: false },
      topic: { type: DataTypes.STRING(40), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'pending' },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      created_at: now(),
      payload: { type: DataTypes.TEXT, allowNull: true },
      next_attempt_at: { type: DataTypes.DATE(3), allowNull: true },
      delivered_at: { type: DataTypes.DATE(3), allowNull: true },
      response_status: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'webhook_deliveries', ...plain },
  );
}
