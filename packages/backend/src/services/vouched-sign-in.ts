import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { InferOutput } from 'valibot';
import {
  cleanName,
  emailSchema,
  ErrorCode,
  hasVisibleText,
  Limits,
  RegistrationStatus,
  Role,
  validate,
  WebhookTopic,
} from '@palco/sdk/protocol';
import type { IdentityInput } from '@palco/sdk/protocol';
import { consumeSignInToken } from '../auth/sign-in-links.js';
import { UserRow, type EventRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { confirmedAttendee } from '../webhooks/announcements.js';
import {
  registerAttendee,
  refuseEntry,
  requireCurrentConsent,
  signIn,
  signInAttendee,
  waitlistedResult,
  type AccountDeps,
  type Registered,
  type SignedIn,
} from './accounts.js';

/*
 * Sign-in vouched for by a proof other than a password: the producer's identity token, or a
 * link emailed to the attendee. Either proof also confirms the attendee's address.
 */

/** Marks the attendee's address as proven and tells the producer's webhooks. */
async function confirm(deps: AccountDeps, user: UserRow, via: 'link' | 'identity') {
  await user.update({ confirmed_at: new Date(deps.now()) });
  await deps.webhooks.emit(user.event_id!, WebhookTopic.registrationConfirmed, confirmedAttendee(user, via));
}

const maxIdentityLifetimeSeconds = 600;

/**
 * Signs in (registering on first use) an attendee vouched for by the producer's own
 * server: a JWT signed with the event's embed secret, audience = the event's slug.
 */
export async function identify(
  deps: AccountDeps,
  event: EventRow,
  input: InferOutput<typeof IdentityInput>,
  ip: string,
): Promise<Registered> {
  let claims: jwt.JwtPayload;
  try {
    const payload = jwt.verify(input.identity, createSecretKey(Buffer.from(event.embed_secret)), { algorithms: ['HS256'], audience: event.slug });
    if (typeof payload !== 'object') throw new Error('not an object');
    claims = payload;
  } catch {
    throw new AppError(401, ErrorCode.invalidIdentity);
  }
  const now = Math.floor(Date.now() / 1000);
  const email = validate(emailSchema, claims.email);
  // A name too long for the column is cut rather than refused: the producer's site chose it.
  const name = typeof claims.name === 'string' ? cleanName(claims.name).slice(0, Limits.nameMax) : '';
  if (typeof claims.exp !== 'number' || claims.exp - now > maxIdentityLifetimeSeconds || !email.ok || !hasVisibleText(name)) {
    throw new AppError(401, ErrorCode.invalidIdentity);
  }
  const consent = claims.consent === true;
  const existing = await UserRow.findOne({ where: { email: email.value, event_id: event.id } });
  if (existing) {
    if (existing.role === Role.attendee && existing.status === RegistrationStatus.waitlisted) return waitlistedResult(existing);
    if (existing.role === Role.attendee) await requireCurrentConsent(deps, event, existing, consent, ip);
    const signedIn = signInAttendee(deps, existing, event);
    if (existing.confirmed_at == null) await confirm(deps, existing, 'identity');
    return signedIn;
  }
  const phone = typeof claims.phone === 'string' ? claims.phone.trim().slice(0, 40) || null : null;
  return registerAttendee(deps, event, { name, email: email.value, phone, fields: claims.fields, consent, phoneOptional: true }, ip, true);
}

/**
 * Signs in the attendee an emailed link was issued to, spending it (see auth/sign-in-links.ts
 * for its error codes), and confirms their address. Staff never sign in this way: a link of
 * theirs counts as `sign_in_link_invalid`.
 */
export async function signInWithLink(deps: AccountDeps, event: EventRow, token: unknown): Promise<SignedIn> {
  const now = deps.now();
  const user = await consumeSignInToken(token, event.id, now);
  if (user.role !== Role.attendee) throw new AppError(400, ErrorCode.signInLinkInvalid);
  refuseEntry(user, event, now);
  if (user.confirmed_at == null) await confirm(deps, user, 'link');
  return signIn(deps, user, event);
}
