import { useEffect, useRef, useState } from 'preact/hooks';
import {
  emailDomainAllowed,
  emailSchema,
  EventState,
  Limits,
  LoginInput,
  RegisterInput,
  fieldProblemText,
  isNoticeUrl,
  localizedText,
  validate,
  validateFieldValues,
  type ErrorCode,
  type FieldValue,
  type FieldValues,
  type Lang,
  type PrivacyNotice,
  type RegistrationField,
} from '@palco/sdk';
import { countryOptions, isCountryCode } from '../countries.js';
import { defaultApi } from '../default-api.js';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { ErrorLine, Notice, useFocusFirstProblem, useSessionState } from '../shared.js';
import { describeFailure, type WidgetTexts } from '../texts.js';
import { ScheduleNote, scheduleNoteStyles } from './waiting-room.js';

export const RegisterAttributes = {
  ...CommonAttributes,
  /** A token signed by the producer's server with the event's embed secret: signs in without the form. */
  identity: 'identity',
} as const;

type Mode = 'register' | 'login';
type FieldName = 'name' | 'email' | 'phone' | 'password';
/** Problems by field: the form's own, `fields.{key}` for the event's questions, `consent`. */
type FieldErrors = Partial<Record<string, string>>;

const fieldsOf: Record<Mode, readonly FieldName[]> = {
  register: ['name', 'email', 'phone'],
  login: ['email', 'password'],
};

interface Failure {
  message: string;
  fields: FieldErrors;
}

