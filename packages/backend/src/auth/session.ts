import type { Context } from 'koa';
import { ErrorCode, EventState, Role } from '@palco/sdk/protocol';
import { UserRow, type EventRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { bearerToken } from '../http.js';
import { isCrossSite } from './request-site.js';
import { stateOf } from '../services/serialize.js';
import type { SessionClaims, TokenService } from './tokens.js';

export interface Session {
  user: UserRow;
  claims: SessionClaims;
}

const adminCookie = 'palco_admin';
const eventCookiePrefix = 'palco_e';
/** One cookie per event, so an attendee of two events in one browser keeps both sessions. */
const eventCookie = (eventId: number) => `${eventCookiePrefix}${eventId}`;

function isSessionCookieName(name: string): boolean {
  return name === adminCookie || (name.startsWith(eventCookiePrefix) && /^\d+$/.test(name.slice(eventCookiePrefix.length)));
}

/** Whether the request carries any Palco session cookie, of an event or of the administrator. */
export function carriesSessionCookie(ctx: Context): boolean {
  return ctx
    .get('Cookie')
    .split(';')
    .some((pair) => isSessionCookieName(pair.split('=', 1)[0]!.trim()));
}

function cookieNameFor(user: UserRow): string {
  return user.event_id == null ? adminCookie : eventCookie(user.event_id);
}

/**
 * Keeps the session in the browser. A request another site made gets no cookie (its token is
 * still in the answer, for widgets that send it as a bearer): otherwise a foreign page could
 * sign the browser into an account of its choosing (login CSRF).
 */
export function setSessionCookie(ctx: Context, user: UserRow, token: string, ttlSeconds: number) {
  if (isCrossSite(ctx)) return;
  ctx.cookies.set(cookieNameFor(user), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    maxAge: ttlSeconds * 1000,
    overwrite: true,
  });
}

export function clearSessionCookie(ctx: Context, user: UserRow) {
  ctx.cookies.set(cookieNameFor(user), null, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, overwrite: true });
}

/** The session cookies a request carries for `eventId`: the event's own, then the administrator's. */
export function sessionCookies(ctx: Context, eventId: number): Array<string | undefined> {
  return [ctx.cookies.get(eventCookie(eventId)), ctx.cookies.get(adminCookie)];
}

/** The bearer token, else the event's cookie, else the administrator's cookie. */
export function tokenFromRequest(ctx: Context, eventId?: number | null): string | null {
  // A Bearer header decides alone, even empty: a cookie never stands in for it (see csrf.ts).
  if (ctx.get('Authorization').startsWith('Bearer ')) return bearerToken(ctx);
  if (eventId != null) {
    const forEvent = ctx.cookies.get(eventCookie(eventId));
    if (forEvent) return forEvent;
  }
  return ctx.cookies.get(adminCookie) ?? null;
}

/** The user behind a token, if the token is valid, current (token_version) and the user not banned. */
export async function sessionFromToken(tokens: TokenService, token: string | null): Promise<Session | null> {
  if (!token) return null;
  const claims = tokens.verify(token);
  if (!claims) return null;
  const user = await UserRow.findByPk(Number(claims.sub));
  if (!user || user.token_version !== claims.tv || user.role !== claims.role || user.event_id !== claims.eid) return null;
  return { user, claims };
}

export function belongsToEvent(user: UserRow, event: EventRow): boolean {
  return user.event_id === event.id || (user.role === Role.admin && user.event_id == null);
}

/** The signed-in user of this request, optionally as a member of `event`. */
export async function requireSession(ctx: Context, tokens: TokenService, event?: EventRow): Promise<Session> {
  const session = await sessionFromToken(tokens, tokenFromRequest(ctx, event?.id));
  if (!session) throw new AppError(401, ErrorCode.notAuthenticated);
  if (session.user.banned) throw new AppError(403, ErrorCode.banned);
  if (event) {
    if (!belongsToEvent(session.user, event)) throw new AppError(403, ErrorCode.forbidden);
    // Attendees may come back while a replay is on demand; once ended, only staff.
    if (session.user.role === Role.attendee && stateOf(event, Date.now()) === EventState.ended) {
      throw new AppError(403, ErrorCode.eventClosed);
    }
  }
  return session;
}

export function requireRole(session: Session, roles: readonly Role[]) {
  if (!roles.includes(session.user.role)) throw new AppError(403, ErrorCode.forbidden);
}
