import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type {
  BlockedWordsAction,
  ModerationLogAction,
  QuestionStatus,
  RegistrationStatus,
  Role,
  SignInMethod,
  VideoKind,
} from '@palco/sdk/protocol';
import { id, now, flag, plain } from './columns.js';
import { journeyEventColumns, journeyUserColumns } from './journey.js';
import { moderationColumns } from './moderation.js';

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
  /** JSON list of RegistrationField; NULL = none. */
  declare registration_fields: CreationOptional<string | null>;
  declare phone_required: CreationOptional<boolean>;
  /** JSON PrivacyNotice; NULL = none. */
  declare privacy_notice: CreationOptional<string | null>;
  /** Seats; NULL = no limit. */
  declare capacity: CreationOptional<number | null>;
  /** Past capacity: waitlist (true) or refuse (false). */
  declare waitlist: CreationOptional<boolean>;
  /** Seats held by registered attendees: the counter every seat claim updates atomically (services/seats.ts). */
  declare seats_taken: CreationOptional<number>;
  declare retention_days: CreationOptional<number | null>;
  /** When the event was last closed; retention counts from it. */
  declare closed_at: CreationOptional<Date | null>;
  /** Set by the one process that erased the attendees' personal data under retention_days. */
  declare personal_data_erased_at: CreationOptional<Date | null>;
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
  declare allow_anonymous_questions: CreationOptional<boolean>;
  /** The event's own blocked words, one a line. */
  declare blocked_words: CreationOptional<string>;
  declare blocked_words_action: CreationOptional<BlockedWordsAction>;
  declare default_words_es: CreationOptional<boolean>;
  declare default_words_en: CreationOptional<boolean>;
  /** JSON of the PinnedChat above the chat; NULL when nothing is pinned. */
  declare pinned_chat: CreationOptional<string | null>;
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
  /** JSON answers to the event's custom fields, by key. */
  declare fields: CreationOptional<string | null>;
  declare status: CreationOptional<RegistrationStatus>;
  declare consent_at: CreationOptional<Date | null>;
  declare consent_version: CreationOptional<string | null>;
  /** The client address the consent came from. */
  declare consent_ip: CreationOptional<string | null>;
  /** Set when the person's data was erased; the row stays so counts and foreign ids hold. */
  declare erased_at: CreationOptional<Date | null>;
  /** When the attendee proved they own the address (an emailed link, or the producer's identity token). */
  declare confirmed_at: CreationOptional<Date | null>;
  /** The language of their registration, for the emails Palco sends them ("es" or "en"). */
  declare lang: CreationOptional<string | null>;
  /** Set by the one-click unsubscribe: no more reminders or follow-ups for this registration. */
  declare unsubscribed_at: CreationOptional<Date | null>;
  /** When a timed chat block ends; NULL for a block until lifted (or none). */
  declare chat_blocked_until: CreationOptional<Date | null>;
  declare qa_blocked_until: CreationOptional<Date | null>;
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
  declare anonymous: CreationOptional<boolean>;
  declare answer: CreationOptional<string | null>;
  declare answered_at: CreationOptional<Date | null>;
  declare answered_by: CreationOptional<number | null>;
  declare archived_at: CreationOptional<Date | null>;
  declare label: CreationOptional<string | null>;
  /** Goes up with each edit of the text. */
  declare version: CreationOptional<number>;
  /** The moderator editing it, until `editing_until` (begin_edit). */
  declare editing_by: CreationOptional<number | null>;
  declare editing_until: CreationOptional<Date | null>;
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
  declare reason: CreationOptional<string | null>;
  declare detail: CreationOptional<string | null>;
}

/** Defines the tables of the original system (docs/architecture.md "Data"). */
export function defineCoreModels(sequelize: Sequelize) {
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
      registration_fields: { type: DataTypes.TEXT, allowNull: true },
      phone_required: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      privacy_notice: { type: DataTypes.TEXT, allowNull: true },
      capacity: { type: DataTypes.INTEGER, allowNull: true },
      waitlist: flag(),
      seats_taken: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      retention_days: { type: DataTypes.INTEGER, allowNull: true },
      closed_at: { type: DataTypes.DATE, allowNull: true },
      personal_data_erased_at: { type: DataTypes.DATE, allowNull: true },
      ...journeyEventColumns(),
      ...moderationColumns().events,
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
      fields: { type: DataTypes.TEXT, allowNull: true },
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'registered' },
      consent_at: { type: DataTypes.DATE, allowNull: true },
      consent_version: { type: DataTypes.STRING(40), allowNull: true },
      consent_ip: { type: DataTypes.STRING(64), allowNull: true },
      erased_at: { type: DataTypes.DATE, allowNull: true },
      ...journeyUserColumns(),
      ...moderationColumns().users,
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
      ...moderationColumns().questions,
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
      ...moderationColumns().moderation_actions,
    },
    { sequelize, tableName: 'moderation_actions', ...plain },
  );
}
