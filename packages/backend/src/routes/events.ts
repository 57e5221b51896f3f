import Router from '@koa/router';
import type { Context } from 'koa';
import { emailSchema, IdentityInput, LoginInput, RegisterInput, validate } from '@palco/sdk/protocol';
import { clearSessionCookie, requireSession, setSessionCookie } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import type { EventRow } from '../db/models.js';
import { parseBody, parseBodyWith } from '../http.js';
import {
  cancelRegistration,
  eventQuestionAnswers,
  isWaitlisted,
  registerAttendee,
  registrationRefusal,
  type Registered,
} from '../services/accounts.js';
import { login } from '../services/password-sign-in.js';
import { identify } from '../services/vouched-sign-in.js';
import { toPublicEvent } from '../services/serialize.js';

/**
 * A registration body: the protocol's schema, the email's domain and the event's own questions,
 * every problem reported at once.
 */
export function parseRegistration(ctx: Context, event: EventRow) {
  return parseBodyWith(
    ctx,
    RegisterInput,
    (body, parsed) => {
      const email = validate(emailSchema, body.email);
      const phone = parsed ? parsed.phone : typeof body.phone === 'string' ? body.phone.trim() : null;
      const consent = parsed ? parsed.consent : body.consent === true || body.consent === 'on' || body.consent === 'true';
      const { problems } = eventQuestionAnswers(event, { email: email.ok ? email.value : null, phone, fields: body.fields, consent });
      return problems;
    },
    registrationRefusal,
  );
}

/** Public event information, registration and sign-in. */
export function eventRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/events' });
  /** A session for the attendee, or 202 `{status: "waitlisted"}` and none. */
  const respond = (ctx: Context, registered: Registered, status: number) => {
    if (isWaitlisted(registered)) {
      ctx.status = 202;
      ctx.body = registered.result;
      return;
    }
    setSessionCookie(ctx, registered.user, registered.result.token, deps.tokens.ttlSeconds);
    ctx.status = status;
    ctx.body = registered.result;
  };

  router.get('/:slug', async (ctx) => {
    ctx.body = toPublicEvent(await deps.events.bySlugOr404(ctx.params.slug!), deps.now());
  });

  router.post('/:slug/register', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const input = parseRegistration(ctx, event);
    respond(ctx, await registerAttendee(deps, event, { ...input, lang: ctx.state.lang }, ctx.ip), 201);
  });

  /** The signed-in attendee cancels their own registration: their seat is freed and their session ends. */
  router.delete('/:slug/registration', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const session = await requireSession(ctx, deps.tokens, event);
    await cancelRegistration(deps, event, session.user);
    clearSessionCookie(ctx, session.user);
    ctx.status = 204;
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
