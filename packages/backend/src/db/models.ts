import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type {
  AnswerStatus,
  BlockedWordsAction,
  HeldChat,
  AuditAction,
  RegistrationStatus,
  MailKind,
  MailStatus,
  ModerationLogAction,
  PollKind,
  PollStatus,
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

/** A chat message held for review; it gets a chat_messages row (and so its chat id) only when released. */
export class HeldChatRow extends Model<InferAttributes<HeldChatRow>, InferCreationAttributes<HeldChatRow>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare user_id: number;
  declare user_name: string;
  declare message: string;
  /** The blocked words found, one a line. */
  declare words: string;
  declare status: CreationOptional<HeldChat['status']>;
  declare reason: CreationOptional<string | null>;
  declare chat_id: CreationOptional<number | null>;
  declare decided_by: CreationOptional<number | null>;
  declare created_at: CreationOptional<Date>;
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
  declare reason: CreationOptional<string | null>;
  declare detail: CreationOptional<string | null>;
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

export class PollRow extends Model<InferAttributes<PollRow>, InferCreationAttributes<PollRow>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare kind: PollKind;
  declare question: string;
  /** JSON: [{id, text}], ids 1… in the order written. */
  declare options: string;
  /** JSON: option ids of a quiz's correct answers. */
  declare correct: string | null;
  declare max_choices: number | null;
  declare time_limit_s: number | null;
  declare status: CreationOptional<PollStatus>;
  declare results_visible: CreationOptional<boolean>;
  declare created_by: number;
  declare created_at: Date;
  declare opened_at: Date | null;
  declare closed_at: Date | null;
}

/** One member's answer to one poll: unique per (poll_id, user_id), so counts equal acks. */
export class PollVoteRow extends Model<InferAttributes<PollVoteRow>, InferCreationAttributes<PollVoteRow>> {
  declare id: CreationOptional<number>;
  declare poll_id: number;
  declare event_id: number;
  declare user_id: number;
  /** JSON option ids (choice kinds and quizzes). */
  declare choices: string | null;
  declare rating: number | null;
  /** JSON: the words as counted, normalised, blocked ones left out. */
  declare words: string | null;
  /** Open text, or the words as written. */
  declare text: string | null;
  declare answer_status: AnswerStatus | null;
  declare correct: boolean | null;
  declare score: number | null;
  /** Milliseconds from the poll opening to this answer. */
  declare answer_ms: number | null;
  declare created_at: Date;
}

/** A poll an administrator saved to use again in any event. */
export class PollTemplateRow extends Model<InferAttributes<PollTemplateRow>, InferCreationAttributes<PollTemplateRow>> {
  declare id: CreationOptional<number>;
  declare created_by: number;
  declare kind: PollKind;
  declare question: string;
  /** JSON: the rest of the poll as `poll_create` takes it (options, correct indexes, limits). */
  declare draft: string;
  declare created_at: Date;
}

/** Reactions of one event, one emoji and one minute. */
export class ReactionCountRow extends Model<InferAttributes<ReactionCountRow>, InferCreationAttributes<ReactionCountRow>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare minute: Date;
  declare emoji: string;
  declare count: number;
}

// Factories, not shared objects: Sequelize writes each attribute's column name into its
// definition object, so one object shared by two columns makes both read the first column.
const id = () => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true });
const now = () => ({ type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW });
const flag = () => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
const plain = { timestamps: false, underscored: true } as const;

