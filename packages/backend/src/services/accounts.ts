import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UniqueConstraintError } from 'sequelize';
import type { InferOutput } from 'valibot';
import {
  cleanName,
  CloseCode,
  emailSchema,
  ErrorCode,
  EventState,
  hasVisibleText,
  Limits,
  MailKind,
  Role,
  SignInMethod,
  validate,
  WebhookTopic,
  type AuthResult,
  type Lang,
} from '@palco/sdk/protocol';
import type { IdentityInput, LoginInput } from '@palco/sdk/protocol';
import { verifySecret } from '../auth/passwords.js';
import { consumeSignInToken } from '../auth/sign-in-links.js';
import type { AppDeps } from '../context.js';
import { Batcher } from '../db/batcher.js';
import { EventRow, UserRow } from '../db/models.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../bus/bus.js';
import { confirmedAttendee, registeredAttendee } from '../webhooks/announcements.js';
import { emailDomainAllowed, redirectFor } from './events.js';
import { registrationOpen, stateOf, toSessionUser } from './serialize.js';

export type AccountDeps = Pick<AppDeps, 'tokens' | 'authLimits' | 'bus' | 'webhooks' | 'attendeeInserts' | 'outbox' | 'now'>;

export interface SignedIn {
  user: UserRow;
  result: AuthResult;
}

function signIn(deps: AccountDeps, user: UserRow, event: EventRow | null): SignedIn {
  const token = deps.tokens.issue({ sub: String(user.id), eid: user.event_id, role: user.role, tv: user.token_version });
  const redirect = redirectFor(user.role, event?.slug ?? '');
  return { user, result: { token, user: toSessionUser(user), redirect } };
}

/**
 * The one rule for every path that vouches for an email without the person's own password:
 * registration, the event's access code and the producer's identity token create or sign in
 * an attendee (`visor`) and nothing else. Moderators, speakers and administrators prove
 * themselves with their own password alone, so an email of theirs gets 403 `staff_account`
 * and no session. An administrator's invitation, bound to one staff account, would be the
 * one exception, and would be decided here.
 */
function signInAttendee(deps: AccountDeps, user: UserRow, event: EventRow): SignedIn {
  if (user.role !== Role.attendee) throw new AppError(403, ErrorCode.staffAccount);
  if (user.banned) throw new AppError(403, ErrorCode.banned);
  if (shutOut(user, event, deps.now())) throw new AppError(403, ErrorCode.eventClosed);
  return signIn(deps, user, event);
}

export interface NewAttendee {
  name: string;
  email: string;
  phone: string | null;
  /** The language they registered in: their emails use it. */
  lang?: Lang | null;
}

export interface NewAttendeeRow extends NewAttendee {
  event_id: number;
  /** Set when the producer's identity token vouched for the address. */
  confirmed_at: Date | null;
}

/** Attendees sign in with an emailed link or the event's access code: no password of their own. */
const attendeeRow = (row: NewAttendeeRow) => ({ ...row, lang: row.lang ?? null, password: null, role: Role.attendee });

/** Rows per INSERT, well under both databases' limits on placeholders. */
const maxAttendeesPerInsert = 200;

/**
 * One multi-row INSERT for registrations that arrive together. If any of them is already
 * registered the whole statement fails, and each row is inserted alone so every caller gets
 * its own answer.
 */
async function insertAttendees(rows: NewAttendeeRow[]): Promise<PromiseSettledResult<UserRow>[]> {
  if (rows.length === 1) return Promise.allSettled([UserRow.create(attendeeRow(rows[0]!))]);
  let created: UserRow[];
  try {
    created = await UserRow.bulkCreate(rows.map(attendeeRow));
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    return Promise.allSettled(rows.map((row) => UserRow.create(attendeeRow(row))));
  }
  // The ids are read back: how a driver numbers the rows of a multi-row insert is not relied on.
  const stored = await UserRow.findAll({
    attributes: ['id', 'email', 'event_id'],
    where: { email: rows.map((row) => row.email), event_id: [...new Set(rows.map((row) => row.event_id))] },
    raw: true,
  });
  const idOf = new Map(stored.map((user) => [`${user.event_id}:${user.email}`, user.id]));
  return created.map((user) => {
    user.setDataValue('id', idOf.get(`${user.event_id}:${user.email}`)!);
    return { status: 'fulfilled', value: user };
  });
}

/** The registrations of one process, written in batches. */
export function attendeeInserts(): Batcher<NewAttendeeRow, UserRow> {
  return new Batcher(insertAttendees, maxAttendeesPerInsert);
}

/** Attendees may come back while a replay is on demand; once the event has ended, only staff enter. */
const shutOut = (user: UserRow, event: EventRow, now: number) => user.role === Role.attendee && stateOf(event, now) === EventState.ended;

const loginUrl = (event: EventRow, email: string) => `/e/${event.slug}/login?email=${encodeURIComponent(email)}`;

/**
 * Registers an attendee (docs/architecture.md "Identity and access", docs/journey.md) and signs
 * them in at once, unconfirmed until they open the link of the confirmation email, which is
 * queued here (and sent off the request path). An address already registered gets 409
 * `already_registered`, and on an event whose attendees sign in by link, a sign-in link in
 * its inbox: whoever typed it learns it is registered, but only the inbox's owner gets in.
 * A staff member's address gets 403 `staff_account`.
 * `vouched`: the producer's identity token proved the address, so it is confirmed already.
 */
