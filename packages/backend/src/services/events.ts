import { randomBytes } from 'node:crypto';
import { Role } from '@palco/sdk/protocol';

export function newEmbedSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Where the hosted pages send a user after signing in. */
export function redirectFor(role: Role, slug: string): string {
  switch (role) {
    case Role.admin:
      return '/admin/events';
    case Role.speaker:
      return `/e/${slug}/speaker`;
    case Role.moderator:
      return `/e/${slug}/mod`;
    default:
      return `/e/${slug}/watch`;
  }
}
