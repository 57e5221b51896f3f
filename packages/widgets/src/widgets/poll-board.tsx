import type { Lang, Poll } from '@palco/sdk';
import type { EventSession } from '../event-session.js';
import { useSessionState } from '../shared.js';
import { PollResultsView, pollResultsStyles } from './poll-results.js';
import { useSecondsLeft } from './polls.js';
import { pollTexts } from './poll-texts.js';

function Countdown({ poll, lang }: { poll: Poll; lang: Lang }) {
  const secondsLeft = useSecondsLeft(poll);
  if (secondsLeft === null || poll.status !== 'open') return null;
  const texts = pollTexts[lang];
  return (
    <span class="countdown" role="timer">
      {secondsLeft > 0 ? texts.timeLeft(secondsLeft) : texts.timeUp}
    </span>
  );
}

/**
 * The poll on the speaker's big screen: the latest open poll, or else the latest whose
 * results were revealed; its results once revealed (bars with percentages, the word cloud,
 * the average, approved answers, a quiz's leaderboard), sized to be read from the back of a room.
 */
export function PollBoard({ session, lang }: { session: EventSession; lang: Lang }) {
  const state = useSessionState(session);
  const texts = pollTexts[lang];
  const latest = [...state.polls].reverse();
  const poll = latest.find((candidate) => candidate.status === 'open') ?? latest.find((candidate) => candidate.status === 'closed' && candidate.results_visible);
  if (!poll) return null;
  const results = state.pollResults[poll.id];
  return (
    <article class="poll-board" part="poll" aria-labelledby="palco-board-poll" aria-live="polite">
      <p class="label">
        {texts.kinds[poll.kind]} · {texts.statuses[poll.status]} <Countdown poll={poll} lang={lang} />
      </p>
      <p id="palco-board-poll" class="poll-question">
        {poll.question}
      </p>
      {poll.results_visible ? (
        <PollResultsView poll={poll} results={results} texts={texts} />
      ) : (
        <p class="meta">{texts.votes(results?.total ?? 0)}</p>
      )}
    </article>
  );
}

export const pollBoardStyles = `
${pollResultsStyles}
.poll-board {
  display: flex; flex-direction: column; gap: var(--_space-3); padding: var(--_space-5) var(--_space-6);
  border-radius: var(--_radius); background: var(--_bg); border: 3px solid var(--_accent);
}
.poll-board .label { text-transform: uppercase; letter-spacing: .08em; font-size: .8em; font-weight: 700; color: var(--_accent); }
.poll-board .poll-question { font-size: clamp(1.5em, 3.4vw, 2.6em); font-weight: 700; line-height: 1.2; }
.poll-board .bar { font-size: clamp(1.1em, 2.2vw, 1.7em); }
.poll-board .bar .track { height: 1.3em; }
.poll-board .average { font-size: clamp(1.4em, 3vw, 2.2em); }
.poll-board .leaderboard { font-size: 1.3em; }
.countdown { margin-inline-start: var(--_space-2); color: var(--_fg); }
`;
