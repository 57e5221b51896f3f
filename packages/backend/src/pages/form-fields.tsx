import type { ComponentChildren } from 'preact';
import type { ErrorBody, Lang } from '@palco/sdk/protocol';
import { textsFor } from './texts.js';

export const fieldId = (name: string) => `field-${name}`;

interface FieldProps {
  name: string;
  label: string;
  type: 'text' | 'email' | 'tel' | 'password';
  autocomplete: string;
  value?: string | undefined;
  /** The field's problem, already in the reader's language. */
  error?: string | undefined;
  hint?: string | undefined;
  maxLength?: number;
  /** Whether the field must be filled (true unless said otherwise). */
  required?: boolean;
}

/** A labelled input whose hint and error are announced with it (aria-describedby). */
export function Field({ name, label, type, autocomplete, value, error, hint, maxLength, required = true }: FieldProps) {
  const id = fieldId(name);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  // Preact's typings pair each input type with its ARIA roles and cannot check a union
  // of types at once; these four all keep the default role.
  const typeAttribute = { type } as { type: 'text' };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
      <input
        id={id}
        name={name}
        {...typeAttribute}
        autocomplete={autocomplete}
        value={value}
        maxLength={maxLength}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
    </div>
  );
}

interface ErrorSummaryProps {
  lang: Lang;
  error: ErrorBody;
  /** Labels of the form's fields, to name each field with a problem. */
  fieldLabels: Record<string, string>;
  /** What to do next, when the error calls for it (a link, the allowed domains). */
  children?: ComponentChildren;
}

/** The error of the last submission, read out as soon as the page loads (role="alert"). */
export function ErrorSummary({ lang, error, fieldLabels, children }: ErrorSummaryProps) {
  const texts = textsFor(lang);
  const fieldProblems = Object.entries(error.fields ?? {}).filter(([name]) => name in fieldLabels);
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h2>{texts.errorSummaryTitle}</h2>
      <p>{error.message}</p>
      {fieldProblems.length > 0 && (
        <ul>
          {fieldProblems.map(([name, problem]) => (
            <li key={name}>
              <a href={`#${fieldId(name)}`}>
                {fieldLabels[name]}: {problem}
              </a>
            </li>
          ))}
        </ul>
      )}
      {error.retry_after !== undefined && <p>{texts.waitFor(error.retry_after)}</p>}
      {children}
    </div>
  );
}
