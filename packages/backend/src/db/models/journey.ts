import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { MailKind, MailStatus } from '@palco/sdk/protocol';
import { id, now, flag, plain } from './columns.js';

export class SignInLinkRow extends Model<InferAttributes<SignInLinkRow>, InferCreationAttributes<SignInLinkRow>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare event_id: number;
  /** SHA-256 of the token, hex: the token itself exists only in the email. */
  declare token_hash: string;
  declare expires_at: Date;
  declare used_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
}

export class MailOutboxRow extends Model<InferAttributes<MailOutboxRow>, InferCreationAttributes<MailOutboxRow>> {
  declare id: CreationOptional<number>;
  declare kind: MailKind;
  declare recipient: string;
  declare user_id: number | null;
  declare event_id: number;
  declare status: CreationOptional<MailStatus>;
  declare attempts: CreationOptional<number>;
  declare last_error: CreationOptional<string | null>;
  /** Pending: when it is due. Sending: when the claim expires (its process may have died). */
  declare send_after: Date;
  declare sent_at: CreationOptional<Date | null>;
  /**
   * Once sent, `{message_id, response}` as JSON: how to find the message in the mail server's
   * logs. Nothing before: the message is rendered only when it is sent.
   */
  declare payload: CreationOptional<string | null>;
  /** `kind:user_id` for lifecycle messages, so each person gets each of them once; NULL repeats. */
  declare dedupe_key: CreationOptional<string | null>;
  /** The random token of the claim holding a `sending` row (migration 012); older claims left it NULL. */
  declare claim_token: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
}

export function defineJourneyModels(sequelize: Sequelize) {
  SignInLinkRow.init(signInLinkColumns(), { sequelize, tableName: 'sign_in_links', ...plain });
  MailOutboxRow.init(mailOutboxColumns(), { sequelize, tableName: 'mail_outbox', ...plain });
}


/*
 * The journey's columns and tables, as functions: migration 006 adds the same definitions,
 * and a later change to them belongs in a new migration, not here alone.
 */
export function journeyEventColumns() {
  return {
    starts_at: { type: DataTypes.DATE, allowNull: true },
    ends_at: { type: DataTypes.DATE, allowNull: true },
    time_zone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
    description: { type: DataTypes.TEXT, allowNull: true },
    live_at: { type: DataTypes.DATE, allowNull: true },
    replay_url: { type: DataTypes.STRING(2000), allowNull: true },
    on_demand_until: { type: DataTypes.DATE, allowNull: true },
    replay_registration: flag(),
    sign_in: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'link' },
    require_confirmation: flag(),
  };
}

export function journeyUserColumns() {
  return {
    confirmed_at: { type: DataTypes.DATE, allowNull: true },
    lang: { type: DataTypes.STRING(5), allowNull: true },
    unsubscribed_at: { type: DataTypes.DATE, allowNull: true },
  };
}

export function signInLinkColumns() {
  return {
    id: id(),
    user_id: { type: DataTypes.INTEGER, allowNull: false },
    event_id: { type: DataTypes.INTEGER, allowNull: false },
    token_hash: { type: DataTypes.STRING(64), allowNull: false },
    expires_at: { type: DataTypes.DATE(3), allowNull: false },
    used_at: { type: DataTypes.DATE(3), allowNull: true },
    created_at: now(),
  };
}

export function mailOutboxColumns() {
  return {
    id: id(),
    kind: { type: DataTypes.STRING(40), allowNull: false },
    recipient: { type: DataTypes.STRING(254), allowNull: false },
    user_id: { type: DataTypes.INTEGER, allowNull: true },
    event_id: { type: DataTypes.INTEGER, allowNull: false },
    status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'pending' },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    last_error: { type: DataTypes.TEXT, allowNull: true },
    // DATE(3): milliseconds, or MySQL would round a due time by up to a second.
    send_after: { type: DataTypes.DATE(3), allowNull: false },
    sent_at: { type: DataTypes.DATE(3), allowNull: true },
    payload: { type: DataTypes.TEXT, allowNull: true },
    dedupe_key: { type: DataTypes.STRING(80), allowNull: true },
    claim_token: { type: DataTypes.STRING(32), allowNull: true },
    created_at: now(),
  };
}
