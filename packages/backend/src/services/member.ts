import type { Role, UserFlags } from '@palco/sdk/protocol';
import type { UserRow } from '../db/models.js';

/**
 * The signed-in user who asks for something, with the flags moderation may change while they
 * are connected. The services decide every rule from this shape alone, whatever carried the
 * request (a socket today).
 */
export interface Member extends UserFlags {
  id: number;
  name: string;
  role: Role;
  /** null for global administrators. */
  eventId: number | null;
}

export function memberOf(user: UserRow): Member {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    eventId: user.event_id,
    chat_blocked: Boolean(user.chat_blocked),
    qa_blocked: Boolean(user.qa_blocked),
    banned: Boolean(user.banned),
  };
}
