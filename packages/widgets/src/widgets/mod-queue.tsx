import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  Limits,
  ModerationAction,
  noUserFlags,
  type ChatMessage,
  type HeldChat,
  type Lang,
  type ModerateOptions,
  type ModerationFlag,
  type Question,
  type Restriction,
  type UserFlags,
} from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { formatters } from '../format.js';
import type { EventSession } from '../event-session.js';
import { AnswerLine, ErrorLine, SessionGate, TopicFilter, topicsOf, useAction, useSessionState } from '../shared.js';
import { useStickToBottom } from './chat.js';
import { modQueueTexts, type ModQueueTexts } from './mod-queue-texts.js';

export const ModQueueAttributes = { ...CommonAttributes } as const;

/** Where the moderator's choice to use single-key shortcuts is kept (WCAG 2.1.4: they can be turned off). */
const shortcutsKey = 'palco:mod-shortcuts';

/** The person a menu acts on, and the chat message it was opened from. */
interface Target {
  userId: number;
  name: string;
  messageId?: number;
}


function useModeration(session: EventSession, props: Pick<WidgetProps, 'lang' | 'emit'>) {
  const { lang, emit } = props;
  return {
    approve: useAction((id: number) => session.approve(id), lang, emit),
    approveAll: useAction((ids: number[]) => session.approveAll(ids), lang, emit),
    reject: useAction((id: number) => session.reject(id), lang, emit),
    beginEdit: useAction(async (id: number, held: (version: number) => void) => held(await session.beginEdit(id)), lang, emit),
    edit: useAction((id: number, text: string, version: number) => session.editQuestion(id, text, version), lang, emit),
    label: useAction((id: number, label: string | null) => session.label(id, label), lang, emit),
    answer: useAction((id: number, text: string) => session.answer(id, text), lang, emit),
    archive: useAction((id: number) => session.archive(id), lang, emit),
    restore: useAction((id: number) => session.restore(id), lang, emit),
    release: useAction((id: number) => session.releaseChat(id), lang, emit),
    rejectHeld: useAction((id: number) => session.rejectChat(id), lang, emit),
    pin: useAction((pin: { id?: number | null; text?: string }) => session.pinChat(pin), lang, emit),
    deleteChat: useAction((id: number, reason?: string) => session.deleteChat(id, reason), lang, emit),
    moderate: useAction(
      (userId: number, flag: ModerationFlag, value: boolean, options?: ModerateOptions) => session.moderate(userId, flag, value, options),
      lang,
      emit,
    ),
  };
}
type Moderation = ReturnType<typeof useModeration>;

const matches = (search: string, ...fields: Array<string | null>) =>
  search === '' || fields.some((field) => field?.toLocaleLowerCase().includes(search));

function readShortcutsChoice(): boolean {
  try {
    return globalThis.localStorage?.getItem(shortcutsKey) !== 'off';
  } catch {
    return true;
  }
}

function Time({ instant, lang }: { instant: string; lang: Lang }) {
  return <time dateTime={instant}>{formatters(lang).time(instant)}</time>;
}

type Open = (target: Target, opener: HTMLElement) => void;

/** A person's name that opens the one menu of actions on them. */
function PersonButton(props: { target: Target; texts: ModQueueTexts; open: Open }) {
  return (
    <button
      type="button"
      class="person"
      aria-haspopup="dialog"
      title={props.texts.personMenu(props.target.name)}
      onClick={(event) => props.open(props.target, event.currentTarget)}
    >
      <bdi class="author">{props.target.name}</bdi>
    </button>
  );
}

