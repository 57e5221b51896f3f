import { useEffect, useState } from 'preact/hooks';
import { isStaffRole, PollLimits, reactionEmoji, type Lang, type Poll, type PollAnswerInput, type PollVote } from '@palco/sdk';
import type { WidgetProps } from '../element.js';
import type { EventSession } from '../event-session.js';
import type { EmitPalcoEvent } from '../events.js';
import { ErrorLine, SessionGate, useAction, useSessionState } from '../shared.js';
import { ParticipationNotice, participation, participationStyles } from './participation.js';
import { PollResultsView, pollResultsStyles } from './poll-results.js';
import { pollTexts, type PollTexts } from './poll-texts.js';
import { commonTexts } from '../common-texts.js';

/** Seconds left to answer a timed quiz, ticking each second; null for polls without a limit. */
export function useSecondsLeft(poll: Poll): number | null {
  const deadline = poll.time_limit_s && poll.opened_at ? Date.parse(poll.opened_at) + poll.time_limit_s * 1000 : null;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (deadline === null || poll.status !== 'open') return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [deadline, poll.status]);
  return deadline === null ? null : Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** The form of one open poll: choices, a rating, up to three words or a text. */
function AnswerForm({ poll, texts, onAnswer, pending }: { poll: Poll; texts: PollTexts; onAnswer: (answer: PollAnswerInput) => void; pending: boolean }) {
  const [choices, setChoices] = useState<number[]>([]);
  const [words, setWords] = useState(['', '', '']);
  const [text, setText] = useState('');
  const max = poll.kind === 'single' ? 1 : (poll.max_choices ?? poll.options.length);
  const name = `palco-poll-${poll.id}`;
  const submit = (event: Event) => {
    event.preventDefault();
    if (poll.kind === 'word_cloud') onAnswer({ words: words.map((word) => word.trim()).filter(Boolean) });
    else if (poll.kind === 'open_text') onAnswer({ text });
    else onAnswer({ choices });
  };
  if (poll.kind === 'rating') {
    return (
      <div class="actions" role="group" aria-label={poll.question}>
        {[1, 2, 3, 4, 5].map((value) => (
          <button key={value} type="button" class="secondary rating" aria-label={texts.rate(value)} disabled={pending} onClick={() => onAnswer({ rating: value })}>
            {'★'.repeat(value)}
          </button>
        ))}
      </div>
    );
  }
  return (
    <form class="answer-form" onSubmit={submit}>
      {poll.options.length > 0 && (
        <fieldset>
          <legend class="hint">{texts.chooseUpTo(max)}</legend>
          {poll.options.map((option) => (
            <label class="choice" key={option.id}>
              <input
                type={max === 1 ? 'radio' : 'checkbox'}
                name={name}
                checked={choices.includes(option.id)}
                disabled={max > 1 && !choices.includes(option.id) && choices.length >= max}
                onChange={() =>
                  setChoices(max === 1 ? [option.id] : choices.includes(option.id) ? choices.filter((id) => id !== option.id) : [...choices, option.id])
                }
              />
              <span>{option.text}</span>
            </label>
          ))}
        </fieldset>
      )}
      {poll.kind === 'word_cloud' && (
        <fieldset>
          <legend class="hint">{texts.wordsLabel}</legend>
          {words.map((word, index) => (
            <input
              key={index}
              aria-label={texts.word(index + 1)}
              maxLength={PollLimits.wordMax}
              value={word}
              onInput={(event) => {
                const value = (event.target as HTMLInputElement).value;
                setWords((current) => current.map((kept, at) => (at === index ? value : kept)));
              }}
            />
          ))}
        </fieldset>
      )}
      {poll.kind === 'open_text' && (
        <>
          <label for={`${name}-text`}>{texts.textLabel}</label>
          <textarea id={`${name}-text`} maxLength={PollLimits.textMax} value={text} onInput={(event) => setText((event.target as HTMLTextAreaElement).value)} />
        </>
      )}
      <button type="submit" part="button" disabled={pending}>
        {poll.kind === 'open_text' || poll.kind === 'word_cloud' ? texts.send : texts.vote}
      </button>
    </form>
  );
}

/** What this member answered, and how a quiz scored it. */
function OwnVote({ poll, vote, texts }: { poll: Poll; vote: PollVote; texts: PollTexts }) {
  const labels = new Map(poll.options.map((option) => [option.id, option.text]));
  const said = vote.choices?.map((id) => labels.get(id)).join(', ') ?? vote.words?.join(', ') ?? vote.text ?? (vote.rating ? texts.rate(vote.rating) : '');
  return (
    <div class="own" role="status">
      <p>
        <strong>{texts.yourAnswer}:</strong> <span class="text">{said}</span>
      </p>
      {vote.correct !== undefined && (
        <p class={vote.correct ? 'verdict right' : 'verdict'}>{vote.correct ? `${texts.correct} ${texts.points(vote.score ?? 0)}` : texts.wrong}</p>
      )}
      {vote.answer_status === 'pending' && <p class="hint">{texts.pendingReview}</p>}
    </div>
  );
}

