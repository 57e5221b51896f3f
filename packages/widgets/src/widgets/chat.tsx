import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ErrorCode, Limits, errorText, type ChatMessage, type Lang } from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { formatters } from '../format.js';
import { ErrorLine, MessageComposer, Notice, SessionGate, useAction, useSessionState } from '../shared.js';
import type { WidgetTexts } from '../texts.js';

export const ChatAttributes = {
  ...CommonAttributes,
  /** Shows the conversation without the box to write in. */
  readonly: 'readonly',
} as const;

/** Keeps a scrolled list pinned to its newest item, unless the reader scrolled up to read. */
export function useStickToBottom(dependency: unknown) {
  const list = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const onScroll = () => {
      pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, []);
  useLayoutEffect(() => {
    const element = list.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [dependency]);
  return list;
}

export function ChatLine(props: { message: ChatMessage; lang: Lang; children?: ComponentChildren }) {
  const { message } = props;
  return (
    <li class="message" part="message">
      <div class="meta">
        <bdi class="author">{message.user_name}</bdi> <time dateTime={message.created_at}>{formatters(props.lang).time(message.created_at)}</time>
      </div>
      <p class="text">{message.message}</p>
      {props.children}
    </li>
  );
}

export function ChatList(props: {
  messages: readonly ChatMessage[];
  texts: WidgetTexts;
  lang: Lang;
  renderActions?: (message: ChatMessage) => ComponentChildren;
}) {
  const list = useStickToBottom(props.messages);
  if (props.messages.length === 0) return <p class="empty hint">{props.texts.chatEmpty}</p>;
  return (
    // role=log is a polite live region: screen readers announce new messages as they arrive.
    <div ref={list} class="messages" role="log" aria-live="polite" aria-label={props.texts.chatMessages} tabIndex={0}>
      <ol class="list" part="list">
        {props.messages.map((message) => (
          <ChatLine key={message.id} message={message} lang={props.lang}>
            {props.renderActions?.(message)}
          </ChatLine>
        ))}
      </ol>
    </div>
  );
}

/** Whether a block with this end (ISO 8601, or null for none) still holds; re-renders when it ends. */
function useBlockHolds(blocked: boolean, until: string | null | undefined): boolean {
  const [, setEnded] = useState(0);
  const left = until ? Date.parse(until) - Date.now() : 0;
  useEffect(() => {
    if (!blocked || left <= 0) return;
    const timer = setTimeout(() => setEnded((count) => count + 1), left + 250);
    return () => clearTimeout(timer);
  }, [blocked, until]);
  return blocked && (!until || left > 0);
}

/** What a moderator told this person about their chat, worded for them. */
function noticeText(state: ReturnType<typeof useSessionState>, texts: WidgetTexts, lang: Lang): string | null {
  const notice = state.notice;
  if (!notice) return null;
  if (notice.action === 'delete_chat') return texts.deletedNotice(notice.reason);
  if (notice.action === 'reject_chat') return texts.rejectedNotice(notice.reason);
  if (notice.action === 'timeout_chat' && notice.until && Date.parse(notice.until) > Date.now()) {
    return texts.timeoutNotice(formatters(lang).time(notice.until), notice.reason);
  }
  return null;
}

/** The event's live chat; `readonly` hides the box to write in. */
export function PalcoChat({ session, lang, texts, attributes, emit }: WidgetProps<typeof ChatAttributes>) {
  const state = useSessionState(session);
  const send = useAction((text: string) => session.chat(text), lang, emit);
  const readonly = attributes.readonly !== null;
  const slowMode = state.event?.slow_mode_seconds ?? 0;
  const blocked = useBlockHolds(Boolean(state.user?.chat_blocked), state.user?.chat_blocked_until);
  const ownHeld = state.held.filter((held) => held.user_id === state.user?.id);
  const told = noticeText(state, texts, lang);
  return (
    <section class="panel" part="panel" aria-labelledby="palco-chat-title">
      <div class="panel-header">
        <h2 id="palco-chat-title">{texts.chatTitle}</h2>
      </div>
      <SessionGate state={state} texts={texts} lang={lang} visibleTo="member">
        {() => (
          <>
            {state.pinned && (
              <div class="pinned" part="pinned" role="note">
                <span class="badge accent">{texts.pinned}</span> <bdi class="author">{state.pinned.user_name}</bdi> <span class="text">{state.pinned.message}</span>
              </div>
            )}
            <ChatList messages={state.chat} texts={texts} lang={lang} />
            {ownHeld.length > 0 && (
              <ul class="list held" aria-label={texts.heldNotice}>
                {ownHeld.map((held) => (
                  <li key={held.id} class="message" part="message">
                    <p class="text">{held.message}</p>
                    <span class="hint">{texts.heldNotice}</span>
                  </li>
                ))}
              </ul>
            )}
            {told && !readonly && <Notice>{told}</Notice>}
            {!readonly &&
              (blocked ? (
                <Notice tone="error">
                  {state.user?.chat_blocked_until ? texts.timeoutNotice(formatters(lang).time(state.user.chat_blocked_until), null) : errorText(ErrorCode.chatBlocked, lang)}
                </Notice>
              ) : (
                <>
                  {slowMode > 0 && <p class="hint">{texts.slowMode(slowMode)}</p>}
                  <ErrorLine message={send.error} />
                  <MessageComposer
                    id="palco-chat-input"
                    label={texts.chatLabel}
                    placeholder={texts.chatPlaceholder}
                    button={texts.send}
                    maxLength={Limits.chatMax}
                    rows={1}
                    texts={texts}
                    onSend={(text) => send.run(text)}
                  />
                </>
              ))}
          </>
        )}
      </SessionGate>
    </section>
  );
}

export const chatStyles = `
:host { height: var(--palco-chat-height, 480px); }
.messages { flex: 1; min-height: 0; overflow-y: auto; padding-right: 4px; overscroll-behavior: contain; }
.message { padding: 8px 10px; border-radius: var(--_radius-sm); background: var(--_surface); }
.empty { flex: 1; }
.pinned { padding: 8px 10px; border-radius: var(--_radius-sm); background: var(--_accent-surface); }
.held .message { border: 1px dashed var(--_warning); }
`;
