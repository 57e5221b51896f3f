import type { Role, TimedUserFlags } from '@palco/sdk/protocol';
import type { UserRow } from '../db/models.js';
import { blockHolds, flagsOf } from './serialize.js';

/**
 * The signed-in user who asks for something, with the flags moderation may change while they
 * are connected. The services decide every rule from this shape alone, whatever carried the
 * request (a socket today).
 */
export interface Member extends TimedUserFlags {
  id: number;
  name: string;
  role: Role;
  /** null for global administrators. */
  eventId: number | null;
}

export function memberOf(user: UserRow, now: number): Member {
  return { id: user.id, name: user.name, role: user.role, eventId: user.event_id, ...flagsOf(user, now) };
}

/** Whether the member may not chat at `now` (ms): a timeout ends by itself on every process. */
export const chatBlockedNow = (member: Member, now: number) => blockHolds(member.chat_blocked, member.chat_blocked_until, now);

/** Whether the member may not ask at `now` (ms). */
export const questionsBlockedNow = (member: Member, now: number) => blockHolds(member.qa_blocked, member.qa_blocked_until, now);
