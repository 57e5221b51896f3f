import { Layout, type PageChrome } from './layout.js';
import { textsFor } from './texts.js';

export interface MessagePageProps extends PageChrome {
  heading: string;
  detail?: string | undefined;
}

/** A page that only says something: an unknown event, an error with nothing to retry. */
export function MessagePage({ lang, switchHref, heading, detail }: MessagePageProps) {
  return (
    <Layout lang={lang} switchHref={switchHref} title={heading}>
      <h1 class="page-title">{heading}</h1>
      {detail && <p class="intro">{detail}</p>}
      <p>
        <a href={`/?lang=${lang}`}>{textsFor(lang).backHome}</a>
      </p>
    </Layout>
  );
}
