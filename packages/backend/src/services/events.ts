import { randomBytes } from 'node:crypto';
import { ErrorCode, Limits, Role } from '@palco/sdk/protocol';
import { EventRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { splitList } from './serialize.js';

export async function findEventBySlug(slug: string): Promise<EventRow> {
  const event = Limits.slugPattern.test(slug) ? await EventRow.findOne({ where: { slug } }) : null;
  if (!event) throw new AppError(404, ErrorCode.eventNotFound);
  return event;
}

export async function findEventById(id: number): Promise<EventRow> {
  const event = Number.isSafeInteger(id) && id > 0 ? await EventRow.findByPk(id) : null;
  if (!event) throw new AppError(404, ErrorCode.eventNotFound);
  return event;
}

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
