import { createHash, randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { ErrorCode } from '@palco/sdk/protocol';
import { SignInLinkRow, UserRow } from '../db/models.js';
import { AppError } from '../errors.js';

/** How long an emailed sign-in link works (DESIGN.md "Sign-in by link"). */
export const signInLinkLifetimeMs = 30 * 60 * 1000;

/** 32 random bytes as base64url: what the link carries, and nothing else looks like it. */
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A new single-use token for `user`, valid from `now` (ms) for 30 minutes. Only its SHA-256
 * is stored: a copy of the database signs nobody in. A fast hash suffices because the
 * token has 256 random bits, so there is nothing to guess offline.
 */
export async function issueSignInToken(user: UserRow, now: number): Promise<string> {
  const [token] = await issueSignInTokens([user], now);
  return token!;
}

/** `issueSignInToken` for several users at once, in one INSERT: one token per user, in order. */
export async function issueSignInTokens(users: readonly UserRow[], now: number): Promise<string[]> {
  const tokens = users.map(() => randomBytes(32).toString('base64url'));
  await SignInLinkRow.bulkCreate(
    users.map((user, i) => ({
      user_id: user.id,
      event_id: user.event_id!,
      token_hash: hashOf(tokens[i]!),
      expires_at: new Date(now + signInLinkLifetimeMs),
    })),
  );
  return tokens;
}

async function findLink(token: unknown, eventId: number, now: number): Promise<SignInLinkRow> {
  if (typeof token !== 'string' || !tokenPattern.test(token)) throw new AppError(400, ErrorCode.signInLinkInvalid);
  const link = await SignInLinkRow.findOne({ where: { token_hash: hashOf(token) } });
  if (!link || link.event_id !== eventId) throw new AppError(400, ErrorCode.signInLinkInvalid);
  if (link.used_at != null) throw new AppError(400, ErrorCode.signInLinkUsed);
  if (link.expires_at.getTime() <= now) throw new AppError(400, ErrorCode.signInLinkExpired);
  return link;
}

/** Throws what consuming the token would throw, and spends nothing: for the page a link opens. */
export async function checkSignInToken(token: unknown, eventId: number, now: number): Promise<void> {
  await findLink(token, eventId, now);
}

/**
 * Spends a token of event `eventId` and returns its user. Errors (all 400 but the last):
 * `sign_in_link_invalid` (malformed, unknown, or another event's), `sign_in_link_expired`,
 * `sign_in_link_used` (one atomic UPDATE decides, so two clicks at once sign in once), and
 * 404 `not_registered` when the registration is gone.
 */
export async function consumeSignInToken(token: unknown, eventId: number, now: number): Promise<UserRow> {
  const link = await findLink(token, eventId, now);
  const [spent] = await SignInLinkRow.update({ used_at: new Date(now) }, { where: { id: link.id, used_at: { [Op.is]: null } } });
  if (spent !== 1) throw new AppError(400, ErrorCode.signInLinkUsed);
  const user = await UserRow.findOne({ where: { id: link.user_id, event_id: eventId } });
  if (!user) throw new AppError(404, ErrorCode.notRegistered);
  return user;
}
