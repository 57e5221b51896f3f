import type { Lang } from '../protocol/texts.js';

/** The addresses of one backend, derived once from the `baseUrl` option. */
export interface Endpoints {
  /** The API origin, e.g. "https://live.example.com"; scopes the stored token. */
  origin: string;
  /** baseUrl without a trailing slash; API paths are appended to it. */
  httpBase: string;
  socketUrl(eventSlug: string, lang: Lang): string;
}

export function resolveEndpoints(baseUrl: string): Endpoints {
  // A relative baseUrl ("/", "") means the page's own backend, as on the hosted pages.
  const pageHref = (globalThis as { location?: { href: string } }).location?.href;
  const base = new URL(baseUrl || '/', pageHref);
  const httpBase = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  return {
    origin: base.origin,
    httpBase,
    socketUrl(eventSlug, lang) {
      const url = new URL(`${httpBase}/ws`);
      url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('event', eventSlug);
      url.searchParams.set('lang', lang);
      return url.toString();
    },
  };
}
