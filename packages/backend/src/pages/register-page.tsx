import { ErrorCode, EventState, Limits, errorText, localizedText, type ErrorBody, type FieldValues, type PublicEvent } from '@palco/sdk/protocol';
import { ConsentField, CustomField } from './custom-fields.js';
import { ErrorSummary, Field } from './form-fields.js';
import { Layout, type PageChrome } from './layout.js';
import { withLang } from './render.js';
import { ScheduleSection, scheduleScriptPath } from './schedule.js';
import { textsFor } from './texts.js';

export const registerFields = ['name', 'email', 'phone'] as const;
export type RegisterValues = Partial<Record<(typeof registerFields)[number], string>> & { fields?: FieldValues };

export interface RegisterPageProps extends PageChrome {
  event: PublicEvent;
  /** Where the form posts: this page, in this language. */
  action: string;
  loginHref: string;
  /** The event's page as people reach it (PALCO_PUBLIC_URL): the calendar links point there. */
  pageUrl: string;
  /** What the attendee typed, shown again after an error. */
  values: RegisterValues;
  error?: ErrorBody | undefined;
}

/** `/e/{slug}`: an attendee registers with name, email, phone (if the event asks), its own questions and consent. */
export function RegisterPage({ lang, switchHref, event, action, loginHref, pageUrl, values, error }: RegisterPageProps) {
  const texts = textsFor(lang);
  const labels = { name: texts.name, email: texts.email, phone: texts.phone };
  const problemLabels: Record<string, string> = { ...labels };
  for (const field of event.registration_fields) problemLabels[`fields.${field.key}`] = localizedText(field.label, lang);
  if (event.privacy_notice) problemLabels.consent = texts.noticeHeading;
  const domains = event.allowed_email_domains;
  return (
    <Layout lang={lang} switchHref={switchHref} title={`${event.title} · ${texts.registerTitle}`} event={event}>
      {event.registration_open ? (
        <>
          <h2>{texts.registerTitle}</h2>
          <p class="intro">{texts.registerIntro}</p>
          {event.description && <p class="event-description">{event.description}</p>}
          {event.state === 'scheduled' && event.starts_at && (
            <>
              <ScheduleSection event={event} lang={lang} pageUrl={pageUrl} />
              <script src={scheduleScriptPath} defer />
            </>
          )}
          {error && (
            <ErrorSummary lang={lang} error={error} fieldLabels={problemLabels}>
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
              required={event.phone_required}
            />
            {event.registration_fields.map((field) => (
              <CustomField
                key={field.key}
                lang={lang}
                field={field}
                value={values.fields?.[field.key]}
                error={error?.fields?.[`fields.${field.key}`]}
              />
            ))}
            {event.privacy_notice && <ConsentField lang={lang} notice={event.privacy_notice} error={error?.fields?.consent} />}
            <button type="submit">{texts.registerButton}</button>
          </form>
          <p class="alternate">
            {texts.alreadyRegistered} <a href={loginHref}>{texts.signInLink}</a>
          </p>
        </>
      ) : event.state === EventState.onDemand ? (
        // Those registered before may still watch the replay: only registering is over.
        <div class="notice" role={error ? 'alert' : undefined}>
          <h2>{errorText(ErrorCode.registrationClosed, lang)}</h2>
          <p>
            {texts.replaySignInHint} <a href={loginHref}>{texts.signInLink}</a>
          </p>
        </div>
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
