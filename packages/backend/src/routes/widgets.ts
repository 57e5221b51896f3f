import Router from '@koa/router';
import type { Context } from 'koa';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { h, type ComponentChild } from 'preact';
import { ErrorCode, isModeratorRole, isStaffRole, type ErrorBody, type Lang, type Role } from '@palco/sdk/protocol';
import { belongsToEvent, sessionFromToken, tokenFromRequest } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import type { EventRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { MessagePage } from '../pages/message-page.js';
import { otherLang, renderDocument, withLang } from '../pages/render.js';
import { findEventBySlug, redirectFor } from '../services/events.js';

/* ------------------------------------------------------------------ the built scripts */

interface Asset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  mtimeMs: number;
}

/** Where `npm run build -w @palco/widgets` writes embed.js and the hls.js module. */
function defaultWidgetsDist(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@palco/widgets/package.json')), 'dist');
}

export type AssetLoader = (name: string) => Promise<Asset | null>;

/** Reads a built file once, and again only when it changes on disk (a rebuild during development). */
export function assetLoader(dir: string = defaultWidgetsDist()): AssetLoader {
  const cache = new Map<string, Asset>();
  return async (name: string): Promise<Asset | null> => {
    const file = join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info) return null;
    const cached = cache.get(name);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached;
    const body = await readFile(file);
    const asset = {
      body,
      gzipped: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      mtimeMs: info.mtimeMs,
    };
    cache.set(name, asset);
    return asset;
  };
}

function sendScript(ctx: Context, asset: Asset) {
  ctx.type = 'text/javascript; charset=utf-8';
  // The URL has no version in it, so caches check back every few minutes (a cheap 304).
  ctx.set('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
  ctx.set('ETag', asset.etag);
  ctx.set('Vary', 'Accept-Encoding');
  ctx.set('X-Content-Type-Options', 'nosniff');
  // Producers' pages on other origins load these; the player import()s hls.js as a module,
  // which needs CORS. The files are public and carry no credentials.
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
  // Koa judges freshness only for a successful status, so it is set before asking.
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = asset.gzipped;
  } else {
    ctx.body = asset.body;
  }
}

/** GET handler of one built script; a 503 that says so when the widgets were not built. */
export function scriptRoute(deps: AppDeps, loadAsset: AssetLoader, name: string) {
  return async (ctx: Context) => {
    const asset = await loadAsset(name);
    if (!asset) {
      deps.logger.error({ file: name }, 'the widgets are not built: run `npm run build`');
      throw new AppError(503, ErrorCode.serviceUnavailable);
    }
    sendScript(ctx, asset);
  };
}

/* ------------------------------------------------------------------ the hosted event pages */

/** One hosted page of an event: who may open it, the script it loads and the widgets it shows. */
export interface HostedPage {
  title: Record<Lang, string>;
  admits(role: Role): boolean;
  /** Where someone not signed in to the event is sent. */
  signedOutPath(slug: string): string;
  script: string;
  body(slug: string, lang: Lang): ComponentChild;
}

const toSignIn = (slug: string) => `/e/${slug}/login`;

const watchPage: HostedPage = {
  title: { es: 'En vivo', en: 'Live' },
  admits: () => true,
  signedOutPath: (slug) => `/e/${slug}`,
  script: '/embed.js',
  body: (slug, lang) =>
    h('main', { class: 'watch' }, [
      h('palco-player', { event: slug, lang }),
      h('div', { class: 'side' }, [h('palco-chat', { event: slug, lang }), h('palco-qa', { event: slug, lang })]),
    ]),
};
const modPage: HostedPage = {
  title: { es: 'Moderación', en: 'Moderation' },
  admits: isModeratorRole,
  signedOutPath: toSignIn,
  script: '/embed.js',
  body: (slug, lang) => h('main', { class: 'mod' }, [h('palco-mod-queue', { event: slug, lang })]),
};
const speakerPage: HostedPage = {
  title: { es: 'Preguntas', en: 'Questions' },
  admits: isStaffRole,
  signedOutPath: toSignIn,
  script: '/embed.js',
  body: (slug, lang) => h('main', { class: 'speaker' }, [h('palco-speaker-board', { event: slug, lang })]),
};

