import type { Context } from 'koa';
import { CloseCode, ErrorCode, EventState } from '@palco/sdk/protocol';
import { belongsToEvent, sessionCookies } from '../auth/session.js';
import type { TokenService } from '../auth/tokens.js';
import { Batcher } from '../db/batcher.js';
import { UserRow, type EventRow } from '../db/models.js';
import type { EventCache } from '../services/event-cache.js';
import { splitList, stateOf } from '../services/serialize.js';
import { isAttendeeRole } from './connection.js';

/** Why a socket is turned away: its close code and the error whose text goes in the reason. */
export class Refusal extends Error {
  constructor(
    readonly closeCode: number,
    readonly errorCode: ErrorCode,
  ) {
    super(errorCode);
  }
}

export const refusals = {
  notAuthenticated: () => new Refusal(CloseCode.notAuthenticated, ErrorCode.notAuthenticated),
  forbidden: () => new Refusal(CloseCode.forbidden, ErrorCode.forbidden),
  banned: () => new Refusal(CloseCode.forbidden, ErrorCode.banned),
  eventNotFound: () => new Refusal(CloseCode.eventNotFound, ErrorCode.eventNotFound),
  eventClosed: () => new Refusal(CloseCode.eventClosed, ErrorCode.eventClosed),
  originNotAllowed: () => new Refusal(CloseCode.originNotAllowed, ErrorCode.originNotAllowed),
};

/** Ids per SELECT … IN, well under both databases' limits on placeholders. */
const maxUsersPerRead = 500;

/** The first value of a query parameter given once or several times. */
export const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The event named by `?event_id=` or `?event=` (its slug). */
export async function eventOfRequest(ctx: Context, events: EventCache): Promise<EventRow> {
  const id = first(ctx.query.event_id);
  const slug = first(ctx.query.event);
  let event: EventRow | null = null;
  if (id !== undefined) {
    if (/^\d{1,12}$/.test(id)) event = await events.byId(Number(id));
  } else if (slug !== undefined) {
    event = await events.bySlug(slug);
  }
  if (!event) throw refusals.eventNotFound();
  return event;
}

/**
 * A browser always sends `Origin`: it must be our own (scheme and host served) or one of the
 * event's allowed origins, exactly. A client without it (the SDK in Node, a bot) is judged by
 * its token alone.
 */
export function checkOrigin(ctx: Context, event: EventRow) {
  const origin = ctx.get('Origin');
  if (!origin) return;
  if (origin === `${ctx.protocol}://${ctx.host}`) return;
  if (splitList(event.allowed_origins).includes(origin)) return;
  throw refusals.originNotAllowed();
}

/** Longer than any token we issue: not worth verifying. */
const maxTokenLength = 4096;

/**
 * The token the upgrade request presents, or null when it presents none and the socket must
 * send `auth`. A `token` query parameter is presented on purpose: when it is not a genuine
 * token of ours (garbage, a forged signature, `alg: none`, expired) the socket is refused
 * with 4001 at once. Session cookies ride along with every request, so a stale one is not a
 * credential presented: it is skipped, and a later `auth` frame may still admit the socket.
 * `?role=` and the like are never read.
 */
export function presentedToken(tokens: TokenService, ctx: Context, eventId: number): string | null {
  const query = first(ctx.query.token);
  if (query !== undefined && query !== '') {
    if (query.length > maxTokenLength || tokens.verify(query) === null) throw refusals.notAuthenticated();
    return query;
  }
  const cookies = sessionCookies(ctx, eventId).filter(
    (token): token is string => typeof token === 'string' && token.length > 0 && token.length <= maxTokenLength,
  );
  return cookies.find((token) => tokens.verify(token) !== null) ?? null;
}

/** Who a token admits, and until when (milliseconds since the epoch): a session ends at its expiry even mid-event. */
export interface Admission {
  user: UserRow;
  sessionEndsAt: number;
}

export type UserReads = Batcher<number, UserRow | null>;

/** Users by id for the admissions of one process: sockets that connect together cost one query. */
export function userReads(): UserReads {
  return new Batcher(async (ids) => {
    const rows = await UserRow.findAll({ where: { id: [...new Set(ids)] } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => ({ status: 'fulfilled', value: byId.get(id) ?? null }));
  }, maxUsersPerRead);
}

/**
 * The user a token admits to `event`. The role and the event come from the session alone;
 * a token of another event never joins this one; a banned user is told so even though the
 * ban already revoked their token; a closed event admits attendees while its replay is on
 * demand (read-only, docs/journey.md) and staff only once it has `ended` at `now` (ms).
 */
export async function admitToken(tokens: TokenService, users: UserReads, token: string, event: EventRow, now: number): Promise<Admission> {
  const claims = tokens.verify(token);
  if (!claims) throw refusals.notAuthenticated();
  const user = await users.add(Number(claims.sub));
  if (!user || user.role !== claims.role || user.event_id !== claims.eid) throw refusals.notAuthenticated();
  if (!belongsToEvent(user, event)) throw refusals.forbidden();
  if (user.banned) throw refusals.banned();
  if (user.token_version !== claims.tv) throw refusals.notAuthenticated();
  if (isAttendeeRole(user.role) && stateOf(event, now) === EventState.ended) throw refusals.eventClosed();
  return { user, sessionEndsAt: claims.exp * 1000 };
}
