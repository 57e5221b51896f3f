import { Op } from 'sequelize';
import {
  ErrorCode,
  isModeratorRole,
  ModerationAction,
  ModerationLogAction,
  Role,
  type ModerationFlag,
  type Restriction,
  type TimedUserFlags,
  type UserUpdatedMessage,
} from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { ModerationActionRow, UserRow } from '../db/models.js';
import { AppError, invalidInput } from '../errors.js';
import type { ChatService } from './chat.js';
import type { Member } from './member.js';
import { revokeSessions } from './accounts.js';
import { flagAction, notifyPerson, recordModeration } from './moderation-log.js';
import type { QuestionService } from './questions.js';
import { flagsOf, iso } from './serialize.js';
import { storedTime } from './stored-time.js';

export type ModerationDeps = Pick<AppDeps, 'bus' | 'now'> & { chat: ChatService; questions: QuestionService };

export interface ModerateInput {
  user_id: number;
  flag: ModerationFlag;
  value: boolean;
  /** A timeout of chat or questions, in seconds (the schema keeps it within 60–86 400). */
  duration_s?: number;
  reason?: string;
  /** A ban also sweeps the person's messages and questions; on unless false. */
  remove_messages?: boolean;
}

/** One attendee's flags after a moderation action, as the ack and `user_updated` carry them. */
export type ModeratedUser = Omit<UserUpdatedMessage, 'type'>;

const untilColumn = { chat_blocked: 'chat_blocked_until', qa_blocked: 'qa_blocked_until' } as const;

/** The log actions that set each restriction, newest of which says who set it, when and why. */
const settingActions: Record<Restriction['kind'], ModerationLogAction[]> = {
  chat_blocked: [ModerationLogAction.blockChat, ModerationLogAction.timeoutChat],
  qa_blocked: [ModerationLogAction.blockQuestions, ModerationLogAction.timeoutQuestions],
  banned: [ModerationLogAction.ban],
};

/**
 * Blocks an attendee's chat or questions (until lifted, or for `duration_s`: a timeout that
 * ends by itself on every process, since each compares its end with its own clock), or bans
 * them (and lifts each again). The person is told what was done and why. A ban closes their
 * sockets everywhere and, unless `remove_messages` is false, removes their chat messages and
 * pending questions from every screen and from history. Only attendees of this event can be
 * moderated: staff are managed by administrators. 422 `invalid_input` for a `duration_s` on a
 * ban or a lift.
 */
export async function moderateUser(deps: ModerationDeps, eventId: number, actor: Member, input: ModerateInput): Promise<ModeratedUser> {
  if (!isModeratorRole(actor.role)) throw new AppError(403, ErrorCode.forbidden);
  if (input.duration_s !== undefined && (input.flag === ModerationAction.ban || !input.value)) {
    throw invalidInput({ duration_s: 'invalid_type' });
  }
  const target = await UserRow.findOne({ where: { id: input.user_id, event_id: eventId } });
  if (!target) throw new AppError(404, ErrorCode.notFound);
  if (target.role !== Role.attendee) throw new AppError(403, ErrorCode.forbidden);
  const until = input.duration_s === undefined || !input.value ? null : storedTime(deps.now() + input.duration_s * 1000);
  const changes: Partial<UserRow> = { [input.flag]: input.value };
  if (input.flag !== ModerationAction.ban) Object.assign(changes, { [untilColumn[input.flag]]: until });
  await target.update(changes);
  const action = until === null ? flagAction(input.flag, input.value) : input.flag === ModerationAction.blockChat ? ModerationLogAction.timeoutChat : ModerationLogAction.timeoutQuestions;
  await recordModeration({ eventId, actorId: actor.id, action, targetUserId: target.id, reason: input.reason, detail: until?.toISOString() ?? null });
  const flags: TimedUserFlags = flagsOf(target, deps.now());
  const moderated: ModeratedUser = { user_id: target.id, ...flags, restrictions: await restrictionsOf(eventId, [target], deps.now()) };
  await notifyPerson(deps.bus, { eventId, userId: target.id, action, reason: input.reason, until: until?.toISOString() ?? null });
  // Every process updates (or, for a ban, closes with 4003) the user's sockets first...
  await deps.bus.publish({ kind: 'user_flags', eventId, userId: target.id, ...flags });
  await deps.bus.publish({
    kind: 'broadcast',
    eventId,
    audience: { kind: 'staff_and_user', userId: target.id },
    message: { type: 'user_updated', ...moderated },
  });
  if (input.flag === ModerationAction.ban && input.value) {
    if (input.remove_messages !== false) await sweep(deps, eventId, target.id, actor.id);
    // ...then the ban also revokes every token, so the user cannot come back with one.
    await revokeSessions(deps.bus, target);
  }
  return moderated;
}

/** Removes a banned person's chat messages and questions from history and from every screen. */
async function sweep(deps: ModerationDeps, eventId: number, userId: number, actorId: number) {
  const chatIds = await deps.chat.removeAllOf(eventId, userId, actorId);
  const questionIds = await deps.questions.removeAllOf(eventId, userId, actorId);
  const message = { type: 'user_content_removed', user_id: userId, chat_ids: chatIds, question_ids: questionIds } as const;
  await deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message });
  // Each room's state takes in the questions as they now are, so newcomers' welcomes match.
  for (const question of await deps.questions.current(questionIds)) {
    await deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'moderators' }, message: { type: 'question_changed', question }, question });
  }
}

/**
 * Every current restriction of the event's attendees (`users`, or all of them), with who set
 * it, when, why and until when: the moderators' panel of restricted people. A timeout that has
 * ended is not one.
 */
export async function restrictionsOf(eventId: number, users: UserRow[] | null, now: number): Promise<Restriction[]> {
  const rows =
    users ??
    (await UserRow.findAll({
      where: { event_id: eventId, role: Role.attendee, [Op.or]: [{ chat_blocked: true }, { qa_blocked: true }, { banned: true }] },
    }));
  const current = rows.flatMap((user) => {
    const flags = flagsOf(user, now);
    return (['chat_blocked', 'qa_blocked', 'banned'] as const)
      .filter((kind) => flags[kind])
      .map((kind) => ({ user, kind, until: kind === 'banned' ? null : flags[untilColumn[kind]] }));
  });
  if (current.length === 0) return [];
  const log = await ModerationActionRow.findAll({
    where: { event_id: eventId, target_user_id: [...new Set(current.map((one) => one.user.id))], action: Object.values(settingActions).flat() },
    order: [['id', 'DESC']],
  });
  const actorIds = [...new Set(log.map((entry) => entry.actor_id).filter((id): id is number => id !== null))];
  const actors = actorIds.length ? await UserRow.findAll({ attributes: ['id', 'name'], where: { id: actorIds } }) : [];
  const names = new Map(actors.map((actor) => [actor.id, actor.name]));
  return current.map(({ user, kind, until }) => {
    const set = log.find((entry) => entry.target_user_id === user.id && settingActions[kind].includes(entry.action));
    return {
      user_id: user.id,
      name: user.name,
      kind,
      set_by_id: set?.actor_id ?? null,
      set_by_name: set?.actor_id == null ? null : (names.get(set.actor_id) ?? null),
      set_at: set ? iso(set.created_at) : null,
      until,
      reason: set?.reason ?? null,
    };
  });
}
