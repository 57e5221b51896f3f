import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type {
  MailKind,
  MailStatus,
  ModerationLogAction,
  QuestionStatus,
  Role,
  SignInMethod,
  VideoKind,
  WebhookDeliveryStatus,
  WebhookTopic,
} from '@palco/sdk/protocol';

/*
 * The tables keep the names and columns of the original system (docs/architecture.md "Data"),
 * so its databases are adopted in place. Timestamps are explicit columns, not
 * Sequelize's createdAt/updatedAt.
 */

export class EventRow extends Model<InferAttributes<EventRow>, InferCreationAttributes<EventRow>> {
  declare id: CreationOptional<number>;
  declare slug: string;
  declare title: string;
  declare logo_url: string | null;
  declare video_url: string | null;
  /** How the player treats video_url: `auto` (from the URL), `hls` or `file`. */
  declare video_kind: CreationOptional<VideoKind>;
  declare is_active: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;
  /** Comma-separated lower-case domains; empty means open registration. */
  declare allowed_email_domains: CreationOptional<string>;
  declare access_code_hash: string | null;
  /** Comma-separated origins allowed to embed the event. */
  declare allowed_origins: CreationOptional<string>;
  declare slow_mode_seconds: CreationOptional<number>;
  declare embed_secret: string;
  declare updated_at: CreationOptional<Date>;
  declare starts_at: CreationOptional<Date | null>;
  declare ends_at: CreationOptional<Date | null>;
  /** IANA zone, e.g. America/Mexico_City. */
  declare time_zone: CreationOptional<string>;
  declare description: CreationOptional<string | null>;
  /** Set when an administrator starts the broadcast. */
  declare live_at: CreationOptional<Date | null>;
  declare replay_url: CreationOptional<string | null>;
  declare on_demand_until: CreationOptional<Date | null>;
  declare replay_registration: CreationOptional<boolean>;
  declare sign_in: CreationOptional<SignInMethod>;
  declare require_confirmation: CreationOptional<boolean>;
}

export class UserRow extends Model<InferAttributes<UserRow>, InferCreationAttributes<UserRow>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare email: string;
  declare phone: string | null;
  /** bcrypt hash; NULL for attendees, who sign in with the event's access code. */
  declare password: string | null;
  declare role: Role;
  declare event_id: number | null;
  declare chat_blocked: CreationOptional<boolean>;
  declare qa_blocked: CreationOptional<boolean>;
  declare banned: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;
  declare token_version: CreationOptional<number>;
  /** When the attendee proved they own the address (an emailed link, or the producer's identity token). */
  declare confirmed_at: CreationOptional<Date | null>;
  /** The language of their registration, for the emails Palco sends them ("es" or "en"). */
  declare lang: CreationOptional<string | null>;
  /** Set by the one-click unsubscribe: no more reminders or follow-ups for this registration. */
  declare unsubscribed_at: CreationOptional<Date | null>;
}

export class QuestionRow extends Model<InferAttributes<QuestionRow>, InferCreationAttributes<QuestionRow>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare user_name: string;
  declare question_text: string;
  declare status: CreationOptional<QuestionStatus>;
  declare event_id: number;
  declare created_at: CreationOptional<Date>;
  declare upvotes: CreationOptional<number>;
  declare moderated_by: number | null;
  declare approved_at: Date | null;
  declare read_at: Date | null;
  /** The asker's own id of the question (`cid`), unique per user; NULL when none was sent. */
  declare client_id: CreationOptional<string | null>;
}

export class ChatMessageRow extends Model<InferAttributes<ChatMessageRow>, InferCreationAttributes<ChatMessageRow>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare user_name: string;
  declare message: string;
  declare event_id: number;
  declare created_at: CreationOptional<Date>;
  declare deleted_at: Date | null;
  /** The sender's own id of the message (`cid`), unique per user; NULL when none was sent. */
  declare client_id: CreationOptional<string | null>;
}

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
  declare total_seconds: CreationOptional<number>;
}

export class ViewerSampleRow extends Model<InferAttributes<ViewerSampleRow>, InferCreationAttributes<ViewerSampleRow>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare sampled_at: Date;
  declare viewers: number;
}

export class QuestionVoteRow extends Model<InferAttributes<QuestionVoteRow>, InferCreationAttributes<QuestionVoteRow>> {
  declare id: CreationOptional<number>;
  declare question_id: number;
  declare user_id: number;
}

