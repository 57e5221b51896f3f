import { useEffect, useState } from 'preact/hooks';
import { isModeratorRole, type Question } from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { formatters } from '../format.js';
import { ErrorLine, SessionGate, TopicFilter, topicsOf, useAction, useSessionState } from '../shared.js';
import { LazyPollView } from './lazy-poll-view.js';
import { byVotes } from './qa.js';

export const SpeakerBoardAttributes = {
  ...CommonAttributes,
  /** "votes" (default) or "time". */
  sort: 'sort',
} as const;

type SortOrder = 'votes' | 'time';

function byTime(a: Question, b: Question): number {
  return a.id - b.id;
}

function useFullscreen(host: HTMLElement) {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const update = () => setActive(document.fullscreenElement === host);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, [host]);
  const supported = typeof host.requestFullscreen === 'function' && document.fullscreenEnabled !== false;
  const toggle = () => {
    const change = active ? document.exitFullscreen() : host.requestFullscreen();
    change.catch(() => {});
  };
  return { active, supported, toggle };
}

/** The speaker's big screen: approved questions, the highlighted one on top, mark as read. */
export function PalcoSpeakerBoard({ session, lang, texts, attributes, emit, host }: WidgetProps<typeof SpeakerBoardAttributes>) {
  const state = useSessionState(session);
  const [sort, setSort] = useState<SortOrder>(attributes.sort === 'time' ? 'time' : 'votes');
  const fullscreen = useFullscreen(host);
  const [label, setLabel] = useState('');
  const read = useAction((id: number) => session.read(id), lang, emit);
  const highlight = useAction((id: number | null) => session.highlight(id), lang, emit);
  const failure = read.error ?? highlight.error;

  return (
    <section class="panel board" part="panel" aria-labelledby="palco-board-title">
      <div class="panel-header">
        <h2 id="palco-board-title">{texts.speakerTitle}</h2>
        <div class="actions">
          <div class="actions" role="group" aria-label={texts.sortBy}>
            <button type="button" class="secondary small" aria-pressed={sort === 'votes'} onClick={() => setSort('votes')}>
              {texts.sortVotes}
            </button>
            <button type="button" class="secondary small" aria-pressed={sort === 'time'} onClick={() => setSort('time')}>
              {texts.sortTime}
            </button>
          </div>
          <TopicFilter topics={topicsOf(state.questions)} value={label} onChange={setLabel} texts={texts} class="topic" />
          {fullscreen.supported && (
            <button type="button" class="secondary small" part="button" onClick={fullscreen.toggle}>
              {fullscreen.active ? texts.exitFullscreen : texts.fullscreen}
            </button>
          )}
        </div>
      </div>
      <SessionGate state={state} texts={texts} lang={lang} visibleTo="staff">
        {() => {
          const approved = state.questions
            .filter((q) => q.status === 'approved' && !q.archived_at && (label === '' || q.label === label))
            .sort(sort === 'votes' ? byVotes : byTime);
          const readCount = state.questions.filter((q) => q.status === 'read').length;
          const highlighted = state.questions.find((q) => q.id === state.highlighted && q.status !== 'rejected');
          const canRead = state.user !== null && (state.user.role === 'speaker' || isModeratorRole(state.user.role));
          return (
            <>
              <ErrorLine message={failure} />
              <LazyPollView view="board" session={session} lang={lang} texts={texts} attributes={attributes} emit={emit} host={host} />
              <div aria-live="polite">
                {highlighted && (
                  <article class="spotlight" part="highlighted" aria-labelledby="palco-spotlight-label">
                    <p id="palco-spotlight-label" class="label">
                      {texts.highlighted}
                    </p>
                    <p class="text big">{highlighted.question}</p>
                    <p class="meta">
                      <bdi class="author">{highlighted.user_name || texts.anonymous}</bdi> · {texts.votes(highlighted.upvotes)}
                    </p>
                    <div class="actions">
                      <button type="button" class="secondary" disabled={highlight.pending} onClick={() => highlight.run(null)}>
                        {texts.clearHighlight}
                      </button>
                      {canRead && highlighted.status === 'approved' && (
                        <button type="button" disabled={read.pending} onClick={() => read.run(highlighted.id)}>
                          {texts.markRead}
                        </button>
                      )}
                    </div>
                  </article>
                )}
              </div>
              {approved.length === 0 ? (
                <p class="hint empty">{texts.noQuestions}</p>
              ) : (
                <ol class="list questions" part="list" aria-live="polite">
                  {approved.map((question) => (
                    <li key={question.id} class={question.id === state.highlighted ? 'question current' : 'question'} part="question">
                      <p class="text">{question.question}</p>
                      {question.label && <span class="badge">{question.label}</span>}
                      <div class="footer">
                        <span class="meta">
                          <bdi class="author">{question.user_name || texts.anonymous}</bdi> ·{' '}
                          <time dateTime={question.created_at}>{formatters(lang).time(question.created_at)}</time> · {texts.votes(question.upvotes)}
                        </span>
                        <div class="actions">
                          {question.id !== state.highlighted && (
                            <button type="button" class="secondary small" disabled={highlight.pending} onClick={() => highlight.run(question.id)}>
                              {texts.highlight}
                            </button>
                          )}
                          {canRead && (
                            <button type="button" class="small" disabled={read.pending} onClick={() => read.run(question.id)}>
                              {texts.markRead}
                            </button>
                          )}
                        </div>
                      </div>
                    </li>
                  ))}
                </ol>
              )}
              {readCount > 0 && <p class="hint">{texts.readCount(readCount)}</p>}
            </>
          );
        }}
      </SessionGate>
    </section>
  );
}

export const speakerBoardStyles = `
.root { font-size: var(--palco-board-font-size, clamp(16px, 1.6vw, 22px)); }
:host(:fullscreen) { overflow: auto; }
/* The tokens live on the wrapper, so it paints the full-screen background. */
:host(:fullscreen) .root { box-sizing: border-box; min-height: 100%; padding: 2vw; background: var(--_bg); }
.board h2 { font-size: 1.3em; }
.spotlight {
  padding: 20px 24px; border-radius: var(--_radius); display: flex; flex-direction: column; gap: 10px;
  background: var(--_spotlight-bg); color: var(--_spotlight-fg);
}
.spotlight .label { text-transform: uppercase; letter-spacing: .08em; font-size: .75em; font-weight: 700; opacity: .8; }
.spotlight .meta { color: inherit; opacity: .85; font-size: .9em; }
.spotlight .big { font-size: clamp(1.4em, 3.2vw, 2.4em); font-weight: 700; line-height: 1.25; }
.spotlight button.secondary { color: inherit; border-color: currentColor; }
.questions { overflow-y: auto; min-height: 0; }
.question { padding: 14px 16px; border-radius: calc(var(--_radius) * .75); background: var(--_surface); display: flex; flex-direction: column; gap: 8px; }
.question .text { font-size: 1.25em; font-weight: 600; }
.question.current { outline: 3px solid var(--_accent); }
.footer { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
.topic { margin: 0; }
.topic select { font: inherit; color: var(--_fg); background: var(--_input-bg); padding: .3em .6em; border: 1px solid var(--_input-border); border-radius: var(--_radius-sm); }
`;
