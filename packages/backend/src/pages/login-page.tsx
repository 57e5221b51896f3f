import { ErrorCode, EventState, Limits, SignInMethod, errorText, type ErrorBody, type PublicEvent } from '@palco/sdk/protocol';
import { ConsentField } from './custom-fields.js';
import { ErrorSummary, Field } from './form-fields.js';
import { journeyTextsFor } from './journey-texts.js';
import { Layout, type PageChrome } from './layout.js';
import { withLang } from './render.js';
import { textsFor } from './texts.js';

export interface LoginPageProps extends PageChrome {
  event: PublicEvent;
  action: string;
  registerHref: string;
  /** Prefilled from `?email=` or kept after an error; the password never is. */
  email: string;
  error?: ErrorBody | undefined;
}

/**
 * `/e/{slug}/login`: attendees use the event's access code, staff their own password. After a
 * `consent_required` the form shows the event's current notice and its box, so the next
 * sign-in carries the consent.
 */
export function LoginPage({ lang, switchHref, event, action, registerHref, email, error }: LoginPageProps) {
  const texts = textsFor(lang);
  const labels = { email: texts.email, password: texts.password };
  return (
    <Layout lang={lang} switchHref={switchHref} title={`${event.title} · ${texts.loginTitle}`} event={event}>
      <h2>{texts.loginTitle}</h2>
      {event.state === EventState.ended && (
        <div class="notice">
          <p>
            <strong>{errorText(ErrorCode.eventClosed, lang)}</strong> {texts.closedStaffHint}
          </p>
        </div>
      )}
      {error && <ErrorSummary lang={lang} error={error} fieldLabels={labels} />}
      <form method="post" action={action}>
        <Field
          name="email"
          label={labels.email}
          type="email"
          autocomplete="username"
          value={email}
          error={error?.fields?.email}
          maxLength={Limits.emailMax}
        />
        <Field
          name="password"
          label={labels.password}
          type="password"
          autocomplete="current-password"
          error={error?.fields?.password}
          hint={texts.passwordHint}
          maxLength={Limits.passwordMax}
        />
        {error?.error === ErrorCode.consentRequired && event.privacy_notice && (
          <ConsentField lang={lang} notice={event.privacy_notice} error={undefined} />
        )}
        <button type="submit">{texts.loginButton}</button>
      </form>
      {event.sign_in === SignInMethod.link && (
        <p class="alternate">
          <a href={withLang(`/e/${event.slug}/sign-in-link`, lang)}>{journeyTextsFor(lang).attendeesUseLink}</a>
        </p>
      )}
      {event.registration_open && (
        <p class="alternate">
          {texts.firstTime} <a href={registerHref}>{texts.registerLink}</a>
        </p>
      )}
    </Layout>
  );
}
