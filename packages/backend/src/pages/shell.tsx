import type { Context } from 'koa';
import type { ComponentChildren, ComponentType } from 'preact';
import type { Lang } from '@palco/sdk/protocol';
import { setPagePolicy, type PolicyDirectives } from '../security-headers.js';
import { DocumentHead } from './layout.js';
import { renderDocument } from './render.js';
import { SiteHeader, type SiteHeaderProps } from './site-header.js';

/**
 * The shells load only our own scripts and stylesheet; the widgets' styles are constructed
 * style sheets, which a style-src policy does not block. Streams come from YouTube, Vimeo or
 * any https host.
 */
export const shellPolicy: PolicyDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'https:', 'data:'],
  'media-src': ["'self'", 'https:', 'blob:'],
  'connect-src': ["'self'", 'https:'],
  'worker-src': ["'self'", 'blob:'],
  'frame-src': ['https://www.youtube-nocookie.com', 'https://player.vimeo.com', 'https://vimeo.com'],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
};

interface ShellDocumentProps {
  lang: Lang;
  /** The document's title, as the tab shows it. */
  title: string;
  /** Our script that defines the page's elements (/embed.js, /admin.js, /reports.js). */
  script: string;
  header: SiteHeaderProps;
  /** The class of <main>, for the page's layout in pages/styles.ts. */
  name: string;
  children?: ComponentChildren;
}

/** A page built from widgets: the shared header, then the widgets in a <main>. */
export function ShellDocument({ lang, title, script, header, name, children }: ShellDocumentProps) {
  return (
    <html lang={lang}>
      <DocumentHead title={title}>
        <script src={script} defer />
      </DocumentHead>
      <body>
        <SiteHeader {...header} />
        <main class={`shell ${name}`}>{children}</main>
      </body>
    </html>
  );
}

/**
 * Sends a shell page: never cached (it depends on the session), under its strict policy.
 * `framedBy` are the origins besides ours that may show it in a frame (an event's allowed origins).
 */
export function sendShell<P extends object>(
  ctx: Context,
  framedBy: readonly string[],
  page: ComponentType<P>,
  props: P,
  policy: PolicyDirectives = shellPolicy,
) {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  setPagePolicy(ctx, policy, framedBy);
  // The video hosts' players want to know which site embeds them.
  ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  ctx.body = renderDocument(page, props);
}
