import { useEffect, useState } from 'preact/hooks';
import { PollLimits, pollKinds, Role, type Poll, type PollDraftInput, type PollKind, type PollTemplate } from '@palco/sdk';
import type { WidgetProps } from '../element.js';
import type { EventSession } from '../event-session.js';
import { ErrorLine, SessionGate, useAction, useSessionState } from '../shared.js';
import { PollResultsView, pollResultsStyles } from './poll-results.js';
import { pollTexts, type PollTexts } from './poll-texts.js';

const withOptions: ReadonlySet<PollKind> = new Set(['single', 'multiple', 'quiz']);

/** The draft the form describes: options one per line, a quiz's correct answers as 1-based numbers. */
export function draftOf(form: { kind: PollKind; question: string; options: string; correct: string; timeLimit: string }): PollDraftInput {
  const draft: PollDraftInput = { kind: form.kind, question: form.question };
  if (withOptions.has(form.kind)) draft.options = form.options.split('\n').map((line) => line.trim()).filter(Boolean);
  if (form.kind === 'quiz') {
    draft.correct = form.correct.split(/[,\s]+/).filter(Boolean).map((number) => Number(number) - 1);
    if (form.timeLimit.trim()) draft.time_limit_s = Number(form.timeLimit);
  }
  return draft;
}

function NewPollForm({ session, texts, run, pending }: { session: EventSession; texts: PollTexts; run: (work: () => Promise<void>) => void; pending: boolean }) {
  const [form, setForm] = useState({ kind: 'single' as PollKind, question: '', options: '', correct: '', timeLimit: '' });
  const field = (name: keyof typeof form) => (event: Event) => {
    const value = (event.target as HTMLInputElement).value;
    setForm((current) => ({ ...current, [name]: value }));
  };
  const submit = (event: Event) => {
    event.preventDefault();
    run(async () => {
      await session.runPoll(session.client.createPoll, draftOf(form));
      setForm((current) => ({ ...current, question: '', options: '', correct: '', timeLimit: '' }));
    });
  };
  return (
    <form class="new-poll" onSubmit={submit} aria-labelledby="palco-new-poll">
      <h3 id="palco-new-poll">{texts.newPoll}</h3>
      <label for="palco-poll-kind">{texts.kind}</label>
      <select id="palco-poll-kind" value={form.kind} onChange={field('kind')}>
        {pollKinds.map((kind) => (
          <option key={kind} value={kind}>
            {texts.kinds[kind]}
          </option>
        ))}
      </select>
      <label for="palco-poll-question">{texts.question}</label>
      <input id="palco-poll-question" required maxLength={PollLimits.questionMax} value={form.question} onInput={field('question')} />
      {withOptions.has(form.kind) && (
        <>
          <label for="palco-poll-options">{texts.options}</label>
          <textarea id="palco-poll-options" rows={4} value={form.options} onInput={field('options')} />
        </>
      )}
      {form.kind === 'quiz' && (
        <>
          <label for="palco-poll-correct">{texts.correctOptions}</label>
          <input id="palco-poll-correct" inputMode="numeric" value={form.correct} onInput={field('correct')} />
          <label for="palco-poll-time">{texts.timeLimit}</label>
          <input id="palco-poll-time" type="number" min={PollLimits.timeLimitMinS} max={PollLimits.timeLimitMaxS} value={form.timeLimit} onInput={field('timeLimit')} />
        </>
      )}
      <button type="submit" disabled={pending}>
        {texts.create}
      </button>
    </form>
  );
}

/** The saved templates, to start a draft from one. */
function TemplatePicker({ session, texts, templates, run, pending }: { session: EventSession; texts: PollTexts; templates: readonly PollTemplate[]; run: (work: () => Promise<void>) => void; pending: boolean }) {
  const [chosen, setChosen] = useState<number | null>(null);
  if (templates.length === 0) return null;
  const templateId = chosen ?? templates[0]!.id;
  return (
    <div class="row templates">
      <div>
        <label for="palco-poll-template">{texts.templates}</label>
        <select id="palco-poll-template" value={templateId} onChange={(event) => setChosen(Number((event.target as HTMLSelectElement).value))}>
          {templates.map((template) => (
            <option key={template.id} value={template.id}>
              {template.question} · {texts.kinds[template.kind]}
            </option>
          ))}
        </select>
      </div>
      <button type="button" class="secondary" disabled={pending} onClick={() => run(() => session.runPoll(session.client.pollFromTemplate, templateId))}>
        {texts.useTemplate}
      </button>
    </div>
  );
}