function PollCard({ poll, session, texts, lang, emit, mayVote }: { poll: Poll; session: EventSession; texts: PollTexts; lang: Lang; emit: EmitPalcoEvent; mayVote: boolean }) {
  const state = useSessionState(session);
  const vote = useAction((answer: PollAnswerInput) => session.vote(poll.id, answer), lang, emit);
  const secondsLeft = useSecondsLeft(poll);
  const own = state.myVotes[poll.id];
  const results = state.pollResults[poll.id];
  const open = poll.status === 'open' && secondsLeft !== 0;
  return (
    <article class="poll" part="poll" aria-labelledby={`palco-poll-${poll.id}-q`}>
      <div class="poll-head">
        <span class="badge accent">{texts.kinds[poll.kind]}</span>
        {poll.status === 'open' && secondsLeft !== null && <span class="badge" role="timer">{secondsLeft > 0 ? texts.timeLeft(secondsLeft) : texts.timeUp}</span>}
        {poll.status === 'closed' && <span class="badge">{texts.statuses.closed}</span>}
      </div>
      <p id={`palco-poll-${poll.id}-q`} class="question-text">
        {poll.question}
      </p>
      {own && <OwnVote poll={poll} vote={own} texts={texts} />}
      {!own && mayVote && open && (
        <>
          <ErrorLine message={vote.error} />
          <AnswerForm poll={poll} texts={texts} pending={vote.pending} onAnswer={(answer) => void vote.run(answer)} />
          {vote.pending && state.reconnecting && (
            <p class="hint" role="status">
              {commonTexts[lang].sendingWhenBack}
            </p>
          )}
        </>
      )}
      {results ? <PollResultsView poll={poll} results={results} texts={texts} /> : own && <p class="hint">{texts.awaitingResults}</p>}
    </article>
  );
}

/** The six reactions, each a button; the server allows 10 per 5 s and says so past that. */
export function ReactionBar({ session, texts, lang, emit }: { session: EventSession; texts: PollTexts; lang: Lang; emit: EmitPalcoEvent }) {
  const react = useAction((emoji: (typeof reactionEmoji)[number]) => session.react(emoji), lang, emit);
  return (
    <div class="reactions-bar">
      <div class="actions" role="group" aria-label={texts.reactionsLabel}>
        {reactionEmoji.map((emoji) => (
          <button key={emoji} type="button" class="secondary small emoji" aria-label={texts.react(emoji)} onClick={() => void react.run(emoji)}>
            {emoji}
          </button>
        ))}
      </div>
      <ErrorLine message={react.error} />
    </div>
  );
}

/** Open polls to answer, results once revealed, and the reactions bar. */
export function PalcoPolls({ session, lang, texts: widgetTexts, emit }: WidgetProps) {
  const state = useSessionState(session);
  const texts = pollTexts[lang];
  return (
    <section class="panel" part="panel" aria-labelledby="palco-polls-title">
      <div class="panel-header">
        <h2 id="palco-polls-title">{texts.pollsTitle}</h2>
      </div>
      <SessionGate state={state} texts={widgetTexts} lang={lang} visibleTo="member">
        {() => {
          const mayVote = !isStaffRole(state.user!.role) && participation(state) === 'open';
          // A closed poll stays while its results are shown, and for whoever answered it: their
          // answer, and that the results come once the moderators publish them.
          const shown = state.polls
            .filter((poll) => poll.status === 'open' || (poll.status === 'closed' && (poll.results_visible || state.myVotes[poll.id] !== undefined)))
            .reverse();
          return (
            <>
              <ParticipationNotice session={session} state={state} lang={lang} />
              {shown.length === 0 ? (
                <p class="hint">{texts.noPolls}</p>
              ) : (
                <ul class="list polls" aria-live="polite">
                  {shown.map((poll) => (
                    <li key={poll.id}>
                      <PollCard poll={poll} session={session} texts={texts} lang={lang} emit={emit} mayVote={mayVote} />
                    </li>
                  ))}
                </ul>
              )}
              {mayVote && <ReactionBar session={session} texts={texts} lang={lang} emit={emit} />}
            </>
          );
        }}
      </SessionGate>
    </section>
  );
}

export const pollsStyles = `
${pollResultsStyles}
${participationStyles}
.polls { overflow-y: auto; min-height: 0; }
.poll { display: flex; flex-direction: column; gap: var(--_space-2); padding: var(--_space-3); border-radius: var(--_radius-sm); background: var(--_surface); }
.poll-head { display: flex; gap: var(--_space-2); flex-wrap: wrap; }
.question-text { font-weight: 700; font-size: var(--_text-lg); overflow-wrap: anywhere; }
fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-direction: column; gap: var(--_space-2); }
.answer-form { display: flex; flex-direction: column; gap: var(--_space-2); align-items: flex-start; }
.answer-form fieldset, .answer-form textarea { align-self: stretch; }
.choice { display: flex; gap: var(--_space-2); align-items: center; font-weight: 400; font-size: 1em; margin: 0; }
.choice input { width: 1.2em; height: 1.2em; flex: none; }
.rating { letter-spacing: -.1em; }
.verdict { font-weight: 700; color: var(--_danger); }
.verdict.right { color: var(--_success); }
.emoji { font-size: 1.2em; min-width: 2.6em; }
`;
