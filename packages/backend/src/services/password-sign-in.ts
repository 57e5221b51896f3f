import type { InferOutput } from 'valibot';
import { ErrorCode, Role, SignInMethod, type LoginInput } from '@palco/sdk/protocol';
import { verifySecret } from '../auth/passwords.js';
import { EventRow, UserRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { refuseEntry, requireCurrentConsent, signIn, type AccountDeps, type SignedIn } from './accounts.js';

/*
 * Sign-in with a secret typed into a form: the event's access code for attendees, their own
 * password for staff and administrators. Proofs other than a secret are vouched-sign-in.ts.
 */

/** The key of an administrator's sign-in failures and lockout, on /admin and every event's form alike. */
const adminAccount = (email: string) => `admin:${email}`;

/**
 * Why a sign-in on an event's form failed, told no more plainly than registering tells it
 * (docs/security.md "Registration reveals who is registered"): an email nobody registered is
 * answered as a wrong access code, unless the code was right, which only the invited know;
 * staff, whom registering names already, hear of their password, or that the code is not theirs.
 */
async function signInRefusal(event: EventRow, user: UserRow | null, secret: string, codeMatched: boolean): Promise<AppError> {
  const wrongAccessCode = new AppError(401, ErrorCode.wrongAccessCode, { fields: { password: ErrorCode.wrongAccessCode } });
  if (user === null) return codeMatched ? new AppError(404, ErrorCode.notRegistered, { fields: { email: ErrorCode.notRegistered } }) : wrongAccessCode;
  if (user.role === Role.attendee) return wrongAccessCode;
  if (await verifySecret(secret, event.access_code_hash)) return new AppError(403, ErrorCode.staffAccount);
  return new AppError(401, ErrorCode.wrongPassword, { fields: { password: ErrorCode.wrongPassword } });
}

/** Signs in an attendee (with the event's access code), a staff member or an administrator. */
export async function login(
  deps: AccountDeps,
  event: EventRow,
  input: InferOutput<typeof LoginInput>,
  ip: string,
): Promise<SignedIn> {
  const user =
    (await UserRow.findOne({ where: { email: input.email, event_id: event.id } })) ??
    (await UserRow.findOne({ where: { email: input.email, event_id: null, role: Role.admin } }));
  // Read first: an administrator may sign in on any event's form, and meets their one lockout
  // there, not a fresh one per event (each would be five more guesses at their password).
  const account = user?.role === Role.admin ? adminAccount(input.email) : `${event.id}:${input.email}`;
  await deps.authLimits.beforeLogin(ip, account);
  // Whether the address is registered stays unsaid: only staff have a password here.
  if (event.sign_in === SignInMethod.link && (user == null || user.role === Role.attendee)) {
    throw new AppError(403, ErrorCode.signInByLink);
  }
  // The event's access code proves an attendee only; everyone else has a password of their own.
  const hash = user != null && user.role !== Role.attendee ? user.password : event.access_code_hash;
  const proven = await verifySecret(input.password, hash);
  if (!user || !proven) {
    await deps.authLimits.loginFailed(ip, account);
    throw await signInRefusal(event, user, input.password, proven);
  }
  await deps.authLimits.loginSucceeded(account);
  refuseEntry(user, event, deps.now());
  await requireCurrentConsent(deps, event, user, input.consent, ip);
  return signIn(deps, user, event);
}

/** Signs in a global administrator, outside any event (the admin pages' own login). */
export async function loginAdmin(deps: AccountDeps, input: InferOutput<typeof LoginInput>, ip: string): Promise<SignedIn> {
  const account = adminAccount(input.email);
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
