import type { Context, Next } from 'koa';
import { ErrorCode } from '@palco/sdk/protocol';
import { AppError } from './errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A cookie rides along with any request the browser makes, even one a foreign page
 * triggers; a state change carried by the session cookie must therefore come from our
 * own pages. Bearer-token requests (widgets, the SDK) carry no ambient authority and pass.
 */
export async function csrfMiddleware(ctx: Context, next: Next) {
  if (safeMethods.has(ctx.method) || ctx.get('Authorization').startsWith('Bearer ') || !hasSessionCookie(ctx)) {
    return next();
  }
  const fetchSite = ctx.get('Sec-Fetch-Site');
  const origin = ctx.get('Origin');
  // Koa's ctx.origin echoes the Origin header; our own origin is the scheme and host served.
  const ownOrigin = `${ctx.protocol}://${ctx.host}`;
  const crossSite = fetchSite ? fetchSite !== 'same-origin' && fetchSite !== 'none' : origin !== '' && origin !== ownOrigin;
  if (crossSite) throw new AppError(403, ErrorCode.forbidden);
  return next();
}

function hasSessionCookie(ctx: Context): boolean {
  return /(?:^|;\s*)palco_(?:e\d+|admin)=/.test(ctx.get('Cookie'));
}