/** Timeouts, blocks and the ban of one person, each with the reason they will read; one menu, not buttons on every line. */
function PersonMenu(props: { target: Target; flags: UserFlags; texts: ModQueueTexts; actions: Moderation; close: () => void }) {
  const { target, flags, texts, actions, close } = props;
  const [reason, setReason] = useState('');
  const [removeMessages, setRemoveMessages] = useState(true);
  const [confirmingBan, setConfirmingBan] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const withReason = (options: ModerateOptions = {}): ModerateOptions => (reason.trim() ? { ...options, reason: reason.trim() } : options);
  const act = async (run: () => Promise<boolean>) => {
    if (await run()) close();
  };
  const timeouts = (flag: ModerationFlag, title: string, blocked: boolean) => (
    <fieldset class="choices">
      <legend>{title}</legend>
      {blocked ? (
        <button type="button" class="secondary small" onClick={() => act(() => actions.moderate.run(target.userId, flag, false))}>
          {flag === ModerationAction.blockChat ? texts.unblockChat : texts.unblockQuestions}
        </button>
      ) : (
        <>
          {Limits.timeoutChoicesMinutes.map((minutes) => (
            <button key={minutes} type="button" class="secondary small" onClick={() => act(() => actions.moderate.run(target.userId, flag, true, withReason({ duration_s: minutes * 60 })))}>
              {texts.minutes(minutes)}
            </button>
          ))}
          <button type="button" class="secondary small" onClick={() => act(() => actions.moderate.run(target.userId, flag, true, withReason()))}>
            {texts.untilLifted}
          </button>
        </>
      )}
    </fieldset>
  );
  return (
    <div
      class="menu"
      part="person-menu"
      role="dialog"
      aria-labelledby="palco-person-menu-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <h3 id="palco-person-menu-title">{texts.personMenu(target.name)}</h3>
      <label class="field">
        <span>{texts.reason}</span>
        <input ref={first} type="text" maxLength={Limits.reasonMax} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      </label>
      {target.messageId !== undefined && (
        <button type="button" class="danger small" onClick={() => act(() => actions.deleteChat.run(target.messageId!, reason.trim() || undefined))}>
          {texts.deleteThisMessage}
        </button>
      )}
      {timeouts(ModerationAction.blockChat, texts.timeoutChat, flags.chat_blocked)}
      {timeouts(ModerationAction.blockQuestions, texts.timeoutQuestions, flags.qa_blocked)}
      {!flags.banned && (
        <fieldset class="choices">
          <legend>{texts.ban}</legend>
          <label class="check">
            <input type="checkbox" checked={removeMessages} onChange={(event) => setRemoveMessages(event.currentTarget.checked)} />
            {texts.removeMessages}
          </label>
          <button
            type="button"
            class="danger small"
            aria-describedby={confirmingBan ? 'palco-ban-confirm' : undefined}
            onClick={() => {
              if (!confirmingBan) return setConfirmingBan(true);
              void act(() => actions.moderate.run(target.userId, ModerationAction.ban, true, withReason({ remove_messages: removeMessages })));
            }}
          >
            {texts.ban}
          </button>
          {confirmingBan && (
            <span id="palco-ban-confirm" class="hint" role="status">
              {texts.confirmBan(target.name)}
            </span>
          )}
        </fieldset>
      )}
      <button type="button" class="secondary small" onClick={close}>
        {texts.close}
      </button>
    </div>
  );
}

