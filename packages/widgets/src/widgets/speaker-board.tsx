import { useEffect, useState } from 'preact/hooks';
import { isModeratorRole, type Question } from '@palco/sdk';
import { loadQrCode } from '../chunk-loader.js';
import { defaultApi } from '../default-api.js';
import type { WidgetProps } from '../element.js';
import type { SessionState } from '../event-session.js';
import { formatters } from '../format.js';
import { ErrorLine, SessionGate, TopicFilter, topicsOf, useAction, useSessionState } from '../shared.js';
import type { WidgetTexts } from '../texts.js';
import type { SpeakerBoardAttributes } from './lazy-poll-view.js';
import { PollBoard, pollBoardStyles } from './poll-board.js';
import { byVotes } from './qa.js';


type SortOrder = 'votes' | 'time';
type BoardMode = 'control' | 'present';

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

/** The highlighted question, unless it was rejected meanwhile. */
function highlightedOf(state: SessionState): Question | undefined {
  return state.questions.find((q) => q.id === state.highlighted && q.status !== 'rejected');
}

/** The join address as a QR code, from the qrcode module loaded on first use; nothing while it loads or if it cannot. */
function JoinQr({ url, api, label }: { url: string; api: string; label: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    loadQrCode(api)
      .then((qrSvg) => qrSvg(url))
      .then((markup) => current && setSvg(markup))
      .catch(() => current && setSvg(null));
    return () => {
      current = false;
    };
  }, [url, api]);
  if (!svg) return null;
  // The markup is qrcode's own (paths computed from the URL, no text of ours in it).
  return <div class="qr" part="qr" role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />;
}

/**
 * What the projector shows, most urgent first: the highlighted question, else how to join
 * and ask. No buttons: the speaker's control view (or a moderator) decides what is on it.
 */
