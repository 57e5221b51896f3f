import type { PublicEvent } from '@palco/sdk/protocol';
import { Layout, type PageChrome } from './layout.js';
import { textsFor } from './texts.js';

export interface LogoutPageProps extends PageChrome {
  event: PublicEvent;
  /** Who would be signed out. */
  name: string;
  /** Where the button posts: `/e/{slug}/logout`, in this language. */
  action: string;
}

/** `GET /e/{slug}/logout`: asks before signing out, so that opening the address changes nothing. */
export function LogoutPage({ lang, switchHref, event, name, action }: LogoutPageProps) {
  const texts = textsFor(lang);
  return (
    <Layout lang={lang} switchHref={switchHref} title={`${event.title} · ${texts.signOut}`} event={event}>
      <h2>{texts.signOutQuestion(name)}</h2>
      <form method="post" action={action}>
        <button type="submit">{texts.signOut}</button>
      </form>
    </Layout>
  );
}