/** One pending question: approve, reject, edit (held for this moderator meanwhile), file under a topic, archive. */
function PendingItem(props: {
  question: Question;
  selected: boolean;
  texts: ModQueueTexts;
  lang: Lang;
  actions: Moderation;
  open: Open;
  select: () => void;
}) {
  const { question, selected, texts, lang, actions } = props;
  const [editing, setEditing] = useState<{ text: string; version: number } | null>(null);
  const [labelling, setLabelling] = useState<string | null>(null);
  const startEdit = () => actions.beginEdit.run(question.id, (version) => setEditing({ text: question.question, version }));
  return (
    <li class={selected ? 'question selected' : 'question'} part="question" aria-current={selected ? 'true' : undefined} onClick={props.select}>
      <div class="meta">
        {question.anonymous && <span class="badge">{texts.anonymous}</span>}{' '}
        <PersonButton target={{ userId: question.user_id, name: question.user_name }} texts={texts} open={props.open} /> <Time instant={question.created_at} lang={lang} />
        {question.label && <span class="badge accent">{question.label}</span>}
      </div>
      {question.anonymous && <p class="hint">{texts.askedBy(question.user_name)}</p>}
      {editing ? (
        <form
          class="inline-form"
          onSubmit={async (event) => {
            event.preventDefault();
            if (await actions.edit.run(question.id, editing.text.trim(), editing.version)) setEditing(null);
          }}
        >
          <label class="field">
            <span>{texts.editQuestion}</span>
            <textarea rows={3} maxLength={Limits.questionMax} value={editing.text} onInput={(event) => setEditing({ ...editing, text: event.currentTarget.value })} />
          </label>
          <div class="actions">
            <button type="submit" class="small">{texts.save}</button>
            <button type="button" class="secondary small" onClick={() => setEditing(null)}>{texts.cancel}</button>
          </div>
        </form>
      ) : (
        <p class="text">{question.question}</p>
      )}
      {labelling !== null && (
        <form
          class="inline-form row"
          onSubmit={async (event) => {
            event.preventDefault();
            if (await actions.label.run(question.id, labelling.trim() || null)) setLabelling(null);
          }}
        >
          <label class="field">
            <span>{texts.labelInput}</span>
            <input type="text" maxLength={Limits.labelMax} value={labelling} onInput={(event) => setLabelling(event.currentTarget.value)} />
          </label>
          <button type="submit" class="small">{texts.save}</button>
        </form>
      )}
      {!editing && (
        <div class="actions">
          <button type="button" class="small" disabled={actions.approve.pending} onClick={() => actions.approve.run(question.id)}>{texts.approve}</button>
          <button type="button" class="secondary small" disabled={actions.reject.pending} onClick={() => actions.reject.run(question.id)}>{texts.reject}</button>
          <button type="button" class="secondary small" onClick={startEdit}>{texts.edit}</button>
          <button type="button" class="secondary small" onClick={() => setLabelling(question.label ?? '')}>{texts.labelAction}</button>
          <button type="button" class="secondary small" onClick={() => actions.archive.run(question.id)}>{texts.archive}</button>
        </div>
      )}
    </li>
  );
}

/** An approved question: the typed answer everyone will read under it, and archiving. */
function ApprovedItem(props: { question: Question; texts: ModQueueTexts; lang: Lang; actions: Moderation; open: Open }) {
  const { question, texts, lang, actions } = props;
  const [answer, setAnswer] = useState('');
  const author = question.user_id === 0 ? texts.anonymous : question.user_name;
  return (
    <li class="question" part="question">
      <div class="meta">
        {question.user_id === 0 ? <span class="badge">{texts.anonymous}</span> : <PersonButton target={{ userId: question.user_id, name: author }} texts={texts} open={props.open} />}{' '}
        <Time instant={question.approved_at ?? question.created_at} lang={lang} />
        {question.label && <span class="badge accent">{question.label}</span>}
      </div>
      <p class="text">{question.question}</p>
      <AnswerLine question={question} texts={texts} />
      <form
        class="inline-form row"
        onSubmit={async (event) => {
          event.preventDefault();
          if (answer.trim() && (await actions.answer.run(question.id, answer.trim()))) setAnswer('');
        }}
      >
        <label class="field">
          <span>{texts.answerLabel}</span>
          <input type="text" maxLength={Limits.answerMax} placeholder={texts.answerPlaceholder} value={answer} onInput={(event) => setAnswer(event.currentTarget.value)} />
        </label>
        <button type="submit" class="small">{texts.answer}</button>
        <button type="button" class="secondary small" onClick={() => actions.archive.run(question.id)}>{texts.archive}</button>
      </form>
    </li>
  );
}

function HeldItem({ held, texts, lang, actions }: { held: HeldChat; texts: ModQueueTexts; lang: Lang; actions: Moderation }) {
  return (
    <li class="message held" part="held">
      <div class="meta">
        <bdi class="author">{held.user_name}</bdi> <Time instant={held.created_at} lang={lang} /> <span class="badge">{texts.heldWords(held.words.join(', '))}</span>
      </div>
      <p class="text">{held.message}</p>
      <div class="actions">
        <button type="button" class="small" onClick={() => actions.release.run(held.id)}>{texts.release}</button>
        <button type="button" class="secondary small" onClick={() => actions.rejectHeld.run(held.id)}>{texts.reject}</button>
      </div>
    </li>
  );
}

