import type { ComponentChildren } from 'preact';
import type { Lang, PublicEvent } from '@palco/sdk/protocol';
import { otherLang } from './render.js';
import { stylesheetPath } from './styles.js';
import { textsFor } from './texts.js';

/** What every page shows around its content. */
export interface PageChrome {
  lang: Lang;
  /** This page in the other language. */
  switchHref: string;
}

interface LayoutProps extends PageChrome {
  title: string;
  children: ComponentChildren;
}

export function Layout({ lang, switchHref, title, children }: LayoutProps) {
  const other = otherLang(lang);
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href={stylesheetPath} />
      </head>
      <body>
        <div class="page">
          <header class="topbar">
            <a class="brand" href={`/?lang=${lang}`}>
              Palco
            </a>
            <a class="lang-switch" href={switchHref} hreflang={other} lang={other}>
              {textsFor(other).languageName}
            </a>
          </header>
          <main class="card">{children}</main>
          <footer class="footer">{textsFor(lang).poweredBy}</footer>
        </div>
      </body>
    </html>
  );
}

/** The event's logo and title at the top of its pages. */
export function EventHeader({ event }: { event: Pick<PublicEvent, 'title' | 'logo_url'> }) {
  return (
    <div class="event-header">
      {event.logo_url && <img class="event-logo" src={event.logo_url} alt="" width={56} height={56} />}
      <h1 class="event-title">{event.title}</h1>
    </div>
  );
}
