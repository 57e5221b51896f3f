import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
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

/** The event's live chat; `readonly` hides the box to write in. */
export function PalcoChat({ session, lang, texts, attributes, emit }: WidgetProps<typeof ChatAttributes>) {
  const state = useSessionState(session);
  const send = useAction((text: string) => session.chat(text), lang, emit);
  const readonly = attributes.readonly !== null;
  const slowMode = state.event?.slow_mode_seconds ?? 0;
  return (
    <section class="panel" part="panel" aria-labelledby="palco-chat-title">
      <div class="panel-header">
        <h2 id="palco-chat-title">{texts.chatTitle}</h2>
      </div>
      <SessionGate state={state} texts={texts} lang={lang} visibleTo="member">
        {() => (
          <>
            <ChatList messages={state.chat} texts={texts} lang={lang} />
            {!readonly &&
              (state.user?.chat_blocked ? (
                <Notice tone="error">{errorText(ErrorCode.chatBlocked, lang)}</Notice>
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
`;
