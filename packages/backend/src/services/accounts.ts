import { UniqueConstraintError } from 'sequelize';
import {
  CloseCode,
  emailDomainAllowed,
  ErrorCode,
  EventState,
  MailKind,
  RegistrationStatus,
  Role,
  SignInMethod,
  validateFieldValues,
  WebhookTopic,
  type AuthResult,
  type FieldValues,
  type Lang,
  type WaitlistedResult,
} from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { Batcher } from '../db/batcher.js';
import { EventRow, UserRow } from '../db/models.js';
import { AppError, invalidInput } from '../errors.js';
import type { EventBus } from '../bus/bus.js';
import { confirmedAttendee, registeredAttendee } from '../webhooks/announcements.js';
import { isCountryCode } from './countries.js';
import { redirectFor } from './events.js';
import { claimSeat, releaseSeat } from './seats.js';
import { privacyNoticeOf, registrationFieldsOf, registrationOpen, splitList, stateOf, toSessionUser } from './serialize.js';

export type AccountDeps = Pick<AppDeps, 'tokens' | 'authLimits' | 'bus' | 'webhooks' | 'attendeeInserts' | 'outbox' | 'now'>;

export interface SignedIn {
  user: UserRow;
  result: AuthResult;
}

export function signIn(deps: AccountDeps, user: UserRow, event: EventRow | null): SignedIn {
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
export function signInAttendee(deps: AccountDeps, user: UserRow, event: EventRow): SignedIn {
  if (user.role !== Role.attendee) throw new AppError(403, ErrorCode.staffAccount);
  refuseEntry(user, event, deps.now());
  return signIn(deps, user, event);
}

export interface NewAttendee {
  name: string;
  email: string;
  phone?: string | null;
  /** The language they registered in: their emails use it. */
  lang?: Lang | null;
  /** Answers to the event's custom fields, unchecked: `registerAttendee` checks them. */
  fields?: unknown;
  /** The person ticked the privacy notice's box. */
  consent?: boolean;
  /** The producer's identity token may leave the phone out whatever `phone_required` says, as it always could. */
  phoneOptional?: boolean;
}

export interface NewAttendeeRow {
  name: string;
  email: string;
  phone: string | null;
  lang: Lang | null;
  event_id: number;
  /** Set when the producer's identity token vouched for the address. */
  confirmed_at: Date | null;
  fields: string | null;
  status: RegistrationStatus;
  consent_at: Date | null;
  consent_version: string | null;
  consent_ip: string | null;
}

/** A registration past capacity, on the waitlist: no session until an administrator admits them. */
export interface Waitlisted {
  user: UserRow;
  result: WaitlistedResult;
}

export type Registered = SignedIn | Waitlisted;

export const isWaitlisted = (registered: Registered): registered is Waitlisted => 'status' in registered.result;

export const waitlistedResult = (user: UserRow): Waitlisted => ({
  user,
  result: { status: RegistrationStatus.waitlisted, user: { id: user.id, name: user.name, email: user.email } },
});

/** Attendees sign in with an emailed link or the event's access code: no password of their own. */
const attendeeRow = (row: NewAttendeeRow) => ({ ...row, password: null, role: Role.attendee });

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

/**
 * Refuses a person who may not sign in to `event` at `now` (ms), whatever proved who they are:
 * 403 `banned`; 403 `event_closed` for an attendee once the event has ended (they may come
 * back while a replay is on demand; staff always enter); 403 `waitlisted` for an attendee not
 * yet admitted, who has no session until then.
 */
export function refuseEntry(user: UserRow, event: EventRow, now: number) {
  if (user.banned) throw new AppError(403, ErrorCode.banned);
  if (user.role === Role.attendee && stateOf(event, now) === EventState.ended) throw new AppError(403, ErrorCode.eventClosed);
  if (user.status === RegistrationStatus.waitlisted) throw new AppError(403, ErrorCode.waitlisted);
}

const loginUrl = (event: EventRow, email: string) => `/e/${event.slug}/login?email=${encodeURIComponent(email)}`;

/**
 * What the event asks of a registration beyond a name and a well-formed email: an email of
 * its domains (`allowed_email_domains`), the phone (`phone_required`), the custom fields and
 * the privacy notice's consent. Problems are keyed `email`, `phone`, `fields.{key}` and
 * `consent`; `email` is null when the address itself was refused, so there is no domain to judge.
 */
export function eventQuestionAnswers(
  event: EventRow,
  input: Pick<NewAttendee, 'phone' | 'fields' | 'consent' | 'phoneOptional'> & { email: string | null },
): { answers: FieldValues; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (input.email !== null && !emailDomainAllowed(input.email, splitList(event.allowed_email_domains))) problems.email = ErrorCode.domainNotAllowed;
  if (event.phone_required && !input.phoneOptional && !input.phone) problems.phone = 'required';
  const checked = validateFieldValues(registrationFieldsOf(event), input.fields, isCountryCode);
  if (!checked.ok) Object.assign(problems, checked.fields);
  if (privacyNoticeOf(event) && !input.consent) problems.consent = 'consent_required';
  return { answers: checked.ok ? checked.value : {}, problems };
}

/**
 * The refusal of a registration with `problems`: 422 `invalid_input` naming every one of them,
 * so a person fixes them all at once. A refused domain alone is 403 `domain_not_allowed`, as
 * clients have always been answered, with the email marked all the same.
 */
export function registrationRefusal(problems: Record<string, string>): AppError {
  const refusedDomainOnly = problems.email === ErrorCode.domainNotAllowed && Object.keys(problems).length === 1;
  return refusedDomainOnly ? new AppError(403, ErrorCode.domainNotAllowed, { fields: problems }) : invalidInput(problems);
}

/** The answers, or the refusal naming every problem at once. */
function checkEventQuestions(event: EventRow, input: NewAttendee): FieldValues {
  const { answers, problems } = eventQuestionAnswers(event, input);
  if (Object.keys(problems).length > 0) throw registrationRefusal(problems);
  return answers;
}

/** The consent columns of a person who accepted the event's notice now, from `ip`. */
function consentColumns(event: EventRow, ip: string, now: Date) {
  const notice = privacyNoticeOf(event);
  return notice ? { consent_at: now, consent_version: notice.version, consent_ip: ip } : { consent_at: null, consent_version: null, consent_ip: null };
}

/**
 * Registers an attendee (docs/architecture.md "Identity and access", docs/journey.md) and signs
 * them in at once, unconfirmed until they open the link of the confirmation email, which is
 * queued here (and sent off the request path). An address already registered gets 409
 * `already_registered`, and on an event whose attendees sign in by link, a sign-in link in
 * its inbox: whoever typed it learns it is registered, but only the inbox's owner gets in.
 * A staff member's address gets 403 `staff_account`.
 * `vouched`: the producer's identity token proved the address, so it is confirmed already.
 * The email's domain, the event's own questions and consent are checked first, together
 * (docs/protocol.md "Registration");
 * past its capacity the attendee is waitlisted (no session) or refused with 409 `event_full`.
 * Once the event takes no more registrations (ended, or a replay without
 * `replay_registration`) the answer is 403 `registration_closed`.
 */
export async function registerAttendee(
  deps: AccountDeps,
  event: EventRow,
  input: NewAttendee,
  ip: string,
  vouched = false,
): Promise<Registered> {
  await deps.authLimits.beforeRegistration(ip, `${event.id}:${input.email}`);
  if (!registrationOpen(event, deps.now())) throw new AppError(403, ErrorCode.registrationClosed);
  const fields = checkEventQuestions(event, input);
  let status: RegistrationStatus = RegistrationStatus.registered;
  const capped = event.capacity != null;
  if (capped) {
    // A returning address is answered before it could hold a seat, even for a moment.
    if (await UserRow.count({ where: { email: input.email, event_id: event.id } })) await refuseTakenAddress(deps, event, input.email);
    if (!(await claimSeat(event))) {
      if (!event.waitlist) throw new AppError(409, ErrorCode.eventFull);
      status = RegistrationStatus.waitlisted;
    }
  }
  // The unique (email, event_id) index answers "already registered" as part of the insert.
  let user: UserRow;
  try {
    user = await deps.attendeeInserts.add({
      name: input.name,
      email: input.email,
      phone: input.phone || null,
      lang: input.lang ?? null,
      event_id: event.id,
      confirmed_at: vouched ? new Date(deps.now()) : null,
      fields: Object.keys(fields).length > 0 ? JSON.stringify(fields) : null,
      status,
      ...consentColumns(event, ip, new Date(deps.now())),
    });
  } catch (error) {
    // A seat claimed for a registration that was not stored goes back, whatever stopped it.
    if (capped && status === RegistrationStatus.registered) await releaseSeat(event.id);
    if (!(error instanceof UniqueConstraintError)) throw error;
    return refuseTakenAddress(deps, event, input.email);
  }
  deps.webhooks.emit(event.id, WebhookTopic.userRegistered, registeredAttendee(user));
  if (vouched) deps.webhooks.emit(event.id, WebhookTopic.registrationConfirmed, confirmedAttendee(user, 'identity'));
  // The waitlisted learn where they stand by mail too; the confirmation waits for their admission.
  if (status === RegistrationStatus.waitlisted) await deps.outbox.send(MailKind.waitlisted, user);
  else if (!vouched) await deps.outbox.send(MailKind.confirmation, user);
  if (status === RegistrationStatus.waitlisted) return waitlistedResult(user);
  return signInAttendee(deps, user, event);
}

async function refuseTakenAddress(deps: AccountDeps, event: EventRow, email: string): Promise<never> {
  // Only a taken address costs this read: a moderator's or speaker's is no attendee's to claim.
  const holder = await UserRow.findOne({ attributes: ['role'], where: { email, event_id: event.id } });
  if (holder && holder.role !== Role.attendee) throw new AppError(403, ErrorCode.staffAccount);
  // The link counts against the address's sign-in links, or typing an address again and
  // again would fill its inbox past the limit that asking for links meets.
  if (event.sign_in === SignInMethod.link && (await deps.authLimits.maySendSignInLink(`${event.id}:${email}`))) await mailSignInLink(deps, event, email);
  throw new AppError(409, ErrorCode.alreadyRegistered, { login_url: loginUrl(event, email) });
}

/**
 * An attendee who accepted an older version of the event's notice (or none) accepts the
 * current one before signing in again: without `consent` the answer is 403
 * `consent_required` carrying the notice to show; with it, the acceptance is stored.
 */
export async function requireCurrentConsent(deps: AccountDeps, event: EventRow, user: UserRow, consent: boolean | undefined, ip: string) {
  const notice = privacyNoticeOf(event);
  if (!notice || user.role !== Role.attendee || user.consent_version === notice.version) return;
  if (!consent) throw new AppError(403, ErrorCode.consentRequired, { privacy_notice: notice });
  await user.update(consentColumns(event, ip, new Date(deps.now())));
}

/** Queues a sign-in link to the attendee registered with `email`, on events that sign in by link; silent otherwise. */
export async function mailSignInLink(deps: Pick<AccountDeps, 'outbox'>, event: EventRow, email: string) {
  if (event.sign_in !== SignInMethod.link) return;
  const user = await UserRow.findOne({ where: { email, event_id: event.id, role: Role.attendee } });
  // The waitlisted have no session until admitted: a link would be a way past the capacity.
  if (user && !user.banned && user.status !== RegistrationStatus.waitlisted) await deps.outbox.send(MailKind.signInLink, user);
}
/** Revokes every token of the user and closes their sockets, on every process. */
export async function revokeSessions(bus: EventBus, user: UserRow) {
  await user.increment('token_version');
  await user.reload();
  await bus.publish({ kind: 'disconnect_user', eventId: user.event_id, userId: user.id, code: CloseCode.notAuthenticated });
}

/**
 * An attendee withdraws: the registration row goes (so the address may register again), a
 * seat it held returns to the event, and every socket of theirs closes. What they wrote in
 * chat and Q&A stays under the name they gave, as for anyone who leaves.
 */
export async function cancelRegistration(deps: Pick<AppDeps, 'bus'>, event: EventRow, user: UserRow): Promise<void> {
  if (user.role !== Role.attendee) throw new AppError(403, ErrorCode.forbidden);
  const removed = await UserRow.destroy({ where: { id: user.id, event_id: event.id } });
  if (removed === 1 && event.capacity != null && user.status === RegistrationStatus.registered) await releaseSeat(event.id);
  await deps.bus.publish({ kind: 'disconnect_user', eventId: event.id, userId: user.id, code: CloseCode.notAuthenticated });
}
