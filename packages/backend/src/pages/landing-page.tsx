import { Layout, type PageChrome } from './layout.js';
import { textsFor } from './texts.js';

export interface LandingPageProps extends PageChrome {
  /** Registration page of the demo event, when this server runs one. */
  demoHref: string | null;
}

/** `/`: what Palco is, and where to go. */
export function LandingPage({ lang, switchHref, demoHref }: LandingPageProps) {
  const texts = textsFor(lang);
  return (
    <Layout lang={lang} switchHref={switchHref} title="Palco">
      <h1 class="page-title">{texts.landingTagline}</h1>
      <ul class="links">
        {demoHref && (
          <li>
            <a href={demoHref}>{texts.landingDemo}</a>
          </li>
        )}
        <li>
          <a href="/admin/events">{texts.landingAdmin}</a>
        </li>
      </ul>
    </Layout>
  );
}
