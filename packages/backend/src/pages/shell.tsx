import type { Context } from 'koa';
import { createHash } from 'node:crypto';
import { h, type ComponentType } from 'preact';
import type { Lang } from '@palco/sdk/protocol';
import { setPagePolicy, type PolicyDirectives } from '../security-headers.js';
import { otherLang, renderDocument } from './render.js';

/** What every script-driven page (the event shells, the admin) starts from. */
export const shellBaseCss = `
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
`;

/**
 * The shells load only our own scripts; the widgets' styles are constructed style sheets,
 * which a style-src policy does not block, and the shell's one inline <style> is allowed by
 * its hash. Streams come from YouTube, Vimeo or any https host.
 */
export function shellPolicy(inlineCss: string): PolicyDirectives {
  const hash = createHash('sha256').update(inlineCss).digest('base64');
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", `'sha256-${hash}'`],
    'img-src': ["'self'", 'https:', 'data:'],
    'media-src': ["'self'", 'https:', 'blob:'],
    'connect-src': ["'self'", 'https:'],
    'worker-src': ["'self'", 'blob:'],
    'frame-src': ['https://www.youtube-nocookie.com', 'https://player.vimeo.com', 'https://vimeo.com'],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
  };
}

/**
 * Sends a shell page: never cached (it depends on the session), under its strict policy.
 * `framedBy` are the origins besides ours that may show it in a frame (an event's allowed origins).
 */
export function sendShell<P extends object>(
  ctx: Context,
  policy: PolicyDirectives,
  framedBy: readonly string[],
  page: ComponentType<P>,
  props: P,
) {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  setPagePolicy(ctx, policy, framedBy);
  // The video hosts' players want to know which site embeds them.
  ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  ctx.body = renderDocument(page, props);
}

/** The top bar's link to this page in the other language. */
export function languageSwitch(lang: Lang, switchHref: string) {
  const other = otherLang(lang);
  return h('a', { href: switchHref, hreflang: other, lang: other }, other === 'en' ? 'English' : 'Español');
}