/** Registration and sign-in for one event, or a signed identity token instead of the form. */
export function PalcoRegister({ session, lang, texts, attributes, emit, host }: WidgetProps<typeof RegisterAttributes>) {
  const state = useSessionState(session);
  const [mode, setMode] = useState<Mode>('register');
  const [values, setValues] = useState<Record<FieldName, string>>({ name: '', email: '', phone: '', password: '' });
  const [answers, setAnswers] = useState<FieldValues>({});
  const [consent, setConsent] = useState(false);
  /** The sign-in answered consent_required: the notice changed since this attendee accepted it. */
  const [consentAsked, setConsentAsked] = useState(false);
  const [waitlisted, setWaitlisted] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, setPending] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const identity = attributes.identity?.trim() || null;

  useEffect(() => {
    if (!identity || state.status === 'loading' || state.status === 'closed') return;
    let current = true;
    setVerifying(true);
    session
      .identify(identity)
      .then((result) => {
        if (!current) return;
        if ('status' in result) {
          setWaitlisted(true);
          emit('palco:waitlisted', { user: result.user });
        } else {
          emit('palco:signed-in', { user: result.user });
        }
      })
      .catch((error: { code?: ErrorCode }) => {
        if (!current) return;
        const message = describeFailure(error, lang);
        setFailure({ message, fields: {} });
        emit('palco:error', { code: error.code ?? 'internal_error', message });
      })
      .finally(() => current && setVerifying(false));
    return () => {
      current = false;
    };
    // Only a new token (or the event becoming known) is a reason to verify again.
  }, [identity, session, state.status === 'loading']);

  useFocusFirstProblem(form, failure);

  if (state.status === 'loading' || verifying) {
    return (
      <div class="panel" part="panel">
        <Notice>{verifying ? texts.verifyingIdentity : texts.loading}</Notice>
      </div>
    );
  }
  if (state.status === 'failed' && !state.user) {
    return (
      <div class="panel" part="panel">
        <Notice tone="error">{describeFailure({ code: state.failure }, lang, !session.speaksFor(host))}</Notice>
      </div>
    );
  }
  const registrationClosed = describeFailure({ code: 'registration_closed' }, lang);
  // During a replay that takes no new attendees, those registered before may still sign in to watch it.
  if (state.status !== 'closed' && !state.user && state.event?.state === EventState.onDemand && !state.event.registration_open && mode === 'register') {
    return (
      <div class="panel" part="panel">
        <Notice title={registrationClosed}>
          <p>{texts.replaySignInHint}</p>
        </Notice>
        <button type="button" class="secondary small" part="button" onClick={() => setMode('login')}>
          {texts.loginTab}
        </button>
      </div>
    );
  }
  if (state.status === 'closed' || (state.event && !state.event.registration_open && mode === 'register')) {
    return (
      <div class="panel" part="panel">
        <Notice title={texts.closedTitle}>{state.user ? texts.closedBody : registrationClosed}</Notice>
      </div>
    );
  }
  if (waitlisted) {
    return (
      <div class="panel" part="panel">
        <Notice>{describeFailure({ code: 'waitlisted' }, lang)}</Notice>
      </div>
    );
  }
  if (state.user && state.status !== 'signed_out') {
    return (
      <div class="panel signed-in" part="panel">
        <p>{texts.signedInAs(state.user.name)}</p>
        <button
          type="button"
          class="secondary small"
          part="button"
          onClick={async () => {
            await session.signOut().catch(() => {});
            emit('palco:signed-out', {});
          }}
        >
          {texts.signOut}
        </button>
      </div>
    );
  }

  const event = state.event;
  const questions = event?.registration_fields ?? [];
  const eventProblems = (email: string | null): Record<string, string> => {
    const problems: Record<string, string> = {};
    if (email !== null && !emailDomainAllowed(email, event?.allowed_email_domains ?? [])) problems.email = 'domain_not_allowed';
    if (event?.phone_required !== false && !values.phone.trim()) problems.phone = 'required';
    const checked = validateFieldValues(questions, answers, isCountryCode);
    if (!checked.ok) Object.assign(problems, checked.fields);
    if (event?.privacy_notice && !consent) problems.consent = 'consent_required';
    return problems;
  };

  const switchMode = (next: Mode) => {
    setMode(next);
    setFailure(null);
  };

  const submit = async (domEvent: Event) => {
    domEvent.preventDefault();
    if (pending) return;
    const input: Record<string, unknown> = Object.fromEntries(fieldsOf[mode].map((name) => [name, values[name]]));
    if (mode === 'register' && questions.length > 0) input.fields = answers;
    // A returning attendee asked to accept a new version of the notice sends their answer with the sign-in.
    if ((mode === 'register' || consentAsked) && event?.privacy_notice) input.consent = consent;
    const checked = validate(mode === 'register' ? RegisterInput : LoginInput, input);
    // The same checks the server makes, with the same words: nothing is sent that it would refuse.
    const email = validate(emailSchema, values.email);
    const problems = { ...(mode === 'register' ? eventProblems(email.ok ? email.value : null) : {}), ...(checked.ok ? {} : checked.fields) };
    if (!checked.ok || Object.keys(problems).length > 0) {
      const fields: FieldErrors = {};
      for (const [name, problem] of Object.entries(problems)) fields[name] = fieldProblemText(problem, lang);
      setFailure({ message: texts.formHasErrors, fields });
      return;
    }
    setPending(true);
    setFailure(null);
    try {
      if (mode === 'register') {
        const result = await session.register(checked.value as RegisterInput);
        if ('status' in result) {
          setWaitlisted(true);
          emit('palco:waitlisted', { user: result.user });
        } else {
          emit('palco:registered', { user: result.user });
          emit('palco:signed-in', { user: result.user });
        }
      } else {
        const result = await session.login(checked.value as LoginInput);
        emit('palco:signed-in', { user: result.user });
      }
    } catch (error) {
      const { code, fields } = error as { code?: ErrorCode; fields?: FieldErrors };
      const message = describeFailure(error, lang);
      emit('palco:error', { code: code ?? 'internal_error', message });
      if (code === 'consent_required') setConsentAsked(true);
      if (code === 'already_registered') {
        // The person has an account: keep the email and ask for the access code instead.
        setMode('login');
      }
      // The server words field problems already (in the client's language).
      setFailure({ message, fields: fields ?? {} });
    } finally {
      setPending(false);
    }
  };

  const field = (
    name: FieldName,
    label: string,
    type: 'text' | 'email' | 'tel' | 'password',
    autocomplete: string,
    maxLength: number,
    hint?: string,
  ) => {
    const error = failure?.fields[name];
    const required = name !== 'phone' || event?.phone_required !== false;
    const id = `palco-${name}`;
    const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
    return (
      <div class="field">
        <label for={id}>{required ? label : `${label} ${texts.optional}`}</label>
        {hint && (
          <p id={`${id}-hint`} class="hint field-hint">
            {hint}
          </p>
        )}
        <input
          id={id}
          name={name}
          part="input"
          // Preact's input types discriminate on a literal `type`; each call here passes one.
          type={type as 'text'}
          autocomplete={autocomplete}
          maxLength={maxLength}
          required={required}
          value={values[name]}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy || undefined}
          onInput={(event) => {
            const value = event.currentTarget.value;
            setValues((current) => ({ ...current, [name]: value }));
          }}
        />
        {error && (
          <p id={`${id}-error`} class="field-error">
            {error}
          </p>
        )}
      </div>
    );
  };

  const domains = state.event?.allowed_email_domains ?? [];
  return (
    <div class="panel" part="panel">
      {event && <ScheduleNote event={event} api={attributes.api || defaultApi} lang={lang} />}
      <div class="tabs" role="group" aria-label={texts.registerTitle}>
        <button type="button" class="secondary small" aria-pressed={mode === 'register'} onClick={() => switchMode('register')}>
          {texts.registerTab}
        </button>
        <button type="button" class="secondary small" aria-pressed={mode === 'login'} onClick={() => switchMode('login')}>
          {texts.loginTab}
        </button>
      </div>
      <form ref={form} part="form" noValidate onSubmit={submit} aria-labelledby="palco-form-title">
        <h2 id="palco-form-title">{mode === 'register' ? texts.registerTitle : texts.loginTitle}</h2>
        {mode === 'register' && <p class="hint">{texts.registerIntro}</p>}
        {mode === 'register' && field('name', texts.name, 'text', 'name', Limits.nameMax)}
        {field('email', texts.email, 'email', 'email', Limits.emailMax, mode === 'register' && domains.length > 0 ? texts.allowedDomains(domains) : undefined)}
        {mode === 'register'
          ? field('phone', texts.phone, 'tel', 'tel', Limits.phoneMax)
          : field('password', texts.password, 'password', 'current-password', Limits.passwordMax, texts.passwordHint)}
        {mode === 'register' &&
          questions.map((question) => (
            <Question
              key={question.key}
              field={question}
              lang={lang}
              texts={texts}
              value={answers[question.key]}
              error={failure?.fields[`fields.${question.key}`]}
              onChange={(value) => setAnswers((current) => ({ ...current, [question.key]: value }))}
            />
          ))}
        {(mode === 'register' || consentAsked) && event?.privacy_notice && (
          <Consent notice={event.privacy_notice} lang={lang} texts={texts} checked={consent} error={failure?.fields.consent} onChange={setConsent} />
        )}
        <ErrorLine message={failure?.message} />
        <button type="submit" part="button" disabled={pending}>
          {pending ? texts.sending : mode === 'register' ? texts.registerButton : texts.loginButton}
        </button>
      </form>
    </div>
  );
}

