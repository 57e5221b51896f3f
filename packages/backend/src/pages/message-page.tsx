import type { PublicEvent } from '@palco/sdk/protocol';
import { Layout, type PageChrome } from './layout.js';
import { textsFor } from './texts.js';

export interface MessagePageProps extends PageChrome {
  heading: string;
  detail?: string | undefined;
  /** The event the message is about, leading the header. */
  event?: Pick<PublicEvent, 'title' | 'logo_url'> | undefined;
  /** Where to go from here; the start page when none is given. */
  links?: ReadonlyArray<{ href: string; text: string }> | undefined;
}

/** A page that only says something: an unknown event, an error with nothing to retry, a page that is not theirs. */
export function MessagePage({ lang, switchHref, heading, detail, event, links }: MessagePageProps) {
  const ways = links ?? [{ href: `/?lang=${lang}`, text: textsFor(lang).backHome }];
  return (
    <Layout lang={lang} switchHref={switchHref} title={heading} event={event}>
      <h1 class="page-title">{heading}</h1>
      {detail && <p class="intro">{detail}</p>}
      {ways.map(({ href, text }) => (
        <p key={href}>
          <a href={href}>{text}</a>
        </p>
      ))}
    </Layout>
  );
}
