import type { Context, Next } from 'koa';
import helmet from 'koa-helmet';

/** A Content-Security-Policy as its directives, each with its sources. */
export type PolicyDirectives = Readonly<Record<string, readonly string[]>>;

/** JSON, scripts and redirects render nothing: they may load nothing and be framed by nobody. */
const resourcePolicy: PolicyDirectives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** The server-rendered forms load their stylesheet and the event's logo (any https host), and no script at all. */
export const formPagePolicy: PolicyDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'none'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'https:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
};

/** The registration page of a scheduled event: the forms' policy, plus its one clock script from this origin. */
export const registerPagePolicy: PolicyDirectives = { ...formPagePolicy, 'script-src': ["'self'"] };

const oneYear = 365 * 24 * 3600;

function serializePolicy(directives: PolicyDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

// The rest of helmet's headers (nosniff, Referrer-Policy, COOP, CORP…). HSTS is left to
// securityHeaders, which knows whether this request came over HTTPS.
const helmetHeaders = helmet({
  contentSecurityPolicy: false,
  strictTransportSecurity: false,
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * The headers of every HTTP response: a policy that allows nothing until a page sets its own,
 * helmet's others, and HSTS when the request came over HTTPS (with TRUST_PROXY=1, as the
 * proxy's X-Forwarded-Proto says) — never over plain HTTP, which a laptop install serves.
 */
export async function securityHeaders(ctx: Context, next: Next) {
  ctx.set('Content-Security-Policy', serializePolicy(resourcePolicy));
  if (ctx.secure) ctx.set('Strict-Transport-Security', `max-age=${oneYear}; includeSubDomains`);
  await helmetHeaders(ctx, next);
}

/**
 * Gives a page its policy. `framedBy` are the origins that may show it in a frame besides our
 * own: an event's allowed_origins for its embeddable pages, validated as bare origins.
 */
export function setPagePolicy(ctx: Context, directives: PolicyDirectives, framedBy: readonly string[] = []) {
  ctx.set('Content-Security-Policy', serializePolicy({ ...directives, 'frame-ancestors': ["'self'", ...framedBy] }));
  // X-Frame-Options cannot name other origins; browsers that know frame-ancestors obey it instead.
  if (framedBy.length > 0) ctx.remove('X-Frame-Options');
  else ctx.set('X-Frame-Options', 'SAMEORIGIN');
}
