import Router from '@koa/router';
import type { Context } from 'koa';
import { IdentityInput, LoginInput, RegisterInput } from '@palco/sdk/protocol';
import { setSessionCookie } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { parseBody } from '../http.js';
import { identify, login, registerAttendee, type SignedIn } from '../services/accounts.js';
import { toPublicEvent } from '../services/serialize.js';

/** Public event information, registration and sign-in. */
export function eventRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/events' });
  const respond = (ctx: Context, signedIn: SignedIn, status: number) => {
    setSessionCookie(ctx, signedIn.user, signedIn.result.token, deps.tokens.ttlSeconds);
    ctx.status = status;
    ctx.body = signedIn.result;
  };

  router.get('/:slug', async (ctx) => {
    ctx.body = toPublicEvent(await deps.events.bySlugOr404(ctx.params.slug!), deps.now());
  });

  router.post('/:slug/register', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const input = parseBody(ctx, RegisterInput);
    respond(ctx, await registerAttendee(deps, event, { ...input, lang: ctx.state.lang }, ctx.ip), 201);
  });

  router.post('/:slug/login', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const input = parseBody(ctx, LoginInput);
    respond(ctx, await login(deps, event, input, ctx.ip), 200);
  });

  router.post('/:slug/identity', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const input = parseBody(ctx, IdentityInput);
    respond(ctx, await identify(deps, event, input, ctx.ip), 200);
  });

  return router;
}