export class ModerationActionRow extends Model<
  InferAttributes<ModerationActionRow>,
  InferCreationAttributes<ModerationActionRow>
> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare actor_id: number | null;
  declare action: ModerationLogAction;
  declare target_user_id: number | null;
  declare target_id: number | null;
  declare created_at: CreationOptional<Date>;
}

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
  declare created_at: CreationOptional<Date>;
}

// Factories, not shared objects: Sequelize writes each attribute's column name into its
// definition object, so one object shared by two columns makes both read the first column.
const id = () => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true });
const now = () => ({ type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW });
const flag = () => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
const plain = { timestamps: false, underscored: true } as const;

export function defineModels(sequelize: Sequelize) {
  EventRow.init(
    {
      id: id(),
      slug: { type: DataTypes.STRING(64), allowNull: false },
      title: { type: DataTypes.STRING(200), allowNull: false },
      logo_url: { type: DataTypes.STRING(2000), allowNull: true },
      video_url: { type: DataTypes.STRING(2000), allowNull: true },
      video_kind: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'auto' },
      is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      created_at: now(),
      allowed_email_domains: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      access_code_hash: { type: DataTypes.STRING(100), allowNull: true },
      allowed_origins: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      slow_mode_seconds: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      embed_secret: { type: DataTypes.STRING(100), allowNull: false },
      updated_at: now(),
      ...journeyEventColumns(),
    },
    { sequelize, tableName: 'events', ...plain },
  );
  UserRow.init(
    {
      id: id(),
      name: { type: DataTypes.STRING(120), allowNull: false },
      email: { type: DataTypes.STRING(254), allowNull: false },
      phone: { type: DataTypes.STRING(40), allowNull: true },
      password: { type: DataTypes.STRING(100), allowNull: true },
      role: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'visor' },
      event_id: { type: DataTypes.INTEGER, allowNull: true },
      chat_blocked: flag(),
      qa_blocked: flag(),
      banned: flag(),
      created_at: now(),
      token_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...journeyUserColumns(),
    },
    { sequelize, tableName: 'users', ...plain },
  );
  QuestionRow.init(
    {
      id: id(),
      user_id: { type: DataTypes.INTEGER, allowNull: false },
      user_name: { type: DataTypes.STRING(120), allowNull: false },
      question_text: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'pending' },
      event_id: { type: DataTypes.INTEGER, allowNull: false },
      created_at: now(),
      upvotes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      moderated_by: { type: DataTypes.INTEGER, allowNull: true },
      approved_at: { type: DataTypes.DATE, allowNull: true },
      read_at: { type: DataTypes.DATE, allowNull: true },
      client_id: { type: DataTypes.STRING(64), allowNull: true },
    },
    { sequelize, tableName: 'questions', ...plain },
  );
  ChatMessageRow.init(
    {
      id: id(),
      user_id: { type: DataTypes.INTEGER, allowNull: false },
      user_name: { type: DataTypes.STRING(120), allowNull: false },
      message: { type: DataTypes.TEXT, allowNull: false },
      event_id: { type: DataTypes.INTEGER, allowNull: false },
      created_at: now(),
      deleted_at: { type: DataTypes.DATE, allowNull: true },
      client_id: { type: DataTypes.STRING(64), allowNull: true },
    },
    { sequelize, tableName: 'chat_messages', ...plain },
  );
  SessionAnalyticsRow.init(
    {
      id: id(),
      user_id: { type: DataTypes.INTEGER, allowNull: false },
      event_id: { type: DataTypes.INTEGER, allowNull: false },
      start_time: now(),
      last_ping: now(),
      total_minutes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      total_seconds: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
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
  QuestionVoteRow.init(
    {
      id: id(),
      question_id: { type: DataTypes.INTEGER, allowNull: false },
      user_id: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'question_votes', ...plain },
  );
  ModerationActionRow.init(
    {
      id: id(),
      event_id: { type: DataTypes.INTEGER, allowNull: false },
      actor_id: { type: DataTypes.INTEGER, allowNull: true },
      action: { type: DataTypes.STRING(40), allowNull: false },
      target_user_id: { type: DataTypes.INTEGER, allowNull: true },
      target_id: { type: DataTypes.INTEGER, allowNull: true },
      created_at: now(),
    },
    { sequelize, tableName: 'moderation_actions', ...plain },
  );
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
    created_at: now(),
  };
}
