import { Limits, type ErrorBody, type PublicEvent } from '@palco/sdk/protocol';
import { ErrorSummary, Field } from './form-fields.js';
import { journeyTextsFor } from './journey-texts.js';
import { Layout, type PageChrome } from './layout.js';
import { textsFor } from './texts.js';

export interface SignInLinkPageProps extends PageChrome {
  event: Pick<PublicEvent, 'title' | 'logo_url'>;
  action: string;
  email: string;
  error?: ErrorBody | undefined;
}

/** `/e/{slug}/sign-in-link`: an attendee asks for a link to their inbox. */
export function SignInLinkPage({ lang, switchHref, event, action, email, error }: SignInLinkPageProps) {
  const texts = journeyTextsFor(lang);
  const emailLabel = textsFor(lang).email;
  return (
    <Layout lang={lang} switchHref={switchHref} title={`${event.title} · ${texts.requestHeading}`} event={event}>
      <h2>{texts.requestHeading}</h2>
      <p class="intro">{texts.requestIntro}</p>
      {error && <ErrorSummary lang={lang} error={error} fieldLabels={{ email: emailLabel }} />}
      <form method="post" action={action}>
        <Field
          name="email"
          label={emailLabel}
          type="email"
          autocomplete="email"
          value={email}
          error={error?.fields?.email}
          maxLength={Limits.emailMax}
        />
        <button type="submit">{texts.requestSubmit}</button>
      </form>
    </Layout>
  );
}

export interface LinkProblemPageProps extends PageChrome {
  error: ErrorBody;
  /** Where to ask for a new link. */
  requestHref: string;
}

/** What a sign-in link that cannot be used opens: why, its code, and where to get a new one. */
export function LinkProblemPage({ lang, switchHref, error, requestHref }: LinkProblemPageProps) {
  const texts = journeyTextsFor(lang);
  return (
    <Layout lang={lang} switchHref={switchHref} title={error.message}>
      <h1 class="event-title">{error.message}</h1>
      <p class="hint">{texts.errorCode(error.error)}</p>
      <p>
        <a href={requestHref}>{texts.askAgain}</a>
      </p>
    </Layout>
  );
}
