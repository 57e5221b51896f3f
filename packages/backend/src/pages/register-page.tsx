import { ErrorCode, Limits, errorText, type ErrorBody, type PublicEvent } from '@palco/sdk/protocol';
import { ErrorSummary, Field } from './form-fields.js';
import { Layout, type PageChrome } from './layout.js';
import { withLang } from './render.js';
import { textsFor } from './texts.js';

export const registerFields = ['name', 'email', 'phone'] as const;
export type RegisterValues = Partial<Record<(typeof registerFields)[number], string>>;

export interface RegisterPageProps extends PageChrome {
  event: PublicEvent;
  /** Where the form posts: this page, in this language. */
  action: string;
  loginHref: string;
  /** What the attendee typed, shown again after an error. */
  values: RegisterValues;
  error?: ErrorBody | undefined;
}

/** `/e/{slug}`: an attendee registers with name, email and phone. */
export function RegisterPage({ lang, switchHref, event, action, loginHref, values, error }: RegisterPageProps) {
  const texts = textsFor(lang);
  const labels = { name: texts.name, email: texts.email, phone: texts.phone };
  const domains = event.allowed_email_domains;
  return (
    <Layout lang={lang} switchHref={switchHref} title={`${event.title} · ${texts.registerTitle}`} event={event}>
      {event.registration_open ? (
        <>
          <h2>{texts.registerTitle}</h2>
          <p class="intro">{texts.registerIntro}</p>
          {error && (
            <ErrorSummary lang={lang} error={error} fieldLabels={labels}>
              {error.error === ErrorCode.domainNotAllowed && domains.length > 0 && <p>{texts.allowedDomains(domains)}</p>}
              {error.error === ErrorCode.alreadyRegistered && error.login_url && (
                <p>
                  <a href={withLang(error.login_url, lang)}>{texts.signInLink}</a>
                </p>
              )}
            </ErrorSummary>
          )}
          <form method="post" action={action}>
            <Field
              name="name"
              label={labels.name}
              type="text"
              autocomplete="name"
              value={values.name}
              error={error?.fields?.name}
              maxLength={Limits.nameMax}
            />
            <Field
              name="email"
              label={labels.email}
              type="email"
              autocomplete="email"
              value={values.email}
              error={error?.fields?.email}
              hint={domains.length > 0 ? texts.allowedDomains(domains) : undefined}
              maxLength={Limits.emailMax}
            />
            <Field
              name="phone"
              label={labels.phone}
              type="tel"
              autocomplete="tel"
              value={values.phone}
              error={error?.fields?.phone}
              maxLength={Limits.phoneMax}
            />
            <button type="submit">{texts.registerButton}</button>
          </form>
          <p class="alternate">
            {texts.alreadyRegistered} <a href={loginHref}>{texts.signInLink}</a>
          </p>
        </>
      ) : (
        <div class="notice" role={error ? 'alert' : undefined}>
          <h2>{errorText(ErrorCode.eventClosed, lang)}</h2>
          <p>{texts.closedIntro}</p>
          <p>
            {texts.closedStaffHint} <a href={loginHref}>{texts.signInLink}</a>
          </p>
        </div>
      )}
    </Layout>
  );
}
