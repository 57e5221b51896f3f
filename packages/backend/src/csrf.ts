import type { Context, Next } from 'koa';
import { ErrorCode } from '@palco/sdk/protocol';
import { isCrossSite } from './auth/request-site.js';
import { carriesSessionCookie } from './auth/session.js';
import { AppError } from './errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A cookie rides along with any request the browser makes, even one a foreign page
 * triggers; a state change carried by the session cookie must therefore come from our
 * own pages. Bearer-token requests (widgets, the SDK) carry no ambient authority and pass.
 * Requests without a cookie that would open a session are the sign-in forms' and
 * setSessionCookie's business (login CSRF, docs/security.md).
 */
export async function csrfMiddleware(ctx: Context, next: Next) {
  if (safeMethods.has(ctx.method) || ctx.get('Authorization').startsWith('Bearer ') || !carriesSessionCookie(ctx)) {
    return next();
  }
  if (isCrossSite(ctx)) throw new AppError(403, ErrorCode.forbidden);
  return next();
}

/**
 * Login CSRF: a foreign page that posts a registration or sign-in form signs the browser into
 * an account the attacker chose, cookie or not. The hosted forms refuse such a post (403
 * `cross_site_sign_in`) before anything is created. A form inside a frame an event's allowed
 * origin shows is our own page posting to us, so it is same-origin and passes.
 */
export function refuseCrossSiteSignIn(ctx: Context) {
  if (isCrossSite(ctx)) throw new AppError(403, ErrorCode.crossSiteSignIn);
}
