import Router from '@koa/router';
import type { Context } from 'koa';
import type { ComponentType } from 'preact';
import { ErrorCode, SignInLinkInput, type ErrorBody } from '@palco/sdk/protocol';
import { addressKey } from '../../auth/address-key.js';
import { consumeOrThrow } from '../../auth/rate-limits.js';
import { setSessionCookie } from '../../auth/session.js';
import { checkSignInToken } from '../../auth/sign-in-links.js';
import type { AppDeps } from '../../context.js';
import type { EventRow } from '../../db/models.js';
import { AppError } from '../../errors.js';
import { parseBody } from '../../http.js';
import { journeyTextsFor } from '../../pages/journey-texts.js';
import { MessagePage } from '../../pages/message-page.js';
import { OneButtonPage } from '../../pages/one-button-page.js';
import { withLang } from '../../pages/render.js';
import { LinkProblemPage, SignInLinkPage } from '../../pages/sign-in-link-page.js';
import { formPagePolicy, setPagePolicy } from '../../security-headers.js';
import { mailSignInLink } from '../../services/accounts.js';
import { signInWithLink } from '../../services/vouched-sign-in.js';
import { toPublicEvent } from '../../services/serialize.js';
import { chrome, messagePageFor, sendPage } from './forms.js';

/** A hosted page with the forms' content policy: its stylesheet, no script, forms posting to us only. */
export function sendFormPage<P extends object>(ctx: Context, page: ComponentType<P>, props: P) {
  setPagePolicy(ctx, formPagePolicy);
  sendPage(ctx, page, props);
}

/** The token of the auth page's query or form, as text (anything else is "malformed" downstream). */
const tokenOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Sign-in by emailed link (docs/journey.md): asking for a link (JSON for widgets and the SDK,
 * a form for the hosted pages), the page the link opens, and the button that spends it.
 */
export function signInLinkRoutes(deps: AppDeps): Router {
  const router = new Router();
  const { rateLimits } = deps.config;
  const perIp = deps.makeLimiter({ keyPrefix: 'sign_in_link_ip', points: rateLimits.signInLinksPerIp, duration: 10 * 60 });

  /**
   * Charges the limits, then mails a link if the address is registered, without waiting: the
   * answer must not take longer for a registered address than for an unknown one.
   */
  const requestLink = async (ctx: Context, event: EventRow, email: string) => {
    if (!deps.config.mail.enabled) throw new AppError(503, ErrorCode.mailOff);
    await consumeOrThrow(perIp, addressKey(ctx.ip));
    await deps.authLimits.beforeSignInLink(`${event.id}:${email}`);
    mailSignInLink(deps, event, email).catch((error: unknown) =>
      deps.logger.error({ err: error, eventId: event.id }, 'sign-in link could not be queued'),
    );
  };

  const requestHref = (ctx: Context, slug: string) => withLang(`/e/${slug}/sign-in-link`, ctx.state.lang);

  router.post('/api/events/:slug/sign-in-link', async (ctx) => {
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    await requestLink(ctx, event, parseBody(ctx, SignInLinkInput).email);
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });

  const showRequestForm = (ctx: Context, event: EventRow, email: string, error?: ErrorBody) =>
    sendFormPage(ctx, SignInLinkPage, {
      ...chrome(ctx),
      event: toPublicEvent(event, deps.now()),
      action: requestHref(ctx, event.slug),
      email,
      error,
    });

  router.get('/e/:slug/sign-in-link', async (ctx) => {
    ctx.state.renderError = messagePageFor(ctx);
    showRequestForm(ctx, await deps.events.bySlugOr404(ctx.params.slug!), '');
  });

  router.post('/e/:slug/sign-in-link', async (ctx) => {
    ctx.state.renderError = messagePageFor(ctx);
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const typed = (ctx.request.body as Record<string, unknown> | undefined)?.email;
    const email = typeof typed === 'string' ? typed.slice(0, 254) : '';
    ctx.state.renderError = (error: ErrorBody) => showRequestForm(ctx, event, email, error);
    const input = parseBody(ctx, SignInLinkInput);
    await requestLink(ctx, event, input.email);
    const texts = journeyTextsFor(ctx.state.lang);
    ctx.status = 202;
    sendFormPage(ctx, MessagePage, { ...chrome(ctx), heading: texts.requestSentHeading, detail: texts.requestSentDetail(input.email) });
  });

  /** The event of an emailed link; anything wrong with the link shows why, its code and where to get another. */
  const linkPage = async (ctx: Context) => {
    ctx.state.renderError = messagePageFor(ctx);
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    ctx.state.renderError = (error: ErrorBody) =>
      sendFormPage(ctx, LinkProblemPage, { ...chrome(ctx), error, requestHref: requestHref(ctx, event.slug) });
    return event;
  };

  router.get('/e/:slug/auth', async (ctx) => {
    const event = await linkPage(ctx);
    const token = tokenOf(ctx.query.token);
    await checkSignInToken(token, event.id, deps.now());
    const texts = journeyTextsFor(ctx.state.lang);
    // The token is in this page's address: helmet's Referrer-Policy no-referrer keeps it from leaking.
    sendFormPage(ctx, OneButtonPage, {
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
    const event = await linkPage(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const signedIn = await signInWithLink(deps, event, tokenOf(body.token));
    setSessionCookie(ctx, signedIn.user, signedIn.result.token, deps.tokens.ttlSeconds);
    ctx.status = 303;
    // The link names the language its email was written in: the page after it keeps it.
    const chosen = typeof ctx.query.lang === 'string';
    ctx.redirect(chosen ? withLang(signedIn.result.redirect, ctx.state.lang) : signedIn.result.redirect);
  });

  return router;
}
