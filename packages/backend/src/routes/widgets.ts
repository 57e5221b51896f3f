import Router from '@koa/router';
import type { Context } from 'koa';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { h } from 'preact';
import { ErrorCode, isModeratorRole, isStaffRole, type ErrorBody, type Lang, type Role } from '@palco/sdk/protocol';
import { belongsToEvent, sessionFromToken, tokenFromRequest } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import type { EventRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { MessagePage } from '../pages/message-page.js';
import { otherLang, renderDocument, withLang } from '../pages/render.js';
import { formPagePolicy, setPagePolicy, type PolicyDirectives } from '../security-headers.js';
import { findEventBySlug, redirectFor } from '../services/events.js';
import { splitList } from '../services/serialize.js';

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

/** Reads a built file once, and again only when it changes on disk (a rebuild during development). */
function assetLoader(dir: string) {
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

/* ------------------------------------------------------------------ the hosted event pages */

type HostedPage = 'watch' | 'mod' | 'speaker';

const pageTitles: Record<HostedPage, Record<Lang, string>> = {
  watch: { es: 'En vivo', en: 'Live' },
  mod: { es: 'Moderación', en: 'Moderation' },
  speaker: { es: 'Preguntas', en: 'Questions' },
};

const admits: Record<HostedPage, (role: Role) => boolean> = {
  watch: () => true,
  mod: isModeratorRole,
  speaker: isStaffRole,
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
const shellPolicy: PolicyDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", `'sha256-${shellCssHash}'`],
  'img-src': ["'self'", 'https:', 'data:'],
  'media-src': ["'self'", 'https:', 'blob:'],
  'connect-src': ["'self'", 'https:'],
  'worker-src': ["'self'", 'blob:'],
  'frame-src': ['https://www.youtube-nocookie.com', 'https://player.vimeo.com', 'https://vimeo.com'],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
};

/** The pages a producer may show in a frame on the event's allowed origins; moderation stays ours alone. */
const embeddable: Record<HostedPage, boolean> = { watch: true, mod: false, speaker: true };

function pageBody(page: HostedPage, slug: string, lang: Lang) {
  const common = { event: slug, lang };
  switch (page) {
    case 'watch':
      return h('main', { class: 'watch' }, [
        h('palco-player', common),
        h('div', { class: 'side' }, [h('palco-chat', common), h('palco-qa', common)]),
      ]);
    case 'mod':
      return h('main', { class: 'mod' }, [h('palco-mod-queue', common)]);
    case 'speaker':
      return h('main', { class: 'speaker' }, [h('palco-speaker-board', common)]);
  }
}

function Shell({ page, event, lang, switchHref }: { page: HostedPage; event: EventRow; lang: Lang; switchHref: string }) {
  const other = otherLang(lang);
  return h('html', { lang }, [
    h('head', null, [
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `${event.title} · ${pageTitles[page][lang]}`),
      h('style', { dangerouslySetInnerHTML: { __html: shellCss } }),
      h('script', { src: '/embed.js', defer: true }),
    ]),
    h('body', null, [
      h('header', { class: 'topbar' }, [
        event.logo_url ? h('img', { src: event.logo_url, alt: '' }) : null,
        h('h1', null, event.title),
        h('a', { href: switchHref, hreflang: other, lang: other }, other === 'en' ? 'English' : 'Español'),
      ]),
      pageBody(page, event.slug, lang),
    ]),
  ]);
}

/** GET /embed.js, /embed/hls.js, and the hosted pages /e/{slug}/watch, /mod and /speaker. */
export function widgetRoutes(deps: AppDeps, options: { widgetsDist?: string } = {}): Router {
  const router = new Router();
  const loadAsset = assetLoader(options.widgetsDist ?? defaultWidgetsDist());

  const script = (name: string) => async (ctx: Context) => {
    const asset = await loadAsset(name);
    if (!asset) {
      deps.logger.error({ file: name }, 'the widgets are not built: run `npm run build`');
      throw new AppError(503, ErrorCode.serviceUnavailable);
    }
    sendScript(ctx, asset);
  };
  router.get('/embed.js', script('embed.js'));
  router.get('/embed/hls.js', script('hls.js'));

  const hostedPage = (page: HostedPage) => async (ctx: Context) => {
    const lang = ctx.state.lang;
    const switchHref = withLang(ctx.url, otherLang(lang));
    ctx.state.renderError = (error: ErrorBody) => {
      setPagePolicy(ctx, formPagePolicy);
      ctx.type = 'html';
      ctx.body = renderDocument(MessagePage, { lang, switchHref, heading: error.message });
    };
    const event = await findEventBySlug(ctx.params.slug!);
    setPagePolicy(ctx, shellPolicy, embeddable[page] ? splitList(event.allowed_origins) : []);
    // The video hosts' players want to know which site embeds them.
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    const session = await sessionFromToken(deps.tokens, tokenFromRequest(ctx, event.id));
    const user = session?.user;
    if (!user || user.banned || !belongsToEvent(user, event)) {
      return ctx.redirect(withLang(page === 'watch' ? `/e/${event.slug}` : `/e/${event.slug}/login`, lang));
    }
    if (!admits[page](user.role)) return ctx.redirect(withLang(redirectFor(user.role, event.slug), lang));
    // A closed event still gets its page: the widgets show "Transmisión finalizada".
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = renderDocument(Shell, { page, event, lang, switchHref });
  };
  router.get('/e/:slug/watch', hostedPage('watch'));
  router.get('/e/:slug/mod', hostedPage('mod'));
  router.get('/e/:slug/speaker', hostedPage('speaker'));

  return router;
}
