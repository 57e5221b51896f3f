import { useEffect, useRef, useState } from 'preact/hooks';
import { Limits, LoginInput, RegisterInput, fieldProblemText, validate, type ErrorCode } from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { ErrorLine, Notice, useFocusFirstProblem, useSessionState } from '../shared.js';
import { describeFailure } from '../texts.js';

export const RegisterAttributes = {
  ...CommonAttributes,
  /** A token signed by the producer's server with the event's embed secret: signs in without the form. */
  identity: 'identity',
} as const;

type Mode = 'register' | 'login';
type FieldName = 'name' | 'email' | 'phone' | 'password';
type FieldErrors = Partial<Record<FieldName, string>>;

const fieldsOf: Record<Mode, readonly FieldName[]> = {
  register: ['name', 'email', 'phone'],
  login: ['email', 'password'],
};

interface Failure {
  message: string;
  fields: FieldErrors;
}

/** Registration and sign-in for one event, or a signed identity token instead of the form. */
export function PalcoRegister({ session, lang, texts, attributes, emit }: WidgetProps<typeof RegisterAttributes>) {
  const state = useSessionState(session);
  const [mode, setMode] = useState<Mode>('register');
  const [values, setValues] = useState<Record<FieldName, string>>({ name: '', email: '', phone: '', password: '' });
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
      .then((result) => current && emit('palco:signed-in', { user: result.user }))
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
        <Notice tone="error">{describeFailure({ code: state.failure }, lang)}</Notice>
      </div>
    );
  }
  if (state.status === 'closed' || (state.event && !state.event.registration_open && mode === 'register')) {
    return (
      <div class="panel" part="panel">
        <Notice title={texts.closedTitle}>{state.user ? texts.closedBody : texts.registrationClosed}</Notice>
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

  const switchMode = (next: Mode) => {
    setMode(next);
    setFailure(null);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (pending) return;
    const input = Object.fromEntries(fieldsOf[mode].map((name) => [name, values[name]]));
    const checked = validate(mode === 'register' ? RegisterInput : LoginInput, input);
    if (!checked.ok) {
      const fields: FieldErrors = {};
      for (const [name, problem] of Object.entries(checked.fields)) fields[name as FieldName] = fieldProblemText(problem, lang);
      setFailure({ message: texts.formHasErrors, fields });
      return;
    }
    setPending(true);
    setFailure(null);
    try {
      if (mode === 'register') {
        const result = await session.register(checked.value as RegisterInput);
        emit('palco:registered', { user: result.user });
        emit('palco:signed-in', { user: result.user });
      } else {
        const result = await session.login(checked.value as LoginInput);
        emit('palco:signed-in', { user: result.user });
      }
    } catch (error) {
      const { code, fields } = error as { code?: ErrorCode; fields?: FieldErrors };
      const message = describeFailure(error, lang);
      emit('palco:error', { code: code ?? 'internal_error', message });
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
    const id = `palco-${name}`;
    const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
    return (
      <div class="field">
        <label for={id}>{label}</label>
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
          required
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
        <ErrorLine message={failure?.message} />
        <button type="submit" part="button" disabled={pending}>
          {pending ? texts.sending : mode === 'register' ? texts.registerButton : texts.loginButton}
        </button>
      </form>
    </div>
  );
}

export const registerStyles = `
form { display: flex; flex-direction: column; gap: 12px; }
.tabs { display: flex; gap: 6px; flex-wrap: wrap; }
.field-hint { margin-bottom: var(--_space-1); }
.signed-in { flex-direction: row; align-items: center; justify-content: space-between; flex-wrap: wrap; }
`;