export async function registerAttendee(
  deps: AccountDeps,
  event: EventRow,
  input: NewAttendee,
  ip: string,
  vouched = false,
): Promise<SignedIn> {
  await deps.authLimits.beforeRegistration(ip, `${event.id}:${input.email}`);
  if (!registrationOpen(event, deps.now())) throw new AppError(403, ErrorCode.eventClosed);
  if (!emailDomainAllowed(event, input.email)) throw new AppError(403, ErrorCode.domainNotAllowed);
  // The unique (email, event_id) index answers "already registered" as part of the insert.
  let user: UserRow;
  try {
    user = await deps.attendeeInserts.add({
      name: input.name,
      email: input.email,
      phone: input.phone,
      lang: input.lang ?? null,
      event_id: event.id,
      confirmed_at: vouched ? new Date(deps.now()) : null,
    });
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    // Only a taken address costs this read: a moderator's or speaker's is no attendee's to claim.
    const holder = await UserRow.findOne({ attributes: ['role'], where: { email: input.email, event_id: event.id } });
    if (holder && holder.role !== Role.attendee) throw new AppError(403, ErrorCode.staffAccount);
    await mailSignInLink(deps, event, input.email);
    throw new AppError(409, ErrorCode.alreadyRegistered, { login_url: loginUrl(event, input.email) });
  }
  deps.webhooks.emit(event.id, WebhookTopic.userRegistered, registeredAttendee(user));
  if (vouched) deps.webhooks.emit(event.id, WebhookTopic.registrationConfirmed, confirmedAttendee(user, 'identity'));
  else await deps.outbox.send(MailKind.confirmation, user);
  return signInAttendee(deps, user, event);
}

/** Marks the attendee's address as proven and tells the producer's webhooks. */
async function confirm(deps: AccountDeps, user: UserRow, via: 'link' | 'identity') {
  await user.update({ confirmed_at: new Date(deps.now()) });
  await deps.webhooks.emit(user.event_id!, WebhookTopic.registrationConfirmed, confirmedAttendee(user, via));
}

/** Queues a sign-in link to the attendee registered with `email`, on events that sign in by link; silent otherwise. */
export async function mailSignInLink(deps: Pick<AccountDeps, 'outbox'>, event: EventRow, email: string) {
  if (event.sign_in !== SignInMethod.link) return;
  const user = await UserRow.findOne({ where: { email, event_id: event.id, role: Role.attendee } });
  if (user && !user.banned) await deps.outbox.send(MailKind.signInLink, user);
}

/** Signs in an attendee (with the event's access code), a staff member or an administrator. */
export async function login(
  deps: AccountDeps,
  event: EventRow,
  input: InferOutput<typeof LoginInput>,
  ip: string,
): Promise<SignedIn> {
  const account = `${event.id}:${input.email}`;
  await deps.authLimits.beforeLogin(ip, account);
  const user =
    (await UserRow.findOne({ where: { email: input.email, event_id: event.id } })) ??
    (await UserRow.findOne({ where: { email: input.email, event_id: null, role: Role.admin } }));
  // Whether the address is registered stays unsaid: only staff have a password here.
  if (event.sign_in === SignInMethod.link && (user == null || user.role === Role.attendee)) {
    throw new AppError(403, ErrorCode.signInByLink);
  }
  // The event's access code proves an attendee only; everyone else has a password of their own.
  const hash = user == null ? null : user.role === Role.attendee ? event.access_code_hash : user.password;
  if (!user || !(await verifySecret(input.password, hash))) {
    await deps.authLimits.loginFailed(ip, account);
    throw new AppError(401, ErrorCode.invalidCredentials);
  }
  await deps.authLimits.loginSucceeded(account);
  if (user.banned) throw new AppError(403, ErrorCode.banned);
  if (shutOut(user, event, deps.now())) throw new AppError(403, ErrorCode.eventClosed);
  return signIn(deps, user, event);
}

/** Signs in a global administrator, outside any event (the admin pages' own login). */
export async function loginAdmin(deps: AccountDeps, input: InferOutput<typeof LoginInput>, ip: string): Promise<SignedIn> {
  const account = `admin:${input.email}`;
  await deps.authLimits.beforeLogin(ip, account);
  const user = await UserRow.findOne({ where: { email: input.email, event_id: null, role: Role.admin } });
  if (!user || !(await verifySecret(input.password, user.password))) {
    await deps.authLimits.loginFailed(ip, account);
    throw new AppError(401, ErrorCode.invalidCredentials);
  }
  await deps.authLimits.loginSucceeded(account);
  if (user.banned) throw new AppError(403, ErrorCode.banned);
  return signIn(deps, user, null);
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
): Promise<SignedIn> {
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
  const existing = await UserRow.findOne({ where: { email: email.value, event_id: event.id } });
  if (existing) {
    const signedIn = signInAttendee(deps, existing, event);
    if (existing.confirmed_at == null) await confirm(deps, existing, 'identity');
    return signedIn;
  }
  const phone = typeof claims.phone === 'string' ? claims.phone.trim().slice(0, 40) || null : null;
  return registerAttendee(deps, event, { name, email: email.value, phone }, ip, true);
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
  if (user.banned) throw new AppError(403, ErrorCode.banned);
  if (shutOut(user, event, now)) throw new AppError(403, ErrorCode.eventClosed);
  if (user.confirmed_at == null) await confirm(deps, user, 'link');
  return signIn(deps, user, event);
}

/** Revokes every token of the user and closes their sockets, on every process. */
export async function revokeSessions(bus: EventBus, user: UserRow) {
  await user.increment('token_version');
  await user.reload();
  await bus.publish({ kind: 'disconnect_user', eventId: user.event_id, userId: user.id, code: CloseCode.notAuthenticated });
}