interface QuestionProps {
  field: RegistrationField;
  lang: Lang;
  texts: WidgetTexts;
  value: FieldValue | undefined;
  error: string | undefined;
  onChange(value: FieldValue): void;
}

/** One of the event’s own questions (also the admin pages’ preview), labelled in the reader's language, its problem announced with it. */
export function Question({ field, lang, texts, value, error, onChange }: QuestionProps) {
  const id = `palco-field-${field.key}`;
  const errorId = `${id}-error`;
  const label = `${localizedText(field.label, lang)}${field.required ? '' : ` ${texts.optional}`}`;
  const described = { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? errorId : undefined };
  const problem = error && (
    <p id={errorId} class="field-error">
      {error}
    </p>
  );
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  if (field.type === 'checkbox') {
    return (
      <div class="field check">
        <label>
          <input id={id} type="checkbox" part="input" checked={value === true} {...described} onChange={(event) => onChange(event.currentTarget.checked)} />{' '}
          {label}
        </label>
        {problem}
      </div>
    );
  }
  if (field.type === 'multiselect') {
    const picked = Array.isArray(value) ? value : [];
    return (
      <fieldset class="field" id={id} aria-describedby={described['aria-describedby']}>
        <legend>{label}</legend>
        {field.options?.map((option) => (
          <label key={option}>
            <input
              type="checkbox"
              part="input"
              checked={picked.includes(option)}
              onChange={(event) => onChange(event.currentTarget.checked ? [...picked, option] : picked.filter((item) => item !== option))}
            />{' '}
            {option}
          </label>
        ))}
        {problem}
      </fieldset>
    );
  }
  const options = field.type === 'select' ? field.options!.map((option) => [option, option] as const) : field.type === 'country' ? countryOptions(lang) : null;
  // One set of attributes for whichever control the type asks for.
  const control = {
    id,
    part: 'input',
    required: field.required,
    ...described,
    value: text,
    onInput: (event: Event) => onChange((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {options ? (
        <select {...control}>
          <option value="">{texts.choose}</option>
          {options.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      ) : field.type === 'textarea' ? (
        <textarea {...control} />
      ) : field.type === 'number' ? (
        <input {...control} type="number" min={field.min} max={field.max} step="any" />
      ) : (
        <input {...control} type="text" />
      )}
      {problem}
    </div>
  );
}

interface ConsentProps {
  notice: PrivacyNotice;
  lang: Lang;
  texts: WidgetTexts;
  checked: boolean;
  error: string | undefined;
  onChange(checked: boolean): void;
}

/** The event's privacy notice (or a link to it) and the box that accepts it, unticked until the person ticks it. */
export function Consent({ notice, lang, texts, checked, error, onChange }: ConsentProps) {
  const body = localizedText(notice, lang);
  return (
    <div class="field check">
      {isNoticeUrl(body) ? (
        <a href={body} target="_blank" rel="noopener noreferrer">
          {texts.noticeTitle}
        </a>
      ) : (
        <details>
          <summary>{texts.noticeTitle}</summary>
          <p class="notice-text">{body}</p>
        </details>
      )}
      <label>
        <input
          id="palco-consent"
          type="checkbox"
          part="input"
          required
          checked={checked}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'palco-consent-error' : undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />{' '}
        {texts.consentLabel}
      </label>
      {error && (
        <p id="palco-consent-error" class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export const registerStyles = `
${scheduleNoteStyles}
form { display: flex; flex-direction: column; gap: 12px; }
fieldset.field { border: 0; padding: 0; margin: 0; display: grid; gap: 4px; }
.notice-text { white-space: pre-wrap; max-height: 12em; overflow: auto; }
.tabs { display: flex; gap: 6px; flex-wrap: wrap; }
.field-hint { margin-bottom: var(--_space-1); }
.signed-in { flex-direction: row; align-items: center; justify-content: space-between; flex-wrap: wrap; }
`;
