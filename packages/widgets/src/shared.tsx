import type { ComponentChildren } from 'preact';
import type { RefObject } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { cleanText, hasVisibleText, isModeratorRole, isStaffRole, type ErrorCode, type Lang, type Question, type SessionUser } from '@palco/sdk';
import type { EventSession, SessionState } from './event-session.js';
import type { EmitPalcoEvent } from './events.js';
import { describeFailure, type WidgetTexts } from './texts.js';

export function useSessionState(session: EventSession): SessionState {
  const [state, setState] = useState(session.state);
  useEffect(() => {
    setState(session.state);
    return session.subscribe(setState);
  }, [session]);
  return state;
}

export interface Action<A extends unknown[]> {
  run(...args: A): Promise<boolean>;
  pending: boolean;
  error: string | null;
  clearError(): void;
}

/** Runs one user action at a time, keeping its failure as text and telling the page about it. */
export function useAction<A extends unknown[]>(
  perform: (...args: A) => Promise<unknown>,
  lang: Lang,
  emit: EmitPalcoEvent,
): Action<A> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (...args: A) => {
      setPending(true);
      setError(null);
      try {
        await perform(...args);
        return true;
      } catch (failure) {
        const message = describeFailure(failure, lang);
        setError(message);
        emit('palco:error', { code: (failure as { code?: ErrorCode }).code ?? 'internal_error', message });
        return false;
      } finally {
        setPending(false);
      }
    },
    [perform, lang, emit],
  );
  return { run, pending, error, clearError: () => setError(null) };
}

export function Notice(props: { title?: string; tone?: 'info' | 'error'; children?: ComponentChildren }) {
  const error = props.tone === 'error';
  return (
    <div class={error ? 'notice error' : 'notice'} role={error ? 'alert' : 'status'} part="notice">
      {props.title && <strong>{props.title}</strong>}
      {props.children}
    </div>
  );
}

/** A problem to read now: a form's message (focused after a failed submit) or an action's. */
export function ErrorLine({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p class="form-error" role="alert" tabIndex={-1}>
      {message}
    </p>
  );
}

/** After a failed submit, focuses the first field that needs attention, else the form's ErrorLine. */
export function useFocusFirstProblem(form: RefObject<HTMLFormElement | null>, failure: unknown) {
  useEffect(() => {
    if (!failure || !form.current) return;
    const target = form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current.querySelector<HTMLElement>('.form-error');
    target?.focus();
  }, [failure]);
}

export function ClosedNotice({ texts }: { texts: WidgetTexts }) {
  return (
    <Notice title={texts.closedTitle}>
      <p>{texts.closedBody}</p>
    </Notice>
  );
}

/** Who may see a widget once the session is live: any member of the event, staff, or moderators. */
export type VisibleTo = 'member' | 'staff' | 'moderator';

function admits(visibleTo: VisibleTo, user: SessionUser | null): boolean {
  if (!user) return false;
  if (visibleTo === 'moderator') return isModeratorRole(user.role);
  if (visibleTo === 'staff') return isStaffRole(user.role);
  return true;
}

/**
 * The states every live widget shares — loading, signed out, closed, failed, not allowed —
 * and the widget's own content once the session is live.
 */
export function SessionGate(props: {
  state: SessionState;
  texts: WidgetTexts;
  lang: Lang;
  visibleTo: VisibleTo;
  /** Says a session-wide failure in short: another widget of the session spells it out. */
  brief?: boolean;
  children: () => ComponentChildren;
}) {
  const { state, texts, lang } = props;
  switch (state.status) {
    case 'loading':
    case 'connecting':
      return <Notice>{texts.loading}</Notice>;
    case 'closed':
      return <ClosedNotice texts={texts} />;
    case 'signed_out':
      return <Notice>{texts.signInToTakePart}</Notice>;
    case 'failed': {
      // A ban's notice arrives just before the socket closes: the person reads why.
      const banReason = state.failure === 'banned' && state.notice?.action === 'ban' ? state.notice.reason : null;
      return (
        <Notice tone="error">
          {describeFailure({ code: state.failure }, lang, props.brief)}
          {banReason && <p>{texts.reasonGiven(banReason)}</p>}
        </Notice>
      );
    }
    case 'live':
      if (!admits(props.visibleTo, state.user)) return <Notice tone="error">{texts.forbidden}</Notice>;
      return (
        <>
          {state.reconnecting && (
            <p class="banner" role="status">
              {texts.reconnecting}
            </p>
          )}
          {props.children()}
        </>
      );
  }
}