/** The columns Q&A depth and chat safety added (migration 007 spells out the same). */
const moderationColumns = () => ({
  events: {
    allow_anonymous_questions: flag(),
    blocked_words: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    blocked_words_action: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'hold' },
    default_words_es: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    default_words_en: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    pinned_chat: { type: DataTypes.TEXT, allowNull: true },
  },
  users: {
    chat_blocked_until: { type: DataTypes.DATE, allowNull: true },
    qa_blocked_until: { type: DataTypes.DATE, allowNull: true },
  },
  questions: {
    anonymous: flag(),
    answer: { type: DataTypes.TEXT, allowNull: true },
    answered_at: { type: DataTypes.DATE, allowNull: true },
    answered_by: { type: DataTypes.INTEGER, allowNull: true },
    archived_at: { type: DataTypes.DATE, allowNull: true },
    label: { type: DataTypes.STRING(40), allowNull: true },
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    editing_by: { type: DataTypes.INTEGER, allowNull: true },
    editing_until: { type: DataTypes.DATE, allowNull: true },
  },
  moderation_actions: {
    reason: { type: DataTypes.STRING(200), allowNull: true },
    detail: { type: DataTypes.TEXT, allowNull: true },
  },
});


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
  HeldChatRow.init(
    {
      id: id(),
      event_id: { type: DataTypes.INTEGER, allowNull: false },
      user_id: { type: DataTypes.INTEGER, allowNull: false },
      user_name: { type: DataTypes.STRING(120), allowNull: false },
      message: { type: DataTypes.TEXT, allowNull: false },
      words: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'held' },
      reason: { type: DataTypes.STRING(200), allowNull: true },
      chat_id: { type: DataTypes.INTEGER, allowNull: true },
      decided_by: { type: DataTypes.INTEGER, allowNull: true },
      created_at: now(),
    },
    { sequelize, tableName: 'held_chat_messages', ...plain },
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
      ...moderationColumns().moderation_actions,
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
  SignInLinkRow.init(signInLinkColumns(), { sequelize, tableName: 'sign_in_links', ...plain });
  MailOutboxRow.init(mailOutboxColumns(), { sequelize, tableName: 'mail_outbox', ...plain });
  PollRow.init(pollColumns(), { sequelize, tableName: 'polls', ...plain });
  PollVoteRow.init(pollVoteColumns(), { sequelize, tableName: 'poll_votes', ...plain });
  PollTemplateRow.init(
    {
      id: id(),
      created_by: { type: DataTypes.INTEGER, allowNull: false },
      kind: { type: DataTypes.STRING(20), allowNull: false },
      question: { type: DataTypes.TEXT, allowNull: false },
      draft: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'poll_templates', ...plain },
  );
  ReactionCountRow.init(reactionCountColumns(), { sequelize, tableName: 'reaction_counts', ...plain });
}

function pollColumns() {
  return {
    id: id(),
    event_id: { type: DataTypes.INTEGER, allowNull: false },
    kind: { type: DataTypes.STRING(20), allowNull: false },
    question: { type: DataTypes.TEXT, allowNull: false },
    options: { type: DataTypes.TEXT, allowNull: false },
    correct: { type: DataTypes.TEXT, allowNull: true },
    max_choices: { type: DataTypes.INTEGER, allowNull: true },
    time_limit_s: { type: DataTypes.INTEGER, allowNull: true },
    status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'draft' },
    results_visible: flag(),
    created_by: { type: DataTypes.INTEGER, allowNull: false },
    created_at: { type: DataTypes.DATE(3), allowNull: false },
    opened_at: { type: DataTypes.DATE(3), allowNull: true },
    closed_at: { type: DataTypes.DATE(3), allowNull: true },
  };
}

function pollVoteColumns() {
  return {
    id: id(),
    poll_id: { type: DataTypes.INTEGER, allowNull: false },
    event_id: { type: DataTypes.INTEGER, allowNull: false },
    user_id: { type: DataTypes.INTEGER, allowNull: false },
    choices: { type: DataTypes.TEXT, allowNull: true },
    rating: { type: DataTypes.INTEGER, allowNull: true },
    words: { type: DataTypes.TEXT, allowNull: true },
    text: { type: DataTypes.TEXT, allowNull: true },
    answer_status: { type: DataTypes.STRING(10), allowNull: true },
    correct: { type: DataTypes.BOOLEAN, allowNull: true },
    score: { type: DataTypes.INTEGER, allowNull: true },
    answer_ms: { type: DataTypes.INTEGER, allowNull: true },
    created_at: { type: DataTypes.DATE(3), allowNull: false },
  };
}

function reactionCountColumns() {
  return {
    id: id(),
    event_id: { type: DataTypes.INTEGER, allowNull: false },
    minute: { type: DataTypes.DATE, allowNull: false },
    emoji: { type: DataTypes.STRING(16), allowNull: false },
    count: { type: DataTypes.INTEGER, allowNull: false },
  };
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
