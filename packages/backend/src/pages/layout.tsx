import type { ComponentChildren } from 'preact';
import type { Lang, PublicEvent } from '@palco/sdk/protocol';
import { faviconSvgPath } from './favicon.js';
import { SiteHeader } from './site-header.js';
import { stylesheetPath } from './styles.js';
import { textsFor } from './texts.js';

/** What every page shows around its content. */
export interface PageChrome {
  lang: Lang;
  /** This page in the other language. */
  switchHref: string;
}

/** The <head> every hosted page shares: the viewport, the icon, the one stylesheet, and what `children` add. */
export function DocumentHead({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <link rel="icon" href={faviconSvgPath} type="image/svg+xml" />
      <link rel="stylesheet" href={stylesheetPath} />
      {children}
    </head>
  );
}

interface LayoutProps extends PageChrome {
  title: string;
  /** The event the page belongs to: its logo and title lead the header. */
  event?: Pick<PublicEvent, 'title' | 'logo_url'> | undefined;
  children: ComponentChildren;
}

/** A form page (registration, sign-in, landing, messages): the shared header, then one card. */
export function Layout({ lang, switchHref, title, event, children }: LayoutProps) {
  return (
    <html lang={lang}>
      <DocumentHead title={title} />
      <body>
        <SiteHeader lang={lang} switchHref={switchHref} event={event} />
        <div class="page">
          <main class="card">{children}</main>
          <footer class="footer">{textsFor(lang).poweredBy}</footer>
        </div>
      </body>
    </html>
  );
}
