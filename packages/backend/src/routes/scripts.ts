import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ErrorCode } from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { AppError } from '../errors.js';

interface Asset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  mtimeMs: number;
}

/** Where `npm run build -w @palco/widgets` writes embed.js, admin.js and the hls.js module. */
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

/** A route handler for one built widgets file: gzipped, ETag-revalidated, loadable from any site. */
function scriptRoute(deps: AppDeps, loadAsset: ReturnType<typeof assetLoader>, name: string): Middleware {
  return async (ctx) => {
    const asset = await loadAsset(name);
    if (!asset) {
      deps.logger.error({ file: name }, 'the widgets are not built: run `npm run build`');
      throw new AppError(503, ErrorCode.serviceUnavailable);
    }
    sendScript(ctx, asset);
  };
}

/**
 * The script bundles, each by exact path (no path reaches the file system): /embed.js (every
 * widget but the moderators'), /moderation.js (the moderator queue and poll panel), /embed/hls.js
 * (the player's HLS module), /embed/poll-views.js (the polls' views), /admin.js (the
 * administrators' app) and /reports.js (the report page, with uPlot).
 */
export function scriptRoutes(deps: AppDeps, widgetsDist = defaultWidgetsDist()): Router {
  const loadAsset = assetLoader(widgetsDist);
  const router = new Router();
  router.get('/embed.js', scriptRoute(deps, loadAsset, 'embed.js'));
  router.get('/embed/hls.js', scriptRoute(deps, loadAsset, 'hls.js'));
  router.get('/embed/poll-views.js', scriptRoute(deps, loadAsset, 'poll-views.js'));
  router.get('/admin.js', scriptRoute(deps, loadAsset, 'admin.js'));
  router.get('/reports.js', scriptRoute(deps, loadAsset, 'reports.js'));
  router.get('/moderation.js', scriptRoute(deps, loadAsset, 'moderation.js'));
  return router;
}
