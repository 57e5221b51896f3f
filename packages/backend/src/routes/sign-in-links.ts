import Router from '@koa/router';
import type { Context } from 'koa';
import { SignInLinkInput } from '@palco/sdk/protocol';
import { chargedFor } from '../auth/rate-limits.js';
import { setSessionCookie } from '../auth/session.js';
import { checkSignInToken } from '../auth/sign-in-links.js';
import type { AppDeps } from '../context.js';
import { parseBody } from '../http.js';
import { journeyTextsFor } from '../pages/journey-texts.js';
import { OneButtonPage } from '../pages/one-button-page.js';
import { withLang } from '../pages/render.js';
import { mailSignInLink, signInWithLink } from '../services/accounts.js';
import { toPublicEvent } from '../services/serialize.js';
import { chrome, messagePageFor, sendPage } from './pages.js';

/** The token of the auth page's query or form, as text (anything else is "malformed" downstream). */
const tokenOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Sign-in by emailed link (docs/journey.md): asking for a link, the page the link opens, and
 * the button that spends it.
 */
export function signInLinkRoutes(deps: AppDeps): Router {
  const router = new Router();
  const { rateLimits } = deps.config;
  const perEmail = deps.makeLimiter({ keyPrefix: 'sign_in_link_email', points: rateLimits.signInLinksPerEmail, duration: 3600 });
  const perIp = deps.makeLimiter({ keyPrefix: 'sign_in_link_ip', points: rateLimits.signInLinksPerIp, duration: 10 * 60 });

  // 202 whether or not the address is registered: the answer must not tell who is.
  router.post('/api/events/:slug/sign-in-link', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const { email } = parseBody(ctx, SignInLinkInput);
    await chargedFor(
      [
        [perIp, ctx.ip],
        [perEmail, `${event.id}:${email}`],
      ],
      () => mailSignInLink(deps, event, email),
    );
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });

  const authPage = (ctx: Context) => {
    ctx.state.renderError = messagePageFor(ctx);
    return deps.events.bySlugOr404(ctx.params.slug!);
  };

  router.get('/e/:slug/auth', async (ctx) => {
    const event = await authPage(ctx);
    const token = tokenOf(ctx.query.token);
    await checkSignInToken(token, event.id, deps.now());
    const texts = journeyTextsFor(ctx.state.lang);
    // The token is in this page's address: no referrer may carry it elsewhere (helmet sets no-referrer).
    sendPage(ctx, OneButtonPage, {
      ...chrome(ctx),
      event: toPublicEvent(event, deps.now()),
      heading: texts.signInHeading,
      detail: texts.signInDetail,
      action: withLang(`/e/${event.slug}/auth`, ctx.state.lang),
      fields: { token: token! },
      button: texts.signInButton,
    });
  });

  router.post('/e/:slug/auth', async (ctx) => {
    const event = await authPage(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const signedIn = await signInWithLink(deps, event, tokenOf(body.token));
    setSessionCookie(ctx, signedIn.user, signedIn.result.token, deps.tokens.ttlSeconds);
    ctx.status = 303;
    ctx.redirect(signedIn.result.redirect);
  });

  return router;
}
