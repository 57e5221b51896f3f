import Router from '@koa/router';
import type { Context } from 'koa';
import { ErrorCode, LoginInput, type MeResult } from '@palco/sdk/protocol';
import { clearSessionCookie, requireSession, sessionFromToken, setSessionCookie, tokenFromRequest } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import type { EventRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { parseBody } from '../http.js';
import { revokeSessions } from '../services/accounts.js';
import { loginAdmin } from '../services/password-sign-in.js';
import { toPublicEvent, toSessionUser } from '../services/serialize.js';

export function authRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api' });

  /** `?event=slug` picks that event's cookie when a browser holds several sessions. */
  const eventFromQuery = async (ctx: Context): Promise<EventRow | undefined> =>
    typeof ctx.query.event === 'string' ? deps.events.bySlugOr404(ctx.query.event) : undefined;

  router.get('/me', async (ctx) => {
    const event = await eventFromQuery(ctx);
    const { user } = await requireSession(ctx, deps.tokens, event);
    const own = event ?? (user.event_id == null ? null : await deps.events.byId(user.event_id));
    const body: MeResult = { user: toSessionUser(user), event: own ? toPublicEvent(own) : null };
    ctx.body = body;
  });

  router.post('/auth/login', async (ctx) => {
    const signedIn = await loginAdmin(deps, parseBody(ctx, LoginInput), ctx.ip);
    setSessionCookie(ctx, signedIn.user, signedIn.result.token, deps.tokens.ttlSeconds);
    ctx.body = signedIn.result;
  });

  router.post('/auth/logout', async (ctx) => {
    const event = await eventFromQuery(ctx);
    const session = await sessionFromToken(deps.tokens, tokenFromRequest(ctx, event?.id));
    if (!session) throw new AppError(401, ErrorCode.notAuthenticated);
    const { user } = session;
    await revokeSessions(deps.bus, user);
    clearSessionCookie(ctx, user);
    ctx.status = 204;
  });

  return router;
}
