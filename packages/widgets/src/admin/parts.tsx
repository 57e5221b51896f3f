import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { PalcoError, fieldProblemText, type Lang } from '@palco/sdk';
import { ErrorLine, useFocusFirstProblem } from '../shared.js';
import { describeFailure } from '../texts.js';
import type { AdminContext } from './context.js';
import type { AdminTexts } from './texts.js';

/** What went wrong with a form: one message for the form, one per field. */
export interface Failure {
  message: string;
  fields: Record<string, string>;
}

/** "allowed_origins.2" → "allowed_origins": the field that shows the problem. */
function fieldOf(path: string): string {
  return path.split('.')[0] ?? path;
}

/** The server's own words (already in the client's language) for its errors; ours for the rest. */
export function failureOf(error: unknown, lang: Lang): Failure {
  const message = error instanceof PalcoError ? error.message : describeFailure(error, lang);
  const fields: Record<string, string> = {};
  if (error instanceof PalcoError && error.fields) {
    for (const [path, text] of Object.entries(error.fields)) fields[fieldOf(path)] ??= text;
  }
  return { message, fields };
}

/** The problems `validate` found (same schemas as the server), worded per field. */
export function invalidFields(problems: Record<string, string>, lang: Lang, texts: AdminTexts): Failure {
  const fields: Record<string, string> = {};
  for (const [path, problem] of Object.entries(problems)) fields[fieldOf(path)] ??= fieldProblemText(problem, lang);
  return { message: texts.formHasErrors, fields };
}

/** A form's submit: one at a time, its failure kept, the first problem focused. */
export function useSubmit(lang: Lang) {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const form = useRef<HTMLFormElement>(null);

  useFocusFirstProblem(form, failure);

  const run = useCallback(
    async (perform: () => Promise<void>) => {
      if (pending) return;
      setPending(true);
      setFailure(null);
      try {
        await perform();
      } catch (error) {
        setFailure(failureOf(error, lang));
      } finally {
        setPending(false);
      }
    },
    [pending, lang],
  );
  return { form, pending, failure, setFailure, run };
}

/**
 * Loads something for a view, and again on `reload()` or when `key` changes.
 *
 * `setValue` is for a change the admin just made (a webhook added, a member removed). When it comes
 * while a load is still under way, that load was answered, or may be, from before the change: its
 * answer is dropped and the view loads again, so a slow first list cannot wipe out what was added.
 * A change is computed from the value the view showed when the admin acted; when a load answered
 * since (the admin added a webhook before the first list came, and the list came first), that
 * change was made from an older value and would wipe out what the load brought: the view loads
 * again then too.
 */
export function useLoaded<T>(load: () => Promise<T>, key: unknown, lang: Lang) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const loading = useRef(false);
  /** How many load answers the view has taken; a change made from an earlier one is stale. */
  const answers = useRef(0);
  const answersSeen = answers.current;
  useEffect(() => {
    let current = true;
    loading.current = true;
    load()
      .then((loaded) => {
        if (!current) return;
        loading.current = false;
        answers.current += 1;
        setValue(loaded);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!current) return;
        loading.current = false;
        setError(failureOf(failure, lang).message);
      });
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = () => setGeneration((count) => count + 1);
  const change = (next: T) => {
    setValue(next);
    if (loading.current || answers.current !== answersSeen) reload();
  };
  return { value, setValue: change, error, reload };
}

type InputType = 'text' | 'email' | 'password' | 'url' | 'number' | 'tel' | 'datetime-local';

/** A labelled input or text area, its hint, and its problem tied to it for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  error?: string | undefined;
  hint?: ComponentChildren;
  type?: InputType;
  multiline?: boolean;
  maxLength?: number;
  autocomplete?: string;
  placeholder?: string;
  required?: boolean;
}) {
  const { id, error } = props;
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: id,
    value: props.value,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    required: props.required,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    onInput: (event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={3} />
      ) : (
        // Preact's input types discriminate on a literal `type`; each caller passes one.
        <input {...common} type={(props.type ?? 'text') as 'text'} autocomplete={props.autocomplete} />
      )}
      {props.hint && (
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * A button that copies `text`, with a status line saying whether it worked. When the clipboard
 * is refused, `selectable` (the element showing the text) is selected, so copying by hand is one keystroke.
 */
export function CopyButton(props: { text: string; texts: AdminTexts; controls?: string; selectable?: () => HTMLElement | null; class?: string }) {
  const { texts } = props;
  const [copy, setCopy] = useState<CopyState>('idle');
  useEffect(() => setCopy('idle'), [props.text]);
  const run = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopy('copied');
    } catch {
      const element = props.selectable?.();
      if (element) element.ownerDocument.getSelection()?.selectAllChildren(element);
      setCopy('failed');
    }
  };
  return (
    <>
      <button type="button" class={props.class ?? 'small'} aria-controls={props.controls} onClick={run}>
        {copy === 'copied' ? texts.copied : texts.copy}
      </button>
      <span role="status" class={copy === 'failed' ? 'form-error' : 'visually-hidden'}>
        {copy === 'failed' ? texts.copyFailed : copy === 'copied' ? texts.copied : ''}
      </span>
    </>
  );
}

/** A modal question before something that cannot be taken back; Escape or Cancel says no. */
function ConfirmDialog(props: {
  title: string;
  body: string;
  confirm: string;
  texts: AdminTexts;
  danger?: boolean;
  onConfirm(): Promise<void> | void;
  onCancel(): void;
}) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState(false);
  useEffect(() => confirmButton.current?.focus(), []);
  return (
    <div
      class="dialog-backdrop"
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onCancel();
      }}
    >
      <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-body">
        <h2 id="confirm-title">{props.title}</h2>
        <p id="confirm-body">{props.body}</p>
        <div class="actions">
          <button
            ref={confirmButton}
            type="button"
            class={props.danger ? 'danger' : undefined}
            disabled={pending}
            onClick={async () => {
              setPending(true);
              try {
                await props.onConfirm();
              } finally {
                setPending(false);
              }
            }}
          >
            {props.confirm}
          </button>
          <button type="button" class="secondary" onClick={props.onCancel}>
            {props.texts.cancel}
          </button>
        </div>
      </div>
    </div>
  );
}

/** A list typed one per line or comma-separated, as the API's arrays. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A button that asks first (ConfirmDialog), then acts; a failure shows beside it. */
export function ConfirmButton(props: {
  label: string;
  class?: string;
  title: string;
  body: string;
  confirm?: string;
  danger?: boolean;
  context: Pick<AdminContext, 'texts' | 'lang'>;
  action(): Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button type="button" class={props.class} onClick={() => setAsking(true)}>
        {props.label}
      </button>
      <ErrorLine message={error} />
      {asking && (
        <ConfirmDialog
          title={props.title}
          body={props.body}
          confirm={props.confirm ?? props.label}
          danger={props.danger}
          texts={props.context.texts}
          onCancel={() => setAsking(false)}
          onConfirm={async () => {
            try {
              await props.action();
              setError(null);
            } catch (failure) {
              setError(failureOf(failure, props.context.lang).message);
            }
            setAsking(false);
          }}
        />
      )}
    </>
  );
}
