import { useState } from 'preact/hooks';
import { ModerationAction, noUserFlags, type ModerationFlag, type UserFlags } from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { formatters } from '../format.js';
import type { EventSession } from '../event-session.js';
import { ErrorLine, SessionGate, useAction, useSessionState, type Action } from '../shared.js';
import type { WidgetTexts } from '../texts.js';
import { ChatList } from './chat.js';

export const ModQueueAttributes = { ...CommonAttributes } as const;

/** Block chat, block questions (both reversible) and ban (asks for a second press) for one person. */
function UserActions(props: {
  userId: number;
  name: string;
  flags: UserFlags;
  texts: WidgetTexts;
  moderate: Action<[number, ModerationFlag, boolean]>;
}) {
  const { userId, name, flags, texts, moderate } = props;
  const [confirmingBan, setConfirmingBan] = useState(false);
  if (flags.banned) return <span class="badge">{texts.banned}</span>;
  return (
    <div class="actions" role="group" aria-label={texts.userActions(name)}>
      <button
        type="button"
        class="secondary small"
        aria-pressed={flags.chat_blocked}
        disabled={moderate.pending}
        onClick={() => moderate.run(userId, ModerationAction.blockChat, !flags.chat_blocked)}
      >
        {flags.chat_blocked ? texts.unblockChat : texts.blockChat}
      </button>
      <button
        type="button"
        class="secondary small"
        aria-pressed={flags.qa_blocked}
        disabled={moderate.pending}
        onClick={() => moderate.run(userId, ModerationAction.blockQuestions, !flags.qa_blocked)}
      >
        {flags.qa_blocked ? texts.unblockQuestions : texts.blockQuestions}
      </button>
      <button
        type="button"
        class="danger small"
        aria-describedby={confirmingBan ? `palco-ban-${userId}` : undefined}
        disabled={moderate.pending}
        onClick={() => {
          if (!confirmingBan) return setConfirmingBan(true);
          setConfirmingBan(false);
          void moderate.run(userId, ModerationAction.ban, true);
        }}
        onBlur={() => setConfirmingBan(false)}
      >
        {texts.ban}
      </button>
      {confirmingBan && (
        <span id={`palco-ban-${userId}`} class="hint" role="status">
          {texts.confirmBan(name)}
        </span>
      )}
    </div>
  );
}

function useModeration(session: EventSession, props: Pick<WidgetProps, 'lang' | 'emit'>) {
  return {
    approve: useAction((id: number) => session.approve(id), props.lang, props.emit),
    reject: useAction((id: number) => session.reject(id), props.lang, props.emit),
    deleteChat: useAction((id: number) => session.deleteChat(id), props.lang, props.emit),
    moderate: useAction(
      (userId: number, flag: ModerationFlag, value: boolean) => session.moderate(userId, flag, value),
      props.lang,
      props.emit,
    ),
  };
}

/** For moderators: pending questions, the chat with delete, actions on people, live audience. */
export function PalcoModQueue({ session, lang, texts, emit }: WidgetProps<typeof ModQueueAttributes>) {
  const state = useSessionState(session);
  const actions = useModeration(session, { lang, emit });
  const failure = actions.approve.error ?? actions.reject.error ?? actions.deleteChat.error ?? actions.moderate.error;
  const flagsOf = (userId: number) => state.userFlags[userId] ?? noUserFlags;

  return (
    <section class="panel" part="panel" aria-labelledby="palco-mod-title">
      <div class="panel-header">
        <h2 id="palco-mod-title">{texts.modTitle}</h2>
      </div>
      <SessionGate state={state} texts={texts} lang={lang} visibleTo="moderator">
        {() => {
          const pending = state.questions.filter((question) => question.status === 'pending');
          return (
            <>
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
              <div class="columns">
                <div class="column">
                  <h3>
                    {texts.pendingQuestions} <span class="badge accent">{pending.length}</span>
                  </h3>
                  {pending.length === 0 ? (
                    <p class="hint">{texts.noPending}</p>
                  ) : (
                    <ul class="list pending" part="list" aria-live="polite">
                      {pending.map((question) => (
                        <li key={question.id} class="question" part="question">
                          <div class="meta">
                            <bdi class="author">{question.user_name}</bdi>{' '}
                            <time dateTime={question.created_at}>{formatters(lang).time(question.created_at)}</time>
                          </div>
                          <p class="text">{question.question}</p>
                          <div class="actions">
                            <button type="button" class="small" disabled={actions.approve.pending} onClick={() => actions.approve.run(question.id)}>
                              {texts.approve}
                            </button>
                            <button
                              type="button"
                              class="secondary small"
                              disabled={actions.reject.pending}
                              onClick={() => actions.reject.run(question.id)}
                            >
                              {texts.reject}
                            </button>
                          </div>
                          <UserActions
                            userId={question.user_id}
                            name={question.user_name}
                            flags={flagsOf(question.user_id)}
                            texts={texts}
                            moderate={actions.moderate}
                          />
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
                <div class="column chat">
                  <h3>{texts.chatTitle}</h3>
                  <ChatList
                    messages={state.chat}
                    texts={texts}
                    lang={lang}
                    renderActions={(message) => (
                      <div class="actions">
                        <button
                          type="button"
                          class="danger small"
                          aria-label={texts.deleteMessageOf(message.user_name)}
                          disabled={actions.deleteChat.pending}
                          onClick={() => actions.deleteChat.run(message.id)}
                        >
                          {texts.deleteMessage}
                        </button>
                        {message.user_id !== state.user?.id && (
                          <UserActions
                            userId={message.user_id}
                            name={message.user_name}
                            flags={flagsOf(message.user_id)}
                            texts={texts}
                            moderate={actions.moderate}
                          />
                        )}
                      </div>
                    )}
                  />
                </div>
              </div>
            </>
          );
        }}
      </SessionGate>
    </section>
  );
}

export const modQueueStyles = `
.audience { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; padding: 10px 14px; background: var(--_surface); border-radius: calc(var(--_radius) * .75); }
.stat { display: flex; align-items: baseline; gap: 8px; }
.number { font-size: 2em; font-weight: 800; color: var(--_accent); font-variant-numeric: tabular-nums; }
.sessions summary { cursor: pointer; font-weight: 600; }
.sessions .list { margin-top: 6px; max-height: 200px; overflow-y: auto; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); gap: 16px; min-height: 0; flex: 1; }
.column { display: flex; flex-direction: column; gap: 8px; min-height: 0; }
.column.chat .messages { max-height: var(--palco-mod-chat-height, 520px); overflow-y: auto; }
.pending { max-height: var(--palco-mod-queue-height, 560px); overflow-y: auto; }
.question, .message { padding: 10px 12px; border-radius: var(--_radius-sm); background: var(--_surface); display: flex; flex-direction: column; gap: 6px; }
`;