function RestrictedPanel({ restricted, texts, lang, actions }: { restricted: readonly Restriction[]; texts: ModQueueTexts; lang: Lang; actions: Moderation }) {
  const kindText = { chat_blocked: texts.kindChat, qa_blocked: texts.kindQuestions, banned: texts.kindBanned };
  const format = formatters(lang);
  return (
    <section class="restricted" part="restricted" aria-labelledby="palco-restricted-title">
      <h3 id="palco-restricted-title">
        {texts.restrictedTitle} <span class="badge">{restricted.length}</span>
      </h3>
      {restricted.length === 0 ? (
        <p class="hint">{texts.noRestricted}</p>
      ) : (
        <ul class="list">
          {restricted.map((restriction) => (
            <li key={`${restriction.user_id}-${restriction.kind}`} class="restriction">
              <div>
                <bdi class="author">{restriction.name}</bdi> <span class="badge">{kindText[restriction.kind]}</span>
                <div class="meta">
                  {restriction.set_by_name && restriction.set_at && texts.setBy(restriction.set_by_name, format.dateTime(restriction.set_at))} ·{' '}
                  {restriction.until ? texts.until(format.time(restriction.until)) : texts.untilLiftedShort}
                  {restriction.reason && ` · ${restriction.reason}`}
                </div>
              </div>
              <button
                type="button"
                class="secondary small"
                aria-label={texts.liftOf(kindText[restriction.kind], restriction.name)}
                onClick={() => actions.moderate.run(restriction.user_id, restriction.kind, false)}
              >
                {texts.lift}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ShortcutsHelp(props: { texts: ModQueueTexts; enabled: boolean; setEnabled: (on: boolean) => void; close: () => void }) {
  const { texts } = props;
  return (
    <div class="menu shortcuts" role="dialog" aria-labelledby="palco-shortcuts-title" onKeyDown={(event) => event.key === 'Escape' && props.close()}>
      <h3 id="palco-shortcuts-title">{texts.shortcuts}</h3>
      <label class="check">
        <input type="checkbox" checked={props.enabled} onChange={(event) => props.setEnabled(event.currentTarget.checked)} />
        {texts.shortcutsOn}
      </label>
      <dl>
        {texts.shortcutsHelp.map(([keys, what]) => (
          <div key={keys} class="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">{texts.shortcutsHint}</p>
      <button type="button" class="secondary small" onClick={props.close}>
        {texts.close}
      </button>
    </div>
  );
}

function ChatColumn(props: { state: ReturnType<typeof useSessionState>; shown: readonly ChatMessage[]; texts: ModQueueTexts; lang: Lang; actions: Moderation; open: Open }) {
  const { state, shown, texts, lang, actions } = props;
  const [announcement, setAnnouncement] = useState('');
  const list = useStickToBottom(shown);
  return (
    <div class="column chat">
      <h3>{texts.chatTitle}</h3>
      {state.pinned && (
        <div class="pinned" part="pinned">
          <span class="badge accent">{texts.pinned}</span> <bdi class="author">{state.pinned.user_name}</bdi> <span class="text">{state.pinned.message}</span>{' '}
          <button type="button" class="secondary small" onClick={() => actions.pin.run({ id: null })}>{texts.unpin}</button>
        </div>
      )}
      <form
        class="inline-form row"
        onSubmit={async (event) => {
          event.preventDefault();
          if (announcement.trim() && (await actions.pin.run({ text: announcement.trim() }))) setAnnouncement('');
        }}
      >
        <label class="field">
          <span>{texts.announce}</span>
          <input type="text" maxLength={Limits.chatMax} value={announcement} onInput={(event) => setAnnouncement(event.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary small">{texts.announceButton}</button>
      </form>
      {state.held.length > 0 && (
        <section aria-labelledby="palco-held-title">
          <h4 id="palco-held-title">
            {texts.heldTitle} <span class="badge accent">{state.held.length}</span>
          </h4>
          <ul class="list">
            {state.held.map((held) => <HeldItem key={held.id} held={held} texts={texts} lang={lang} actions={actions} />)}
          </ul>
        </section>
      )}
      {shown.length === 0 ? (
        <p class="empty hint">{texts.chatEmpty}</p>
      ) : (
        <div ref={list} class="messages" role="log" aria-live="polite" aria-label={texts.chatMessages} tabIndex={0}>
          <ol class="list" part="list">
            {shown.map((message) => (
              <li key={message.id} class="message" part="message">
                <div class="meta">
                  {message.user_id === state.user?.id ? (
                    <bdi class="author">{message.user_name}</bdi>
                  ) : (
                    <PersonButton target={{ userId: message.user_id, name: message.user_name, messageId: message.id }} texts={texts} open={props.open} />
                  )}{' '}
                  <Time instant={message.created_at} lang={lang} />
                </div>
                <p class="text">{message.message}</p>
                <div class="actions">
                  <button type="button" class="secondary small" onClick={() => actions.pin.run({ id: message.id })}>{texts.pin}</button>
                  <button
                    type="button"
                    class="danger small"
                    aria-label={texts.deleteMessageOf(message.user_name)}
                    disabled={actions.deleteChat.pending}
                    onClick={() => actions.deleteChat.run(message.id)}
                  >
                    {texts.deleteMessage}
                  </button>
                </div>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

/**
 * For moderators: the queue of pending questions (search, topics, approve all shown,
 * keyboard shortcuts), approved ones to answer or archive, archived and rejected ones to
 * restore, held chat messages, the chat with pins and deletions, the restricted people, and
 * one menu of actions on a person, opened from their name.
 */
export function PalcoModQueue({ session, lang, texts: shared, emit }: WidgetProps<typeof ModQueueAttributes>) {
  const texts = useMemo(() => modQueueTexts(shared, lang), [shared, lang]);
  const state = useSessionState(session);
  const actions = useModeration(session, { lang, emit });
  const [search, setSearch] = useState('');
  const [label, setLabel] = useState('');
  const [selected, setSelected] = useState(0);
  const [target, setTarget] = useState<Target | null>(null);
  /** The name the menu was opened from: the focus goes back there when it closes. */
  const opener = useRef<HTMLElement | null>(null);
  const openMenu: Open = (chosen, from) => {
    opener.current = from;
    setTarget(chosen);
  };
  const closeMenu = () => {
    setTarget(null);
    if (opener.current?.isConnected) opener.current.focus();
  };
  const [helpOpen, setHelpOpen] = useState(false);
  const [shortcutsOn, setShortcutsOn] = useState(readShortcutsChoice);
  const [approvedNow, setApprovedNow] = useState<number | null>(null);
  const failure = Object.values(actions).map((action) => action.error).find(Boolean);
  const flagsOf = (userId: number): UserFlags => state.userFlags[userId] ?? noUserFlags;
  const setShortcuts = (on: boolean) => {
    setShortcutsOn(on);
    try {
      globalThis.localStorage?.setItem(shortcutsKey, on ? 'on' : 'off');
    } catch {
      // Storage may be off (private windows): the choice then lasts for this page.
    }
  };

  return (
    <section class="panel" part="panel" aria-labelledby="palco-mod-title">
      <div class="panel-header">
        <h2 id="palco-mod-title">{texts.modTitle}</h2>
      </div>
      <SessionGate state={state} texts={texts} lang={lang} visibleTo="moderator">
        {() => {
          const needle = search.trim().toLocaleLowerCase();
          const shownQuestion = (question: Question) =>
            !question.archived_at && matches(needle, question.question, question.user_name) && (label === '' || question.label === label);
          const pending = state.questions.filter((question) => question.status === 'pending' && shownQuestion(question));
          const approved = state.questions.filter((question) => (question.status === 'approved' || question.status === 'read') && shownQuestion(question));
          const archived = state.questions.filter(
            (question) => (question.archived_at || question.status === 'rejected') && matches(needle, question.question, question.user_name),
          );
          const chat = state.chat.filter((message) => matches(needle, message.message, message.user_name));
          const current = Math.min(selected, Math.max(pending.length - 1, 0));
          const onQueueKey = (event: KeyboardEvent) => {
            const field = (event.target as HTMLElement).closest('input, textarea, select');
            if (!shortcutsOn || field || event.ctrlKey || event.metaKey || event.altKey) return;
            const question = pending[current];
            const handled: Record<string, () => void> = {
              a: () => question && void actions.approve.run(question.id),
              r: () => question && void actions.reject.run(question.id),
              j: () => setSelected(Math.min(current + 1, pending.length - 1)),
              ArrowDown: () => setSelected(Math.min(current + 1, pending.length - 1)),
              k: () => setSelected(Math.max(current - 1, 0)),
              ArrowUp: () => setSelected(Math.max(current - 1, 0)),
              '?': () => setHelpOpen(!helpOpen),
            };
            const run = handled[event.key];
            if (!run) return;
            event.preventDefault();
            run();
          };
          return (
            <>
              <div class="tools">
                <label class="field search">
                  <span>{texts.search}</span>
                  <input type="search" placeholder={texts.searchPlaceholder} value={search} onInput={(event) => setSearch(event.currentTarget.value)} />
                </label>
                <button type="button" class="secondary small" aria-expanded={helpOpen} onClick={() => setHelpOpen(!helpOpen)}>
                  {texts.shortcuts}
                </button>
              </div>
              {helpOpen && <ShortcutsHelp texts={texts} enabled={shortcutsOn} setEnabled={setShortcuts} close={() => setHelpOpen(false)} />}
              <div class="audience" part="audience" aria-label={texts.audience} role="group">
                <div class="stat">
                  <span class="number" aria-live="polite">
                    {state.viewers}
                  </span>
                  <span class="meta">{texts.viewersNow}</span>
                </div>
                {state.activeSessions.length > 0 && (
                  <details class="sessions">
                    <summary>
                      {texts.activeSessions} ({state.activeSessions.length})
                    </summary>
                    <ul class="list">
                      {state.activeSessions.map((active) => (
                        <li key={active.user_id}>
                          <bdi class="author">{active.name}</bdi> <span class="meta">{texts.minutesWatched(active.minutes_watched)}</span>
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </div>
              <ErrorLine message={failure} />
              {approvedNow !== null && (
                <p class="hint" role="status">
                  {texts.approvedCount(approvedNow)}
                </p>
              )}
              {target && (
                <PersonMenu key={`${target.userId}-${target.messageId}`} target={target} flags={flagsOf(target.userId)} texts={texts} actions={actions} close={closeMenu} />
              )}
              <div class="columns">
                <div class="column">
                  <div class="queue-header">
                    <h3>
                      {texts.pendingQuestions} <span class="badge accent">{pending.length}</span>
                    </h3>
                    <TopicFilter topics={topicsOf(state.questions)} value={label} onChange={setLabel} texts={texts} />
                    {pending.length > 1 && (
                      <button
                        type="button"
                        class="small"
                        disabled={actions.approveAll.pending}
                        onClick={async () => {
                          const ids = pending.map((question) => question.id);
                          setApprovedNow(null);
                          if (await actions.approveAll.run(ids)) setApprovedNow(ids.length);
                        }}
                      >
                        {texts.approveAllShown(pending.length)}
                      </button>
                    )}
                  </div>
                  {pending.length === 0 ? (
                    <p class="hint">{texts.noPending}</p>
                  ) : (
                    <ul class="list pending" part="list" aria-live="polite" aria-label={texts.pendingQuestions} tabIndex={0} onKeyDown={onQueueKey}>
                      {pending.map((question, index) => (
                        <PendingItem
                          key={question.id}
                          question={question}
                          selected={index === current}
                          texts={texts}
                          lang={lang}
                          actions={actions}
                          open={openMenu}
                          select={() => setSelected(index)}
                        />
                      ))}
                    </ul>
                  )}
                  {approved.length > 0 && (
                    <details class="approved" open>
                      <summary>
                        {texts.approvedList} ({approved.length})
                      </summary>
                      <ul class="list">
                        {approved.map((question) => (
                          <ApprovedItem key={question.id} question={question} texts={texts} lang={lang} actions={actions} open={openMenu} />
                        ))}
                      </ul>
                    </details>
                  )}
                  {archived.length > 0 && (
                    <details class="archived">
                      <summary>
                        {texts.archivedList} ({archived.length})
                      </summary>
                      <ul class="list">
                        {archived.map((question) => (
                          <li key={question.id} class="question">
                            <div class="meta">
                              <bdi class="author">{question.user_name || texts.anonymous}</bdi> <Time instant={question.created_at} lang={lang} />
                            </div>
                            <p class="text">{question.question}</p>
                            <div class="actions">
                              <button type="button" class="secondary small" onClick={() => actions.restore.run(question.id)}>
                                {texts.restore}
                              </button>
                            </div>
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </div>
                <ChatColumn state={state} shown={chat} texts={texts} lang={lang} actions={actions} open={openMenu} />
              </div>
              <RestrictedPanel restricted={state.restricted} texts={texts} lang={lang} actions={actions} />
            </>
          );
        }}
      </SessionGate>
    </section>
  );
}

export const modQueueStyles = `
.tools { display: flex; gap: var(--_space-2); align-items: flex-end; flex-wrap: wrap; }
.search input { min-width: 14em; }
.audience { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; padding: 10px 14px; background: var(--_surface); border-radius: calc(var(--_radius) * .75); }
.stat { display: flex; align-items: baseline; gap: 8px; }
.number { font-size: 2em; font-weight: 800; color: var(--_accent); font-variant-numeric: tabular-nums; }
.sessions summary, .approved summary, .archived summary { cursor: pointer; font-weight: 600; font-size: var(--_text-sm); }
h4 { margin: 0 0 6px; font-size: var(--_text-sm); font-weight: 700; }
.sessions .list { margin-top: 6px; max-height: 200px; overflow-y: auto; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); gap: 16px; min-height: 0; flex: 1; }
.column { display: flex; flex-direction: column; gap: 8px; min-height: 0; }
.queue-header { display: flex; gap: var(--_space-2); align-items: flex-end; flex-wrap: wrap; justify-content: space-between; }
.column.chat .messages { max-height: var(--palco-mod-chat-height, 520px); overflow-y: auto; }
.pending { max-height: var(--palco-mod-queue-height, 560px); overflow-y: auto; }
.pending:focus-visible, .messages:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.question, .message { padding: 10px 12px; border-radius: var(--_radius-sm); background: var(--_surface); display: flex; flex-direction: column; gap: 6px; }
.question.selected { box-shadow: inset 3px 0 0 var(--_accent); }
.held { border: 1px dashed var(--_warning); }
.pinned { padding: 8px 10px; border-radius: var(--_radius-sm); background: var(--_accent-surface); display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.person { background: none; border: none; padding: 0; min-height: 0; color: var(--_fg); text-decoration: underline dotted; cursor: pointer; font: inherit; }
.person:hover, .person:focus-visible { color: var(--_accent); }
.inline-form { display: flex; flex-direction: column; gap: 6px; }
.inline-form.row { flex-direction: row; align-items: flex-end; flex-wrap: wrap; }
.field { display: flex; flex-direction: column; gap: 2px; font-size: var(--_text-sm); }
.menu {
  position: fixed; z-index: 10; right: 16px; bottom: 16px; width: min(420px, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow-y: auto;
  display: flex; flex-direction: column; gap: 8px; padding: 14px 16px; border-radius: var(--_radius); background: var(--_bg); border: 2px solid var(--_accent);
}
.menu > button { align-self: flex-start; }
.menu h3 { margin: 0; }
.choices { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; border: none; padding: 0; margin: 0; }
.choices legend { font-weight: 600; font-size: var(--_text-sm); margin-bottom: 4px; }
.check { display: flex; gap: 6px; align-items: center; font-size: var(--_text-sm); }
.check input { width: auto; }
select { font: inherit; color: var(--_fg); background: var(--_input-bg); padding: .45em .6em; border: 1px solid var(--_input-border); border-radius: var(--_radius-sm); }
.restricted { display: flex; flex-direction: column; gap: 8px; }
.restriction { display: flex; justify-content: space-between; gap: 8px; align-items: center; padding: 8px 10px; border-radius: var(--_radius-sm); background: var(--_surface); }
.shortcuts dl { margin: 0; display: grid; gap: 4px; }
.shortcut { display: flex; gap: 10px; }
.shortcut dd { margin: 0; }
kbd { font-family: inherit; font-weight: 700; padding: 0 6px; border: 1px solid var(--_input-border); border-radius: 4px; }
`;