function Presentation({ state, texts, joinUrl, api }: { state: SessionState; texts: WidgetTexts; joinUrl: string; api: string }) {
  const highlighted = highlightedOf(state);
  return (
    <div class="present-stage" part="presentation" aria-live="polite">
      {highlighted ? (
        <article class="present-question" part="highlighted">
          <p class="present-text">{highlighted.question}</p>
          <p class="present-meta">
            <bdi>{highlighted.user_name}</bdi> · {texts.votes(highlighted.upvotes)}
          </p>
        </article>
      ) : (
        <div class="present-join">
          <div>
            <p class="present-title">{texts.joinTitle}</p>
            <p class="present-body">{texts.joinBody}</p>
            <p class="present-url">{joinUrl.replace(/^https?:\/\//, '')}</p>
          </div>
          <JoinQr url={joinUrl} api={api} label={texts.joinQr(joinUrl)} />
        </div>
      )}
    </div>
  );
}

/**
 * The speaker board. Control view (the speaker's laptop): approved questions by votes or time,
 * highlight, mark as answered. Presentation (`mode="present"`, the projector): the
 * highlighted question in huge type, or the join address and its QR code.
 */
export function PalcoSpeakerBoard({ session, lang, texts, attributes, emit, host }: WidgetProps<typeof SpeakerBoardAttributes>) {
  const state = useSessionState(session);
  const [sort, setSort] = useState<SortOrder>(attributes.sort === 'time' ? 'time' : 'votes');
  const [mode, setMode] = useState<BoardMode>(attributes.mode === 'present' ? 'present' : 'control');
  useEffect(() => setMode(attributes.mode === 'present' ? 'present' : 'control'), [attributes.mode]);
  const fullscreen = useFullscreen(host);
  const [label, setLabel] = useState('');
  const read = useAction((id: number) => session.read(id), lang, emit);
  const highlight = useAction((id: number | null) => session.highlight(id), lang, emit);
  const failure = read.error ?? highlight.error;
  const api = attributes.api || defaultApi;
  const joinUrl = attributes.joinUrl || new URL(`/e/${encodeURIComponent(attributes.event ?? '')}`, api).href;

  // In the presentation the keyboard is the only control: F for full screen, Esc back to the
  // control view (when the presentation was opened from it, not by the page's own mode).
  useEffect(() => {
    if (mode !== 'present') return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'f' || event.key === 'F') fullscreen.toggle();
      else if (event.key === 'Escape' && !fullscreen.active && attributes.mode !== 'present') setMode('control');
    };
    host.addEventListener('keydown', onKey);
    return () => host.removeEventListener('keydown', onKey);
  }, [mode, fullscreen.active]);

  if (mode === 'present') {
    return (
      <section class="present" part="panel" aria-label={texts.speakerTitle} tabIndex={0} onDblClick={fullscreen.toggle}>
        <SessionGate state={state} texts={texts} lang={lang} visibleTo="staff" brief={!session.speaksFor(host)}>
          {() => <Presentation state={state} texts={texts} joinUrl={joinUrl} api={api} />}
        </SessionGate>
      </section>
    );
  }

  const present = () => {
    setMode('present');
    if (fullscreen.supported && !fullscreen.active) fullscreen.toggle();
  };

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
          <button type="button" class="small" part="button" aria-describedby="palco-present-hint" onClick={present}>
            {texts.presentMode}
          </button>
        </div>
      </div>
      <p id="palco-present-hint" class="hint">
        {texts.presentHint}
      </p>
      <SessionGate state={state} texts={texts} lang={lang} visibleTo="staff" brief={!session.speaksFor(host)}>
        {() => {
          const highlighted = highlightedOf(state);
          // The highlighted question is in the spotlight above, not a second time in the list.
          const approved = state.questions
            .filter((q) => q.status === 'approved' && !q.archived_at && (label === '' || q.label === label) && q.id !== highlighted?.id)
            .sort(sort === 'votes' ? byVotes : byTime);
          const readCount = state.questions.filter((q) => q.status === 'read').length;
          const canRead = state.user !== null && (state.user.role === 'speaker' || isModeratorRole(state.user.role));
          return (
            <>
              <ErrorLine message={failure} />
              <PollBoard session={session} lang={lang} />
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
                !highlighted && <p class="hint empty">{texts.noQuestions}</p>
              ) : (
                <ol class="list questions" part="list">
                  {approved.map((question) => (
                    <li key={question.id} class="question" part="question">
                      <p class="text">{question.question}</p>
                      {question.label && <span class="badge">{question.label}</span>}
                      <div class="footer">
                        <span class="meta">
                          <bdi class="author">{question.user_name || texts.anonymous}</bdi> ·{' '}
                          <time dateTime={question.created_at}>{formatters(lang).time(question.created_at)}</time> · {texts.votes(question.upvotes)}
                        </span>
                        <div class="actions">
                          <button type="button" class="secondary small" disabled={highlight.pending} onClick={() => highlight.run(question.id)}>
                            {texts.highlight}
                          </button>
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

// The presentation is read from the back of a room: type sized by the screen, contrast the spotlight's (17:1).
export const speakerBoardStyles = pollBoardStyles + `
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
.footer { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
.topic { margin: 0; }
.topic select { font: inherit; color: var(--_fg); background: var(--_input-bg); padding: .3em .6em; border: 1px solid var(--_input-border); border-radius: var(--_radius-sm); }

.present {
  box-sizing: border-box; min-height: var(--palco-present-min-height, 70vh); display: grid; place-items: center;
  padding: 4vmin 5vmin; border-radius: var(--_radius); background: var(--_spotlight-bg); color: var(--_spotlight-fg);
}
:host(:fullscreen) .present { min-height: 100vh; border-radius: 0; }
.present:focus { outline: none; }
.present:focus-visible { outline: 4px solid var(--_spotlight-fg); outline-offset: -8px; }
.present-stage { width: 100%; max-width: 80rem; }
.present-text { font-size: clamp(28px, 5.2vmin + 1vw, 96px); font-weight: 800; line-height: 1.15; overflow-wrap: anywhere; }
.present-meta { font-size: clamp(18px, 2.6vmin, 40px); opacity: .9; margin-top: 3vmin; }
.present-join { display: flex; align-items: center; justify-content: space-between; gap: 6vmin; flex-wrap: wrap; }
.present-title { font-size: clamp(32px, 7vmin, 110px); font-weight: 800; line-height: 1.05; }
.present-body { font-size: clamp(18px, 3vmin, 44px); margin-top: 2vmin; opacity: .9; }
.present-url { font-size: clamp(22px, 4.4vmin, 72px); font-weight: 700; margin-top: 1vmin; overflow-wrap: anywhere; }
.qr { flex: none; width: clamp(160px, 38vmin, 520px); aspect-ratio: 1; padding: 1.5vmin; border-radius: var(--_radius); background: #fff; }
.qr svg { display: block; width: 100%; height: 100%; }
`;
