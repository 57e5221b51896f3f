import type { Poll, PollResults } from '@palco/sdk';
import type { PollTexts } from './poll-texts.js';

interface Placed {
  word: string;
  count: number;
  /** Percent of the cloud's width and height; the font size in cqw (hundredths of its width). */
  x: number;
  y: number;
  size: number;
}

/** The cloud's box in layout units: 100 wide, 56 high (16:9). */
const cloudWidth = 100;
const cloudHeight = 56;

/**
 * A word cloud laid out on an Archimedean spiral: the most answered word in the middle, each
 * next one at the first point of the spiral where its box overlaps none placed before. Sizes
 * follow the square root of the count, so a word twice as frequent reads larger, not twice as
 * large; a cloud of few words gets larger type. Word boxes are estimated (0.6 em a character),
 * which is close enough for a cloud.
 */
export function layoutCloud(words: ReadonlyArray<{ word: string; count: number }>, maxWords = 60): Placed[] {
  const shown = words.slice(0, maxWords);
  // A handful of words fills the box as well as sixty do: the largest type at which every word fits.
  let best: Placed[] = [];
  for (const scale of [1.8, 1.5, 1.25, 1]) {
    const placed = placeOnSpiral(shown, scale);
    if (placed.length > best.length) best = placed;
    if (placed.length === shown.length) break;
  }
  return best;
}

function placeOnSpiral(words: ReadonlyArray<{ word: string; count: number }>, scale: number): Placed[] {
  const top = words[0]?.count ?? 1;
  const placed: Array<Placed & { w: number; h: number }> = [];
  for (const { word, count } of words) {
    const size = (1.8 + 4.6 * Math.sqrt(count / top)) * scale;
    const w = Math.min(cloudWidth, Math.max(1, word.length) * size * 0.6 + 1);
    const h = size * 1.15;
    for (let step = 0; step < 2_000; step += 1) {
      const angle = step * 0.35;
      const radius = 0.45 * angle;
      const x = cloudWidth / 2 + radius * Math.cos(angle) * 1.6 - w / 2;
      const y = cloudHeight / 2 + radius * Math.sin(angle) - h / 2;
      if (x < 0 || y < 0 || x + w > cloudWidth || y + h > cloudHeight) continue;
      if (placed.some((box) => x < box.x + box.w && box.x < x + w && y < box.y + box.h && box.y < y + h)) continue;
      placed.push({ word, count, x, y, size, w, h });
      break;
    }
  }
  return placed.map(({ word, count, x, y, size }) => ({ word, count, x: (x / cloudWidth) * 100, y: (y / cloudHeight) * 100, size }));
}

const percent = (count: number, total: number) => (total === 0 ? 0 : Math.round((count / total) * 100));

/** A poll's results as people read them: bars with percentages, the cloud, the average, answers, the leaderboard. */
export function PollResultsView({ poll, results, texts }: { poll: Poll; results: PollResults | undefined; texts: PollTexts }) {
  if (!results) return null;
  const labels = new Map(poll.options.map((option) => [option.id, option.text]));
  const correct = new Set(poll.status === 'closed' ? (poll.correct ?? []) : []);
  return (
    <div class="results" part="results">
      <p class="meta">{texts.votes(results.total)}</p>
      {results.average != null && <p class="average">{texts.average(results.average.toFixed(1))}</p>}
      {results.options && (
        <ul class="bars">
          {results.options.map((option) => {
            const share = percent(option.count, results.total);
            return (
              <li key={option.id} class={correct.has(option.id) ? 'bar correct' : 'bar'}>
                <span class="label">
                  {labels.get(option.id) ?? texts.rate(option.id)} {correct.has(option.id) ? '✓' : ''}
                </span>
                <span class="track" aria-hidden="true">
                  <span class="fill" style={{ width: `${share}%` }} />
                </span>
                <span class="share">{share}%</span>
              </li>
            );
          })}
        </ul>
      )}
      {results.words && (
        <div class="cloud" role="list">
          {layoutCloud(results.words).map((placed) => (
            <span
              key={placed.word}
              role="listitem"
              class="cloud-word"
              aria-label={`${placed.word}: ${placed.count}`}
              style={{ left: `${placed.x}%`, top: `${placed.y}%`, fontSize: `${placed.size}cqw` }}
            >
              {placed.word}
            </span>
          ))}
        </div>
      )}
      {results.answers && results.answers.length > 0 && (
        <ul class="list answers" aria-label={texts.answers}>
          {results.answers
            .filter((answer) => answer.status === undefined || answer.status === 'approved')
            .map((answer) => (
              <li key={answer.id} class="text answer">
                {answer.text}
              </li>
            ))}
        </ul>
      )}
      {results.leaderboard && results.leaderboard.length > 0 && (
        <>
          <h3>{texts.leaderboard}</h3>
          <ol class="list leaderboard">
            {results.leaderboard.map((entry) => (
              <li key={entry.user_id}>
                <bdi class="author">{entry.name}</bdi> <span class="meta">{texts.points(entry.score)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

export const pollResultsStyles = `
.results { display: flex; flex-direction: column; gap: var(--_space-2); }
.bars { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: var(--_space-2); }
.bar { display: grid; grid-template-columns: minmax(6em, 1fr) 2fr 3.5em; gap: var(--_space-2); align-items: center; }
.bar .label { overflow-wrap: anywhere; }
.bar .track { display: block; height: 1.1em; border-radius: var(--_radius-pill); background: var(--_surface); overflow: hidden; }
.bar .fill { display: block; height: 100%; background: var(--_accent); border-radius: inherit; transition: width .4s ease; }
.bar.correct .fill { background: var(--_success); }
.bar.correct .label { color: var(--_success); font-weight: 700; }
.bar .share { text-align: end; font-weight: 700; font-variant-numeric: tabular-nums; }
.average { font-size: var(--_text-lg); font-weight: 700; }
.cloud { position: relative; width: 100%; aspect-ratio: 100 / 56; container-type: inline-size; overflow: hidden; }
.cloud-word { position: absolute; white-space: nowrap; line-height: 1.15; font-weight: 700; color: var(--_accent); }
.cloud-word:nth-child(3n+2) { color: var(--_fg); }
.cloud-word:nth-child(3n) { color: var(--_muted); }
.answer { padding: var(--_space-2) var(--_space-3); border-radius: var(--_radius-sm); background: var(--_surface); }
@media (prefers-reduced-motion: reduce) { .bar .fill { transition: none; } }
`;
