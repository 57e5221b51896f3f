import type { RouterMiddleware } from '@koa/router';
import type { Context, Next } from 'koa';
import type { ComponentType } from 'preact';
import { ErrorCode, Limits, LoginInput, type ErrorBody, type FieldValues } from '@palco/sdk/protocol';
import { belongsToEvent, clearSessionCookie, sessionFromToken, setSessionCookie, tokenFromRequest } from '../../auth/session.js';
import { demoEvent } from '../../bootstrap.js';
import type { AppDeps } from '../../context.js';
import { refuseCrossSiteSignIn } from '../../csrf.js';
import type { EventRow } from '../../db/models.js';
import { parseBody } from '../../http.js';
import { LandingPage } from '../../pages/landing-page.js';
import type { PageChrome } from '../../pages/layout.js';
import { LoginPage } from '../../pages/login-page.js';
import { LogoutPage } from '../../pages/logout-page.js';
import { MessagePage } from '../../pages/message-page.js';
import { RegisterPage, registerFields, type RegisterValues } from '../../pages/register-page.js';
import { scheduleScript } from '../../pages/schedule.js';
import { otherLang, renderDocument, withLang } from '../../pages/render.js';
import { pagesCss } from '../../pages/styles.js';
import { textsFor } from '../../pages/texts.js';
import { formPagePolicy, registerPagePolicy, setPagePolicy } from '../../security-headers.js';
import { isWaitlisted, registerAttendee, revokeSessions, type Registered } from '../../services/accounts.js';
import { redirectFor } from '../../services/events.js';
import { login } from '../../services/password-sign-in.js';
import { splitList, toPublicEvent } from '../../services/serialize.js';
import { parseRegistration } from '../events.js';

export function chrome(ctx: Context): PageChrome {
  return { lang: ctx.state.lang, switchHref: withLang(ctx.url, otherLang(ctx.state.lang)) };
}

export function sendPage<P extends object>(ctx: Context, page: ComponentType<P>, props: P) {
  ctx.type = 'html';
  // Re-rendered forms carry what the person typed.
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderDocument(page, props);
}

/** Only the named fields, only as text: what the form shows again after an error. */
function typedValues<F extends string>(body: unknown, fields: readonly F[]): Partial<Record<F, string>> {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const values: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const value = source[field];
    if (typeof value === 'string') values[field] = value.slice(0, Limits.emailMax);
  }
  return values;
}

/** The answers to custom fields a form posted (`fields[key]`), as text or lists of text: shown again after an error. */
function typedAnswers(body: unknown): FieldValues {
  const fields = (body as { fields?: unknown } | null)?.fields;
  if (typeof fields !== 'object' || fields === null) return {};
  const answers: FieldValues = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') answers[key] = value === 'true' ? true : value.slice(0, Limits.emailMax);
    else if (Array.isArray(value)) answers[key] = value.filter((item): item is string => typeof item === 'string');
  }
  return answers;
}

/** Renders an error as a page of its own, for people who came through a form or a link. */
export function messagePageFor(ctx: Context) {
  return (error: ErrorBody) => {
    setPagePolicy(ctx, formPagePolicy);
    const notFound = error.error === ErrorCode.eventNotFound || error.error === ErrorCode.notFound;
    sendPage(ctx, MessagePage, {
      ...chrome(ctx),
      heading: error.message,
      detail: notFound ? textsFor(ctx.state.lang).notFoundHint : undefined,
    });
  };
}

/**
 * A form posted to a hosted page fails as a page too when its body cannot be read (too large,
 * malformed), which happens before any page route has run; so does a browser's request for an
 * event address no page has (`/e/demo-fast/agenda`), which no page route ever sees.
 */
export async function hostedPageErrors(ctx: Context, next: Next) {
  const eventAddress = ctx.method === 'GET' && ctx.path.startsWith('/e/');
  if (eventAddress || (ctx.method === 'POST' && !ctx.path.startsWith('/api/') && ctx.is('urlencoded', 'multipart'))) {
    ctx.state.renderError = messagePageFor(ctx);
  }
  await next();
}

/** What a form page's handlers are: run under the forms' policy, errors shown as a page. */
function formPage(handler: RouterMiddleware): RouterMiddleware {
  return async (ctx, next) => {
    setPagePolicy(ctx, formPagePolicy);
    ctx.state.renderError = messagePageFor(ctx);
    await handler(ctx, next);
  };
}

