import type { Lang, PublicEvent, Role } from '@palco/sdk/protocol';
import { otherLang } from './render.js';
import { faviconSvgPath } from './favicon.js';
import { textsFor } from './texts.js';

/** Who is signed in, for the header's account slot (where a sign-out button belongs once /e/{slug}/logout exists). */
export interface HeaderAccount {
  name: string;
  role: Role;
}

/** What the one header of every hosted page shows. */
export interface SiteHeaderProps {
  lang: Lang;
  /** This page in the other language. */
  switchHref: string;
  /** The event whose logo and title lead the header; without one, Palco's mark and name, linking to `/`. */
  event?: Pick<PublicEvent, 'title' | 'logo_url'> | null | undefined;
  /** What this page is ("Moderación"), under the title. */
  section?: string | undefined;
  /** Who is signed in, at the end of the header. */
  account?: HeaderAccount | null | undefined;
}

/** Up to two capitals of a title ("Lanzamiento Acme 2050" → "LA"), shown where a logo fails to load. */
export function initialsOf(title: string): string {
  const words = title.match(/\p{L}[\p{L}\p{N}]*/gu) ?? [];
  return words
    .slice(0, 2)
    .map((word) => word[0]!.toLocaleUpperCase())
    .join('');
}

/**
 * The header of every hosted page: the event's logo and title (or Palco's), the page's name,
 * who is signed in, and the language switch. A logo that fails to load shows the title's
 * initials instead of a broken image: the ::after of a broken <img> is drawn, of a loaded one
 * it is not (pages/styles.ts), so no script is needed on pages whose policy allows none.
 */
export function SiteHeader({ lang, switchHref, event, section, account }: SiteHeaderProps) {
  const texts = textsFor(lang);
  const other = otherLang(lang);
  return (
    <header class="site-header">
      <div class="site-header-inner">
        {event ? (
          <div class="site-brand">
            {event.logo_url && (
              <img class="event-logo" src={event.logo_url} alt="" width={44} height={44} data-initials={initialsOf(event.title)} />
            )}
            <div class="site-heading">
              <h1 class="site-title">{event.title}</h1>
              {section && <p class="site-section">{section}</p>}
            </div>
          </div>
        ) : (
          <div class="site-brand">
            <a class="site-home" href={`/?lang=${lang}`}>
              <img class="palco-mark" src={faviconSvgPath} alt="" width={32} height={32} />
              <span>Palco</span>
            </a>
            {section && <p class="site-section">{section}</p>}
          </div>
        )}
        <div class="site-tools">
          {account && (
            <p class="site-account">
              <span>{texts.signedInAs(account.name)}</span> <span class="site-role">{texts.roleNames[account.role]}</span>
            </p>
          )}
          <a class="lang-switch" href={switchHref} hreflang={other} lang={other}>
            {textsFor(other).languageName}
          </a>
        </div>
      </div>
    </header>
  );
}
