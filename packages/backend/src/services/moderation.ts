import {
  ErrorCode,
  isModeratorRole,
  ModerationAction,
  Role,
  type ModerationFlag,
  type UserFlags,
  type UserUpdatedMessage,
} from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { UserRow } from '../db/models.js';
import { AppError } from '../errors.js';
import type { Member } from './member.js';
import { revokeSessions } from './accounts.js';
import { flagAction, recordModeration } from './moderation-log.js';

export type ModerationDeps = Pick<AppDeps, 'bus'>;

export interface ModerateInput {
  user_id: number;
  flag: ModerationFlag;
  value: boolean;
}

/** One attendee's flags after a moderation action, as the ack and `user_updated` carry them. */
export type ModeratedUser = Omit<UserUpdatedMessage, 'type'>;

/**
 * Blocks an attendee's chat or questions, or bans them (and lifts each again). Only attendees
 * of this event can be moderated: staff are managed by administrators.
 */
export async function moderateUser(deps: ModerationDeps, eventId: number, actor: Member, input: ModerateInput): Promise<ModeratedUser> {
  if (!isModeratorRole(actor.role)) throw new AppError(403, ErrorCode.forbidden);
  const target = await UserRow.findOne({ where: { id: input.user_id, event_id: eventId } });
  if (!target) throw new AppError(404, ErrorCode.notFound);
  if (target.role !== Role.attendee) throw new AppError(403, ErrorCode.forbidden);
  await target.update({ [input.flag]: input.value });
  await recordModeration({ eventId, actorId: actor.id, action: flagAction(input.flag, input.value), targetUserId: target.id });
  const flags: ModeratedUser = {
    user_id: target.id,
    chat_blocked: Boolean(target.chat_blocked),
    qa_blocked: Boolean(target.qa_blocked),
    banned: Boolean(target.banned),
  };
  // Every process updates (or, for a ban, closes with 4003) the user's sockets first...
  await deps.bus.publish({ kind: 'user_flags', eventId, userId: target.id, ...omitUserId(flags) });
  await deps.bus.publish({
    kind: 'broadcast',
    eventId,
    audience: { kind: 'staff_and_user', userId: target.id },
    message: { type: 'user_updated', ...flags },
  });
  // ...then the ban also revokes every token, so the user cannot come back with one.
  if (input.flag === ModerationAction.ban && input.value) await revokeSessions(deps.bus, target);
  return flags;
}

function omitUserId({ user_id: _userId, ...flags }: ModeratedUser): UserFlags {
  return flags;
}
