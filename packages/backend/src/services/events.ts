import { randomBytes } from 'node:crypto';
import { Role } from '@palco/sdk/protocol';
import type { EventRow } from '../db/models.js';
import { splitList } from './serialize.js';

export function newEmbedSecret(): string {
  return randomBytes(32).toString('hex');
}

/** The whole domain after the last "@" must be one of the event's: no suffix or prefix tricks. */
export function emailDomainAllowed(event: EventRow, email: string): boolean {
  const domains = splitList(event.allowed_email_domains);
  if (domains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.includes(domain);
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