function PollRow(props: {
  poll: Poll;
  session: EventSession;
  texts: PollTexts;
  run: (work: () => Promise<void>) => void;
  pending: boolean;
  /** Administrators only: saves the poll as a template. */
  saveTemplate: ((pollId: number) => void) | null;
}) {
  const { poll, session, texts, run, pending, saveTemplate } = props;
  const state = useSessionState(session);
  const results = state.pollResults[poll.id];
  const { client } = session;
  const act = (action: (id: number) => Promise<Poll | void>) => () => run(() => session.runPoll(action, poll.id));
  const pendingAnswers = results?.answers?.filter((answer) => answer.status === 'pending') ?? [];
  return (
    <li class="poll-row" part="poll" data-poll={poll.id}>
      <div class="poll-head">
        <span class="badge">{texts.statuses[poll.status]}</span>
        <span class="badge accent">{texts.kinds[poll.kind]}</span>
        {poll.status !== 'draft' && <span class="meta">{texts.liveCount(results?.total ?? 0)}</span>}
        {poll.results_visible && <span class="badge">{texts.resultsVisible}</span>}
      </div>
      <p class="question-text">{poll.question}</p>
      <div class="actions">
        {poll.status === 'draft' && (
          <button type="button" class="small" disabled={pending} onClick={act(client.openPoll)}>
            {texts.open}
          </button>
        )}
        {poll.status === 'open' && (
          <button type="button" class="small" disabled={pending} onClick={act(client.closePoll)}>
            {texts.close}
          </button>
        )}
        {poll.status !== 'draft' && (
          <button type="button" class="secondary small" disabled={pending} onClick={() => run(() => session.runPoll(client.revealPoll, poll.id, !poll.results_visible))}>
            {poll.results_visible ? texts.hide : texts.reveal}
          </button>
        )}
        {saveTemplate && (
          <button type="button" class="secondary small" disabled={pending} onClick={() => saveTemplate(poll.id)}>
            {texts.saveTemplate}
          </button>
        )}
        <button type="button" class="danger small" disabled={pending} onClick={act(client.deletePoll)}>
          {texts.remove}
        </button>
      </div>
      {pendingAnswers.length > 0 && (
        <ul class="list">
          {pendingAnswers.map((answer) => (
            <li key={answer.id} class="answer pending-answer">
              <span class="text">{answer.text}</span>
              <span class="actions">
                <button type="button" class="small" disabled={pending} onClick={() => run(() => client.reviewAnswer(answer.id, 'approved'))}>
                  {texts.approve}
                </button>
                <button type="button" class="secondary small" disabled={pending} onClick={() => run(() => client.reviewAnswer(answer.id, 'rejected'))}>
                  {texts.reject}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {poll.status !== 'draft' && <PollResultsView poll={poll} results={results} texts={texts} />}
    </li>
  );
}

/** Moderators build polls and quizzes, open, close and reveal them, and watch the answers come in. */
export function PalcoPollPanel({ session, lang, texts: widgetTexts, emit }: WidgetProps) {
  const state = useSessionState(session);
  const texts = pollTexts[lang];
  const action = useAction((work: () => Promise<void>) => work(), lang, emit);
  const run = (work: () => Promise<void>) => void action.run(work);
  const [templates, setTemplates] = useState<readonly PollTemplate[]>([]);
  const live = state.status === 'live';
  useEffect(() => {
    if (live) run(async () => setTemplates(await session.client.pollTemplates()));
  }, [live]);
  const saveTemplate =
    state.user?.role === Role.admin
      ? (pollId: number) =>
          run(async () => {
            await session.client.savePollAsTemplate(pollId);
            setTemplates(await session.client.pollTemplates());
          })
      : null;
  return (
    <section class="panel" part="panel" aria-labelledby="palco-poll-panel-title">
      <div class="panel-header">
        <h2 id="palco-poll-panel-title">{texts.panelTitle}</h2>
      </div>
      <SessionGate state={state} texts={widgetTexts} lang={lang} visibleTo="moderator">
        {() => (
          <>
            <ErrorLine message={action.error} />
            <TemplatePicker session={session} texts={texts} templates={templates} run={run} pending={action.pending} />
            <NewPollForm session={session} texts={texts} run={run} pending={action.pending} />
            <ul class="list polls" aria-live="polite">
              {[...state.polls].reverse().map((poll) => (
                <PollRow key={poll.id} poll={poll} session={session} texts={texts} run={run} pending={action.pending} saveTemplate={saveTemplate} />
              ))}
            </ul>
          </>
        )}
      </SessionGate>
    </section>
  );
}

export const pollPanelStyles = `
${pollResultsStyles}
.new-poll { display: flex; flex-direction: column; gap: var(--_space-1); align-items: stretch; }
.new-poll button { align-self: flex-start; margin-top: var(--_space-2); }
select { font: inherit; color: var(--_fg); background: var(--_input-bg); padding: .5em; border: 1px solid var(--_input-border); border-radius: var(--_radius-sm); }
.polls { overflow-y: auto; min-height: 0; }
.poll-row { display: flex; flex-direction: column; gap: var(--_space-2); padding: var(--_space-3); border-radius: var(--_radius-sm); background: var(--_surface); }
.poll-head { display: flex; gap: var(--_space-2); align-items: center; flex-wrap: wrap; }
.question-text { font-weight: 700; overflow-wrap: anywhere; }
.templates { align-items: flex-end; }
.templates select { width: 100%; }
.pending-answer { display: flex; justify-content: space-between; gap: var(--_space-2); align-items: center; background: var(--_bg); }
`;
