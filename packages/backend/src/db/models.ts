/*
 * The one import path for every table: each concept's rows live in db/models/, and
 * defineModels binds them all to one Sequelize instance.
 */
import type { Sequelize } from 'sequelize';
import { defineAnalyticsModels } from './models/analytics.js';
import { defineCoreModels } from './models/core.js';
import { defineJourneyModels } from './models/journey.js';
import { defineModerationModels } from './models/moderation.js';
import { definePollModels } from './models/polls.js';
import { defineRegistrationModels } from './models/registration.js';
import { defineWebhookModels } from './models/webhooks.js';

export { SessionAnalyticsRow, ViewerSampleRow } from './models/analytics.js';
export {
  ChatMessageRow,
  EventRow,
  ModerationActionRow,
  QuestionRow,
  QuestionVoteRow,
  UserRow,
} from './models/core.js';
export {
  MailOutboxRow,
  SignInLinkRow,
  journeyEventColumns,
  journeyUserColumns,
  mailOutboxColumns,
  signInLinkColumns,
} from './models/journey.js';
export { HeldChatRow } from './models/moderation.js';
export { PollRow, PollTemplateRow, PollVoteRow, ReactionCountRow } from './models/polls.js';
export { AuditLogRow } from './models/registration.js';
export { WebhookDeliveryRow, WebhookRow } from './models/webhooks.js';

export function defineModels(sequelize: Sequelize) {
  defineCoreModels(sequelize);
  defineModerationModels(sequelize);
  defineAnalyticsModels(sequelize);
  defineWebhookModels(sequelize);
  defineRegistrationModels(sequelize);
  defineJourneyModels(sequelize);
  definePollModels(sequelize);
}
