import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { AnswerStatus, PollKind, PollStatus } from '@palco/sdk/protocol';
import { id, flag, plain } from './columns.js';

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

export function definePollModels(sequelize: Sequelize) {
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