/** The landing page, the forms' stylesheet, and each event's registration and sign-in forms: server-rendered HTML, no JavaScript needed. */
export function formPages(deps: AppDeps) {
  const eventPath = (event: EventRow) => `/e/${event.slug}`;

  /** Signs the attendee in and sends them on, or tells a waitlisted one where they stand. */
  const signInAndRedirect = (ctx: Context, signedIn: Registered) => {
    if (isWaitlisted(signedIn)) {
      const texts = textsFor(ctx.state.lang);
      ctx.status = 202;
      sendPage(ctx, MessagePage, { ...chrome(ctx), heading: texts.waitlistedHeading, detail: texts.waitlistedIntro });
      return;
    }
    setSessionCookie(ctx, signedIn.user, signedIn.result.token, deps.tokens.ttlSeconds);
    ctx.status = 303;
    // The form's address names the language its page was read in (a choice that beats the
    // browser's preference): the page after it keeps that language.
    const chosen = typeof ctx.query.lang === 'string';
    ctx.redirect(chosen ? withLang(signedIn.result.redirect, ctx.state.lang) : signedIn.result.redirect);
  };

  /** Who this browser is signed in as in `event`, if anyone still admitted. */
  const signedInUser = async (ctx: Context, event: EventRow) => {
    const session = await sessionFromToken(deps.tokens, tokenFromRequest(ctx, event.id));
    return session && !session.user.banned && belongsToEvent(session.user, event) ? session.user : null;
  };

  const showRegister = (ctx: Context, event: EventRow, values: RegisterValues, error?: ErrorBody) => {
    const { lang } = ctx.state;
    const publicEvent = toPublicEvent(event);
    setPagePolicy(ctx, publicEvent.state === 'scheduled' ? registerPagePolicy : formPagePolicy, splitList(event.allowed_origins));
    sendPage(ctx, RegisterPage, {
      ...chrome(ctx),
      event: publicEvent,
      action: withLang(eventPath(event), lang),
      loginHref: withLang(`${eventPath(event)}/login`, lang),
      pageUrl: `${deps.config.publicUrl}${eventPath(event)}`,
      values,
      error,
    });
  };

  const showLogin = (ctx: Context, event: EventRow, email: string, error?: ErrorBody) => {
    const { lang } = ctx.state;
    setPagePolicy(ctx, formPagePolicy, splitList(event.allowed_origins));
    sendPage(ctx, LoginPage, {
      ...chrome(ctx),
      event: toPublicEvent(event),
      action: withLang(`${eventPath(event)}/login`, lang),
      registerHref: withLang(eventPath(event), lang),
      email,
      error,
    });
  };

  return {
    landing: formPage(async (ctx) => {
      sendPage(ctx, LandingPage, {
        ...chrome(ctx),
        demoHref: deps.config.demo ? withLang(`/e/${demoEvent.slug}`, ctx.state.lang) : null,
      });
    }),

    stylesheet: formPage(async (ctx) => {
      ctx.type = 'text/css';
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.body = pagesCss;
    }),

    /** The registration page's clock (pages/schedule.tsx). */
    scheduleScript: async (ctx: Context) => {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.body = scheduleScript;
    },

    registerForm: formPage(async (ctx) => {
      const event = await deps.events.bySlugOr404(ctx.params.slug!);
      // Someone already signed in goes on to their page rather than a blank form that would register them twice.
      const user = await signedInUser(ctx, event);
      if (user) return ctx.redirect(withLang(redirectFor(user.role, event.slug), ctx.state.lang));
      showRegister(ctx, event, {});
    }),

    register: formPage(async (ctx) => {
      refuseCrossSiteSignIn(ctx);
      const event = await deps.events.bySlugOr404(ctx.params.slug!);
      const values = { ...typedValues(ctx.request.body, registerFields), fields: typedAnswers(ctx.request.body) };
      ctx.state.renderError = (error: ErrorBody) => showRegister(ctx, event, values, error);
      const input = parseRegistration(ctx, event);
      signInAndRedirect(ctx, await registerAttendee(deps, event, { ...input, lang: ctx.state.lang }, ctx.ip));
    }),

    loginForm: formPage(async (ctx) => {
      const event = await deps.events.bySlugOr404(ctx.params.slug!);
      const email = typeof ctx.query.email === 'string' ? ctx.query.email.slice(0, Limits.emailMax) : '';
      showLogin(ctx, event, email);
    }),

    /** GET only asks (a link or a prefetch must not sign anyone out); the POST of its button does it. */
    logoutForm: formPage(async (ctx) => {
      const event = await deps.events.bySlugOr404(ctx.params.slug!);
      const user = await signedInUser(ctx, event);
      if (!user) return ctx.redirect(withLang(eventPath(event), ctx.state.lang));
      setPagePolicy(ctx, formPagePolicy, splitList(event.allowed_origins));
      sendPage(ctx, LogoutPage, {
        ...chrome(ctx),
        event: toPublicEvent(event),
        name: user.name,
        action: withLang(`${eventPath(event)}/logout`, ctx.state.lang),
      });
    }),

    /**
     * Signs the browser out of the event the way `POST /api/auth/logout` does: every session
     * of the user is revoked (their sockets close with 4001) and the event's cookie is cleared.
     * A cross-site post carrying the cookie was already refused by csrf.ts.
     */
    logout: formPage(async (ctx) => {
      const event = await deps.events.bySlugOr404(ctx.params.slug!);
      const session = await sessionFromToken(deps.tokens, tokenFromRequest(ctx, event.id));
      if (session) {
        await revokeSessions(deps.bus, session.user);
        clearSessionCookie(ctx, session.user);
      }
      ctx.status = 303;
      ctx.redirect(withLang(eventPath(event), ctx.state.lang));
    }),

    login: formPage(async (ctx) => {
      refuseCrossSiteSignIn(ctx);
      const event = await deps.events.bySlugOr404(ctx.params.slug!);
      const { email = '' } = typedValues(ctx.request.body, ['email']);
      ctx.state.renderError = (error: ErrorBody) => showLogin(ctx, event, email, error);
      const input = parseBody(ctx, LoginInput);
      signInAndRedirect(ctx, await login(deps, event, input, ctx.ip));
    }),
  };
}
