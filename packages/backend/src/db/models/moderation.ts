import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { HeldChat } from '@palco/sdk/protocol';
import { id, now, flag, plain } from './columns.js';

/** The columns Q&A depth and chat safety added (migration 007 spells out the same). */
export const moderationColumns = () => ({
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
  /** The sender's own id of the message (`cid`), unique per user; NULL when none was sent. */
  declare client_id: CreationOptional<string | null>;
}

export function defineModerationModels(sequelize: Sequelize) {
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
      client_id: { type: DataTypes.STRING(64), allowNull: true },
    },
    { sequelize, tableName: 'held_chat_messages', ...plain },
  );
}
