import cors from '@koa/cors';
import type { Context, Middleware, Next } from 'koa';
import { Op } from 'sequelize';
import type { AppDeps } from './context.js';
import { EventRow } from './db/models.js';
import { bearerToken } from './http.js';
import { splitList } from './services/serialize.js';

/** The slug segment; the event cache checks it against the slug pattern. */
const eventPath = /^\/api\/events\/([^/]+)(?:\/|$)/;
const accountPath = /^\/api\/(?:me|auth\/[a-z-]+)$/;
/** The shape allowed_origins are validated to; anything else can never match one. */
const originShape = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/;

function allows(event: EventRow | null | undefined, origin: string): boolean {
  return event != null && splitList(event.allowed_origins).includes(origin);
}

/**
 * CORS for the producers' sites: a browser on another origin may call an event's API only
 * when that exact origin is among the event's allowed_origins. Widgets authenticate with a
 * bearer token, so no credentials (cookies) are allowed across origins.
 */
export function eventCors(deps: AppDeps): Middleware {
  /** The event a request is about: its path, `?event=`, or the session token's event. */
  async function allowedOrigin(ctx: Context): Promise<string> {
    const origin = ctx.get('Origin');
    if (!originShape.test(origin)) return '';
    const slug = eventPath.exec(ctx.path)?.[1] ?? (typeof ctx.query.event === 'string' ? ctx.query.event : null);
    // The event cache answers these, as it does the route that follows: a cross-origin join
    // storm reads each event once, not twice a request.
    if (slug) return allows(await deps.events.bySlug(slug), origin) ? origin : '';

    const token = bearerToken(ctx);
    const eventId = token ? deps.tokens.verify(token)?.eid : null;
    if (eventId != null) return allows(await deps.events.byId(eventId), origin) ? origin : '';

    // A preflight carries no token: any event that allows this exact origin will do, and
    // the request that follows is checked against its own token's event.
    if (ctx.method !== 'OPTIONS') return '';
    const candidates = await EventRow.findAll({
      attributes: ['id', 'allowed_origins'],
      where: { allowed_origins: { [Op.like]: `%${origin}%` } },
    });
    return candidates.some((event) => allows(event, origin)) ? origin : '';
  }

  const handle = cors({
    origin: allowedOrigin,
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'Accept-Language'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });

  return async (ctx: Context, next: Next) => {
    if (eventPath.test(ctx.path) || accountPath.test(ctx.path)) return handle(ctx, next);
    return next();
  };
}
