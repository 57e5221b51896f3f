import type { PublicEvent } from '@palco/sdk/protocol';
import { Layout, type PageChrome } from './layout.js';

export interface OneButtonPageProps extends PageChrome {
  event: Pick<PublicEvent, 'title' | 'logo_url'>;
  heading: string;
  detail: string;
  /** Where the button posts, and the hidden fields it carries. */
  action: string;
  fields: Record<string, string>;
  button: string;
}

/**
 * What an emailed link opens: a page that changes nothing until its one button is pressed,
 * because mail scanners fetch every link of a message before the person reads it.
 */
export function OneButtonPage({ lang, switchHref, event, heading, detail, action, fields, button }: OneButtonPageProps) {
  return (
    <Layout lang={lang} switchHref={switchHref} title={`${event.title} · ${heading}`} event={event}>
      <h2>{heading}</h2>
      <p class="intro">{detail}</p>
      <form method="post" action={action}>
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit">{button}</button>
      </form>
    </Layout>
  );
}