const shellCss = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; min-height: 100vh; background: #eef0f5; color: #1d2330;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.topbar { display: flex; align-items: center; gap: 12px; padding: 12px clamp(12px, 3vw, 32px); background: #fff; border-bottom: 1px solid #dde1e8; }
.topbar img { width: 40px; height: 40px; object-fit: contain; border-radius: 8px; }
.topbar h1 { margin: 0; font-size: clamp(1rem, 2.4vw, 1.35rem); flex: 1; min-width: 0; overflow-wrap: anywhere; }
.topbar a { color: #5b3cc4; font-weight: 600; text-decoration: none; }
.topbar a:hover, .topbar a:focus-visible { text-decoration: underline; }
main { padding: clamp(12px, 3vw, 32px); max-width: 1440px; margin: 0 auto; }
.watch { display: grid; gap: 20px; grid-template-columns: minmax(0, 1fr) minmax(300px, 380px); align-items: start; }
.watch .side { display: flex; flex-direction: column; gap: 20px; }
.watch palco-chat { --palco-chat-height: 460px; }
@media (max-width: 900px) {
  .watch { grid-template-columns: minmax(0, 1fr); }
  .watch palco-chat { --palco-chat-height: 380px; }
}
.speaker palco-speaker-board { min-height: calc(100vh - 140px); }
`;
const shellCssHash = createHash('sha256').update(shellCss).digest('base64');

/**
 * The shells load only our own script; the widgets' styles are constructed style sheets,
 * which a style-src policy does not block. Streams come from YouTube, Vimeo or any https host.
 */
const shellPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' 'sha256-${shellCssHash}'`,
  "img-src 'self' https: data:",
  "media-src 'self' https: blob:",
  "connect-src 'self' https:",
  "worker-src 'self' blob:",
  'frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://vimeo.com',
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

function Shell({ page, event, lang, switchHref }: { page: HostedPage; event: EventRow; lang: Lang; switchHref: string }) {
  const other = otherLang(lang);
  return h('html', { lang }, [
    h('head', null, [
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `${event.title} · ${page.title[lang]}`),
      h('style', { dangerouslySetInnerHTML: { __html: shellCss } }),
      h('script', { src: page.script, defer: true }),
    ]),
    h('body', null, [
      h('header', { class: 'topbar' }, [
        event.logo_url ? h('img', { src: event.logo_url, alt: '' }) : null,
        h('h1', null, event.title),
        h('a', { href: switchHref, hreflang: other, lang: other }, other === 'en' ? 'English' : 'Español'),
      ]),
      page.body(event.slug, lang),
    ]),
  ]);
}

/**
 * The handler of a hosted page: its shell for those it admits, the sign-in (or another page
 * of theirs) for the rest, and every error as a page rather than JSON.
 */
export function hostedPageRoute(deps: AppDeps, page: HostedPage) {
  return async (ctx: Context) => {
    const lang = ctx.state.lang;
    const switchHref = withLang(ctx.url, otherLang(lang));
    ctx.state.renderError = (error: ErrorBody) => {
      ctx.type = 'html';
      ctx.body = renderDocument(MessagePage, { lang, switchHref, heading: error.message });
    };
    const event = await findEventBySlug(ctx.params.slug!);
    const session = await sessionFromToken(deps.tokens, tokenFromRequest(ctx, event.id));
    const user = session?.user;
    if (!user || user.banned || !belongsToEvent(user, event)) {
      return ctx.redirect(withLang(page.signedOutPath(event.slug), lang));
    }
    if (!page.admits(user.role)) return ctx.redirect(withLang(redirectFor(user.role, event.slug), lang));
    // A closed event still gets its page: the widgets show "Transmisión finalizada" or the final report.
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', shellPolicy);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    ctx.body = renderDocument(Shell, { page, event, lang, switchHref });
  };
}

/** GET /embed.js, /embed/hls.js, and the hosted pages /e/{slug}/watch, /mod and /speaker. */
export function widgetRoutes(deps: AppDeps, options: { widgetsDist?: string } = {}): Router {
  const router = new Router();
  const loadAsset = assetLoader(options.widgetsDist);
  router.get('/embed.js', scriptRoute(deps, loadAsset, 'embed.js'));
  router.get('/embed/hls.js', scriptRoute(deps, loadAsset, 'hls.js'));
  router.get('/e/:slug/watch', hostedPageRoute(deps, watchPage));
  router.get('/e/:slug/mod', hostedPageRoute(deps, modPage));
  router.get('/e/:slug/speaker', hostedPageRoute(deps, speakerPage));
  return router;
}
