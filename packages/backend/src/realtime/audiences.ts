import type { ServerMessage } from '@palco/sdk/protocol';
import type { Audience } from '../bus/bus.js';
import type { AudienceClass, Connection } from './connection.js';

/** The classes a room builds one frame for: every socket of a class gets the same bytes. */
export const audienceClasses: readonly AudienceClass[] = ['attendee', 'speaker', 'moderator'];

/** The classes whose every socket a broadcast to `audience` reaches (none for one person alone). */
export function classesOf(audience: Audience): readonly AudienceClass[] {
  switch (audience.kind) {
    case 'everyone':
      return audienceClasses;
    case 'moderators':
    case 'moderators_and_user':
      return ['moderator'];
    case 'attendees':
      return ['attendee'];
    case 'staff':
    case 'staff_and_user':
      return ['speaker', 'moderator'];
    case 'user':
      return [];
  }
}

/** The one person `audience` addresses by id besides its classes, or null. */
export function userOf(audience: Audience): number | null {
  return audience.kind === 'user' || audience.kind === 'staff_and_user' || audience.kind === 'moderators_and_user' ? audience.userId : null;
}

/** Whether a broadcast to `audience` reaches `connection`: by its class, or as the person addressed. */
export function reaches(audience: Audience, connection: Connection): boolean {
  return classesOf(audience).includes(connection.audienceClass) || userOf(audience) === connection.member.id;
}

/**
 * Writes a change of the event's state (everyone's) to each socket not told of it yet, apart
 * from the room's shared frames: its welcome may have carried it, or two saves racing may
 * announce it twice, and each change reaches each socket once. False for any other message.
 */
export function tellStateChange(message: ServerMessage, json: string, connections: Iterable<Connection>): boolean {
  if (message.type !== 'event_state') return false;
  for (const connection of connections) {
    if (connection.eventState === message.state) continue;
    connection.eventState = message.state;
    connection.sendSerialized(json);
  }
  return true;
}
