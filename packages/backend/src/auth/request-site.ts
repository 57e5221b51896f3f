import type { Context } from 'koa';

/**
 * Whether a browser made this request on behalf of another site. Browsers label every request
 * with Sec-Fetch-Site (Fetch Metadata); where they do not, the Origin header of a POST says the
 * same. `same-site` counts as foreign: a sibling subdomain is someone else's page. A request
 * with neither header comes from no browser (curl, a producer's server) and carries nothing
 * ambient, so it is not cross-site.
 */
export function isCrossSite(ctx: Context): boolean {
  const fetchSite = ctx.get('Sec-Fetch-Site');
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = ctx.get('Origin');
  // Koa's ctx.origin echoes the Origin header; our own origin is the scheme and host served.
  return origin !== '' && origin !== `${ctx.protocol}://${ctx.host}`;
}