/** A line the person wrote that is not in the conversation (yet): on its way, or refused and not back in the box. */
interface ComposedLine {
  key: number;
  text: string;
}

/**
 * A text box with its label, a character count and Enter to send (Shift+Enter for a new line),
 * and under it the lines on their way: while `offline`, they go once the connection returns.
 */
export function MessageComposer(props: {
  id: string;
  label: string;
  placeholder: string;
  button: string;
  maxLength: number;
  rows?: number;
  disabled?: boolean;
  /** The connection is away: lines sent now wait for it (the SDK sends them once it returns). */
  offline?: boolean;
  texts: WidgetTexts;
  onSend(text: string): Promise<boolean>;
}) {
  const [text, setText] = useState('');
  // Read after a send settles, when `text` of that render is stale.
  const typed = useRef(text);
  typed.current = text;
  const nextKey = useRef(0);
  const [outgoing, setOutgoing] = useState<readonly ComposedLine[]>([]);
  const [unsent, setUnsent] = useState<readonly ComposedLine[]>([]);
  // The server's rule: a text of spaces or invisible characters alone is not a message.
  const sendable = hasVisibleText(text);
  // The box empties as the line leaves, so the next one can be typed and sent before the
  // server answers (replies are matched to their line). A refused line comes back to be
  // corrected if the box is empty; else it is offered below it, never mixed with the new text.
  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (!sendable || props.disabled) return;
    const line = { key: nextKey.current++, text };
    setText('');
    setOutgoing((lines) => [...lines, line]);
    const sent = await props.onSend(cleanText(text));
    setOutgoing((lines) => lines.filter((kept) => kept !== line));
    if (sent) return;
    if (typed.current === '') setText(line.text);
    else setUnsent((lines) => [...lines, line]);
  };
  // A button pressed in the list leaves with its line: the keyboard goes on to what comes next
  // instead of falling back to the start of the page.
  const box = useRef<HTMLTextAreaElement>(null);
  const offered = useRef<HTMLUListElement>(null);
  const focusNext = useRef<number | 'box' | null>(null);
  useEffect(() => {
    const next = focusNext.current;
    focusNext.current = null;
    if (next === 'box') box.current?.focus();
    else if (next !== null) offered.current?.querySelector<HTMLElement>(`[data-key="${next}"] button`)?.focus();
  }, [unsent]);
  /** Puts an offered line back in the box, to be corrected there; what the box held takes its place in the list. */
  const takeBack = (line: ComposedLine) => {
    const draft = typed.current;
    setUnsent((lines) => lines.flatMap((kept) => (kept !== line ? [kept] : draft === '' ? [] : [{ key: nextKey.current++, text: draft }])));
    setText(line.text);
    focusNext.current = 'box';
  };
  /** Drops an offered line; the keyboard goes to the line after it (or before it), else to the box. */
  const discard = (line: ComposedLine) => {
    const at = unsent.indexOf(line);
    focusNext.current = (unsent[at + 1] ?? unsent[at - 1])?.key ?? 'box';
    setUnsent((lines) => lines.filter((kept) => kept !== line));
  };
  const left = props.maxLength - text.length;
  return (
    <>
      {outgoing.length > 0 && (
        <ul class="list composed" aria-label={props.texts.linesOnTheirWay}>
          {outgoing.map((line) => (
            <li key={line.key} class="line" part="message">
              <p class="text">{line.text}</p>
              <span class="hint">{props.offline ? props.texts.sendingWhenBack : props.texts.sending}</span>
            </li>
          ))}
        </ul>
      )}
      {unsent.length > 0 && (
        <ul ref={offered} class="list composed" aria-label={props.texts.linesNotSent}>
          {unsent.map((line) => (
            <li key={line.key} data-key={line.key} class="line unsent" part="message">
              <p class="text">{line.text}</p>
              <div class="actions">
                <button type="button" class="secondary small" part="button" onClick={() => takeBack(line)}>
                  {props.texts.backToTheBox}
                </button>
                <button type="button" class="secondary small" part="button" onClick={() => discard(line)}>
                  {props.texts.discard}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form class="composer" part="form" onSubmit={submit}>
        <label for={props.id}>{props.label}</label>
        <div class="row">
          <textarea
            ref={box}
            id={props.id}
            part="input"
            rows={props.rows ?? 2}
            maxLength={props.maxLength}
            placeholder={props.placeholder}
            value={text}
            disabled={props.disabled}
            aria-describedby={`${props.id}-count`}
            onInput={(event) => setText(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) void submit(event);
            }}
          />
          <button type="submit" part="button" disabled={!sendable || props.disabled}>
            {outgoing.length > 0 && !sendable ? props.texts.sending : props.button}
          </button>
        </div>
        <p id={`${props.id}-count`} class="hint" aria-live={left < 50 ? 'polite' : 'off'}>
          {props.texts.charactersLeft(left)}
        </p>
      </form>
    </>
  );
}

/** The topics (labels) the questions carry, each once, in order. */
export function topicsOf(questions: readonly Question[]): string[] {
  return [...new Set(questions.map((question) => question.label).filter((label): label is string => Boolean(label)))].sort();
}

/** Chooses one topic to show, or all (''); drawn only when some question has a topic. */
export function TopicFilter(props: { topics: readonly string[]; value: string; onChange: (topic: string) => void; texts: WidgetTexts; class?: string }) {
  if (props.topics.length === 0) return null;
  return (
    <label class={props.class ?? 'field'}>
      <span>{props.texts.labelFilter}</span>
      <select value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
        <option value="">{props.texts.allLabels}</option>
        {props.topics.map((topic) => (
          <option key={topic} value={topic}>
            {topic}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A moderator's typed answer under its question. */
export function AnswerLine({ question, texts }: { question: Question; texts: WidgetTexts }) {
  if (!question.answer) return null;
  return (
    <p class="answer">
      <strong>{texts.answerShown}:</strong> {question.answer}
    </p>
  );
}

/** One announcement at most this often: a screen reader reading every line of a busy chat is noise, not news. */
export const announceEveryMs = 10_000;

/**
 * What is new among `items` since the last announcement, worded by `describe`, for a polite
 * live region (`<Announcer>`). Items present when the list is first `ready` (the welcome's
 * history) are not news. While things keep arriving, they are gathered and said at most once
 * every `announceEveryMs`.
 */
export function useNewsAnnouncement<T extends { id: number }>(
  items: readonly T[],
  describe: (fresh: readonly T[]) => string,
  ready = true,
): string {
  const [announcement, setAnnouncement] = useState('');
  const seen = useRef<Set<number> | null>(null);
  const gathered = useRef<T[]>([]);
  const lastAt = useRef(Number.NEGATIVE_INFINITY);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const describeRef = useRef(describe);
  describeRef.current = describe;

  useEffect(() => {
    if (!ready) return;
    if (!seen.current) {
      seen.current = new Set(items.map((item) => item.id));
      return;
    }
    for (const item of items) {
      if (seen.current.has(item.id)) continue;
      seen.current.add(item.id);
      gathered.current.push(item);
    }
    if (gathered.current.length === 0 || timer.current) return;
    const say = () => {
      timer.current = null;
      lastAt.current = Date.now();
      setAnnouncement(describeRef.current(gathered.current));
      gathered.current = [];
    };
    const wait = lastAt.current + announceEveryMs - Date.now();
    if (wait <= 0) say();
    else timer.current = setTimeout(say, wait);
  }, [items, ready]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return announcement;
}

/** A visually hidden polite live region for `useNewsAnnouncement`'s text. */
export function Announcer({ text }: { text: string }) {
  return (
    <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {text}
    </p>
  );
}
