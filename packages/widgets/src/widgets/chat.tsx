import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ErrorCode, Limits, errorText, type ChatMessage, type Lang } from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { formatters } from '../format.js';
import { ParticipationNotice, participation, participationStyles } from './participation.js';
import { Announcer, ErrorLine, MessageComposer, Notice, SessionGate, useAction, useNewsAnnouncement, useSessionState } from '../shared.js';
import type { WidgetTexts } from '../texts.js';

export const ChatAttributes = {
  ...CommonAttributes,
  /** Shows the conversation without the box to write in. */
  readonly: 'readonly',
} as const;

/**
 * Keeps a scrolled list pinned to its newest item, unless the reader scrolled up to read;
 * `onPinned` hears each change between the two.
 */
export function useStickToBottom(dependency: unknown, onPinned?: (pinned: boolean) => void) {
  const list = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const onPinnedRef = useRef(onPinned);
  onPinnedRef.current = onPinned;
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const onScroll = () => {
      const now = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
      if (now === pinned.current) return;
      pinned.current = now;
      onPinnedRef.current?.(now);
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, [list.current]);
  useLayoutEffect(() => {
    const element = list.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [dependency]);
  const toBottom = () => {
    pinned.current = true;
    onPinnedRef.current?.(true);
  };
  return { list, toBottom };
}

/** The held messages minus those deleted since (in `current`'s range and gone from it). */
function stillShown(held: readonly ChatMessage[], current: readonly ChatMessage[]): readonly ChatMessage[] {
  const oldestCurrent = current[0]?.id ?? Number.POSITIVE_INFINITY;
  const ids = new Set(current.map((message) => message.id));
  return held.filter((message) => message.id < oldestCurrent || ids.has(message.id));
}

/** Enough of a message or question to know what it is about, when read out. */
export const announcedTextMax = 140;

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
  // While the reader is scrolled up, the list holds still: the messages they read stay (the
  // session keeps only the latest 300, which a busy chat replaces in seconds) and new ones
  // wait behind a button. Deleted ones still go, unless already past the kept 300.
  const [held, setHeld] = useState<readonly ChatMessage[] | null>(null);
  const latest = useRef(props.messages);
  latest.current = props.messages;
  const shown = held ? stillShown(held, props.messages) : props.messages;
  const { list, toBottom } = useStickToBottom(shown, (pinned) => setHeld(pinned ? null : latest.current));
  const waiting = held ? props.messages.filter((message) => message.id > (held.at(-1)?.id ?? 0)).length : 0;
  const news = useNewsAnnouncement(props.messages, (fresh) => {
    const latest = fresh.at(-1)!;
    return props.texts.chatNews(fresh.length, latest.user_name, latest.message.slice(0, announcedTextMax));
  });
  return (
    <>
      {shown.length === 0 ? (
        <p class="empty hint">{props.texts.chatEmpty}</p>
      ) : (
        // A log is polite by default, which makes a busy chat read out every line: here it is
        // silent, and the announcer below sums up what arrived, at most every 10 s.
        <div ref={list} class="messages" role="log" aria-live="off" aria-label={props.texts.chatMessages} tabIndex={0}>
          <ol class="list" part="list">
            {shown.map((message) => (
              <ChatLine key={message.id} message={message} lang={props.lang}>
                {props.renderActions?.(message)}
              </ChatLine>
            ))}
          </ol>
        </div>
      )}
      {waiting > 0 && (
        <button type="button" class="secondary small new-messages" part="button" onClick={toBottom}>
          {props.texts.newMessagesBelow(waiting)}
        </button>
      )}
      <Announcer text={news} />
    </>
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
export function PalcoChat({ session, lang, texts, attributes, emit, host }: WidgetProps<typeof ChatAttributes>) {
  const state = useSessionState(session);
  const send = useAction((text: string) => session.chat(text), lang, emit);
  const readonly = attributes.readonly !== null;
  const mayWrite = participation(state) === 'open';
  const slowMode = state.event?.slow_mode_seconds ?? 0;
  const blocked = useBlockHolds(Boolean(state.user?.chat_blocked), state.user?.chat_blocked_until);
  const ownHeld = state.held.filter((held) => held.user_id === state.user?.id);
  const told = noticeText(state, texts, lang);
  return (
    <section class="panel" part="panel" aria-labelledby="palco-chat-title">
      <div class="panel-header">
        <h2 id="palco-chat-title">{texts.chatTitle}</h2>
      </div>
      <SessionGate state={state} texts={texts} lang={lang} visibleTo="member" brief={!session.speaksFor(host)}>
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
            {!readonly && <ParticipationNotice session={session} state={state} lang={lang} />}
            {told && !readonly && <Notice>{told}</Notice>}
            {!readonly &&
              mayWrite &&
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
${participationStyles}
:host { height: var(--palco-chat-height, 480px); }
.messages { flex: 1; min-height: 0; overflow-y: auto; padding-right: 4px; overscroll-behavior: contain; }
.new-messages { align-self: center; }
.message { padding: 8px 10px; border-radius: var(--_radius-sm); background: var(--_surface); }
.empty { flex: 1; }
.pinned { padding: 8px 10px; border-radius: var(--_radius-sm); background: var(--_accent-surface); }
.held .message { border: 1px dashed var(--_warning); }
`;
