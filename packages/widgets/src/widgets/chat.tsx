import { Component, type ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorCode, Limits, errorText, type ChatMessage, type Lang, type Page } from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { formatters } from '../format.js';
import { ParticipationNotice, participation, participationStyles } from './participation.js';
import { Announcer, ErrorLine, MessageComposer, Notice, SessionGate, useAction, useNewsAnnouncement, useSessionState } from '../shared.js';
import { describeFailure, type WidgetTexts } from '../texts.js';

export const ChatAttributes = {
  ...CommonAttributes,
  /** Shows the conversation without the box to write in. */
  readonly: 'readonly',
} as const;

/**
 * Keeps a scrolled list pinned to its newest item, unless the reader scrolled up to read;
 * `onPinned` hears each change between the two. `pinnable` says whether the bottom of the list
 * is the newest item (false while a reader pages through history with newer pages still to load).
 */
export function useStickToBottom(dependency: unknown, onPinned?: (pinned: boolean) => void, pinnable?: () => boolean) {
  const list = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const onPinnedRef = useRef(onPinned);
  onPinnedRef.current = onPinned;
  const pinnableRef = useRef(pinnable);
  pinnableRef.current = pinnable;
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const onScroll = () => {
      const now = element.scrollHeight - element.scrollTop - element.clientHeight < 40 && (pinnableRef.current?.() ?? true);
      if (now === pinned.current) return;
      pinned.current = now;
      onPinnedRef.current?.(now);
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    // Shown again (a tab panel the page hid while messages came) or made shorter, the list
    // moves no scroll event: a reader at the newest line would find older ones at the bottom.
    const resized = typeof ResizeObserver === 'function' ? new ResizeObserver(() => {
      if (pinned.current) element.scrollTop = element.scrollHeight;
    }) : null;
    resized?.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resized?.disconnect();
    };
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

/**
 * The held messages minus those deleted since (in `current`'s range and gone from it); `held`
 * itself when none went, so a list that holds still is not rendered again for each new message.
 */
function stillShown(held: readonly ChatMessage[], current: readonly ChatMessage[]): readonly ChatMessage[] {
  const oldestCurrent = current[0]?.id ?? Number.POSITIVE_INFINITY;
  const ids = new Set(current.map((message) => message.id));
  const kept = held.filter((message) => message.id < oldestCurrent || ids.has(message.id));
  return kept.length === held.length ? held : kept;
}

/** Enough of a message or question to know what it is about, when read out. */
export const announcedTextMax = 140;

/** Messages asked for at once when a reader pages through the history. */
export const chatPageSize = 50;
/**
 * The most messages the list holds while a reader pages through the history: past it, the end
 * away from the reader goes (and comes back a page at a time if they scroll that way).
 */
export const chatShownMax = 400;
/** How near an end of the list (px) a reader must scroll for the next page to load. */
const pageEdgePx = 200;

/** A page of chat history, oldest first (EventSession.chatHistory). */
export type ChatPageLoader = (options: { before?: number; after?: number; limit: number }) => Promise<Page<ChatMessage>>;

/** What a reader scrolled up sees: frozen while they read, grown a page at a time. */
interface ReadingView {
  /** Oldest first. */
  items: readonly ChatMessage[];
  /** The server has nothing older than items[0]. */
  atStart: boolean;
  /** Newer messages were dropped from the bottom to keep the list bounded. */
  newerDropped: boolean;
  /** The newest message when the reader scrolled up: those after it are the new ones. */
  seen: number;
}

export function ChatLine(props: { message: ChatMessage; lang: Lang; children?: ComponentChildren }) {
  const { message } = props;
  return (
    <li class="message" part="message" data-id={message.id}>
      <div class="meta">
        <bdi class="author">{message.user_name}</bdi> <time dateTime={message.created_at}>{formatters(props.lang).time(message.created_at)}</time>
      </div>
      <p class="text">{message.message}</p>
      {props.children}
    </li>
  );
}

interface ChatLinesProps {
  shown: readonly ChatMessage[];
  lang: Lang;
  renderActions?: ((message: ChatMessage) => ComponentChildren) | undefined;
}

/**
 * The lines of the list, rendered again only when the messages shown change: while a reader
 * holds still, each new message below re-renders the list (the count on its button) but not
 * its 300–400 lines. A component that declines to update, not memoized VNodes: Preact clones a
 * VNode it has rendered before, and the memoized originals kept every page of lines the reader
 * had scrolled past alive, detached (about 4 500 DOM nodes after 13 pages).
 */
class ChatLines extends Component<ChatLinesProps> {
  override shouldComponentUpdate(next: ChatLinesProps) {
    return next.shown !== this.props.shown || next.lang !== this.props.lang || next.renderActions !== this.props.renderActions;
  }

  override render() {
    const { shown, lang, renderActions } = this.props;
    return shown.map((message) => (
      <ChatLine key={message.id} message={message} lang={lang}>
        {renderActions?.(message)}
      </ChatLine>
    ));
  }
}

export function ChatList(props: {
  messages: readonly ChatMessage[];
  texts: WidgetTexts;
  lang: Lang;
  renderActions?: (message: ChatMessage) => ComponentChildren;
  /** Pages through older history when the reader reaches the top; without it, the list ends at what the session keeps. */
  loadPage?: ChatPageLoader;
  /** The reader's user id: their own messages are not announced back to them. */
  ownId?: number | null;
}) {
  // While the reader is scrolled up, the list holds still: the messages they read stay (the
  // session keeps only the latest 300, which a busy chat replaces in seconds) and new ones
  // wait behind a button. Deleted ones still go, unless already past the kept 300.
  const [view, setViewState] = useState<ReadingView | null>(null);
  // The scroll handlers run between renders: they read the view from here.
  const viewRef = useRef(view);
  const setView = (next: ReadingView | null) => {
    viewRef.current = next;
    setViewState(next);
  };
  const [loading, setLoading] = useState(false);
  const loadingRef = useRef(false);
  const [failure, setFailure] = useState<string | null>(null);
  // A message that stays through the next change, and where it stood: the scroll follows it.
  const anchor = useRef<{ id: number; top: number } | null>(null);
  const latest = useRef(props.messages);
  latest.current = props.messages;
  const shown = view ? stillShown(view.items, props.messages) : props.messages;
  const { list, toBottom } = useStickToBottom(
    shown,
    (pinned) =>
      setView(pinned ? null : { items: latest.current, atStart: viewRef.current?.atStart ?? false, newerDropped: false, seen: latest.current.at(-1)?.id ?? 0 }),
    () => !viewRef.current?.newerDropped,
  );
  // Counted from what the reader had seen, not from the bottom of the view: paging back drops
  // the newest lines from the bottom, and they are not new to the reader.
  const newestRead = view ? Math.max(view.seen, view.items.at(-1)?.id ?? 0) : 0;
  const waiting = view ? props.messages.filter((message) => message.id > newestRead).length : 0;
  // Others' messages only: a screen reader reading the sender's own line back is noise.
  const ownId = props.ownId ?? null;
  const others = useMemo(() => (ownId === null ? props.messages : props.messages.filter((message) => message.user_id !== ownId)), [props.messages, ownId]);
  const news = useNewsAnnouncement(others, (fresh) => {
    const latest = fresh.at(-1)!;
    return props.texts.chatNews(fresh.length, latest.user_name, latest.message.slice(0, announcedTextMax));
  });

  const lineOf = (id: number) => list.current?.querySelector<HTMLElement>(`[data-id="${id}"]`) ?? null;

  // Messages deleted while the reader holds still leave the list: the first line they see that
  // stays is the anchor, so the lines deleted above it do not pull it up the screen.
  const shownBefore = useRef(shown);
  if (view && shown !== shownBefore.current && !anchor.current && list.current) {
    const staying = new Set(shown.map((message) => message.id));
    const top = list.current.scrollTop;
    const line = [...list.current.querySelectorAll<HTMLElement>('li[data-id]')].find(
      (item) => item.offsetTop + item.offsetHeight > top && staying.has(Number(item.dataset.id)),
    );
    if (line) anchor.current = { id: Number(line.dataset.id), top: line.offsetTop };
  }
  shownBefore.current = shown;

  /** Loads the page above (`older`) or below the reader's view, keeping the message at that edge where it is. */
  const loadPage = async (older: boolean) => {
    const start = viewRef.current;
    const edge = older ? start?.items[0] : start?.items.at(-1);
    if (!props.loadPage || !start || !edge || loadingRef.current) return;
    if (older ? start.atStart : !start.newerDropped) return;
    loadingRef.current = true;
    setLoading(true);
    setFailure(null);
    try {
      const page = await props.loadPage(older ? { before: edge.id, limit: chatPageSize } : { after: edge.id, limit: chatPageSize });
      const current = viewRef.current;
      // Back at the bottom meanwhile (and maybe scrolled up again, to a view that starts anew
      // from the live list): the page joins no line of what is shown now and is not needed.
      if (current !== start) return;
      anchor.current = { id: edge.id, top: lineOf(edge.id)?.offsetTop ?? 0 };
      if (older) {
        const items = [...page.items.filter((message) => message.id < edge.id), ...current.items];
        const dropped = items.length > chatShownMax;
        setView({ items: items.slice(0, chatShownMax), atStart: !page.has_more, newerDropped: current.newerDropped || dropped, seen: current.seen });
      } else {
        const items = [...current.items, ...page.items.filter((message) => message.id > edge.id)];
        const dropped = items.length > chatShownMax;
        setView({ items: items.slice(-chatShownMax), atStart: current.atStart && !dropped, newerDropped: page.has_more, seen: current.seen });
      }
    } catch (error) {
      setFailure(describeFailure(error, props.lang));
    } finally {
      loadingRef.current = false;
      setLoading(false);
    }
  };

  useEffect(() => {
    const element = list.current;
    if (!element || !props.loadPage) return;
    const onScroll = () => {
      if (element.scrollTop < pageEdgePx) void loadPage(true);
      else if (element.scrollHeight - element.scrollTop - element.clientHeight < pageEdgePx) void loadPage(false);
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, [list.current, props.loadPage]);

  useLayoutEffect(() => {
    const element = list.current;
    const kept = anchor.current;
    anchor.current = null;
    const line = kept && lineOf(kept.id);
    if (element && kept && line) element.scrollTop += line.offsetTop - kept.top;
    // The deleted ones leave the view too, so each new message does not render its lines again.
    if (view && shown !== view.items) setView({ ...view, items: shown });
  }, [shown]);

  const historyLine = failure ?? (loading ? props.texts.chatLoadingOlder : view?.atStart ? props.texts.chatStart : '');
  return (
    <>
      {shown.length === 0 ? (
        <p class="empty hint">{props.texts.chatEmpty}</p>
      ) : (
        // A log is polite by default, which makes a busy chat read out every line: here it is
        // silent, and the announcer below sums up what arrived, at most every 10 s.
        <div ref={list} class="messages" role="log" aria-live="off" aria-label={props.texts.chatMessages} tabIndex={0}>
          {/* Always there and of one height, so its text changing never moves the messages. */}
          {props.loadPage && (
            <p class={failure ? 'history-line error' : 'history-line hint'} role="status">
              {historyLine}
            </p>
          )}
          <ol class="list" part="list" aria-busy={loading ? 'true' : undefined}>
            <ChatLines shown={shown} lang={props.lang} renderActions={props.renderActions} />
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
  const loadChatPage = useCallback<ChatPageLoader>((options) => session.chatHistory(options), [session]);
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
            <ChatList messages={state.chat} texts={texts} lang={lang} loadPage={loadChatPage} ownId={state.user?.id} />
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
                    offline={state.reconnecting}
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
/*
 * The height is the wrapper's own too: a page's rule on the element (\`* { all: unset }\`,
 * \`palco-chat { display: inline }\`) beats :host, and an inline host has no height, so the list
 * would grow with every message instead of scrolling, and older pages would never load.
 */
.root { height: var(--palco-chat-height, 480px); }
.messages { flex: 1; min-height: 0; overflow-y: auto; padding-right: 4px; overscroll-behavior: contain; position: relative; overflow-anchor: none; }
.history-line { min-height: 1.5em; margin: 0 0 4px; text-align: center; font-size: 0.85em; }
.new-messages { align-self: center; }
.message { padding: 8px 10px; border-radius: var(--_radius-sm); background: var(--_surface); }
.empty { flex: 1; }
.pinned { padding: 8px 10px; border-radius: var(--_radius-sm); background: var(--_accent-surface); }
.held .message { border: 1px dashed var(--_warning); }
/*
 * The writer's own lines kept apart (held, waiting for the connection, not sent) share the fixed
 * height with the conversation: they scroll once it is short, so the conversation keeps its newest
 * lines in view and the box stays inside the chat however many lines wait.
 */
.messages { min-height: 5em; }
.held, .composed { flex: 0 1 auto; min-height: 3em; overflow-y: auto; overscroll-behavior: contain; }
`;
