import { QueryTypes, type Sequelize } from 'sequelize';
import {
  AnswerStatus,
  choiceKinds,
  PollKind,
  PollLimits,
  PollStatus,
  type Poll,
  type PollOption,
  type PollResults,
} from '@palco/sdk/protocol';
import { PollVoteRow, UserRow, type PollRow } from '../db/models.js';
import { normaliseWord } from '../moderation/index.js';
import { iso, isoOrNull } from '../services/serialize.js';

/** Words a cloud shows at most: the most answered ones. */
const cloudSize = 100;
/** Open-text answers a results frame carries at most: the latest ones. */
const answersShown = 200;

const parsed = <T>(json: string | null, fallback: T): T => (json == null ? fallback : (JSON.parse(json) as T));

/** The poll as staff see it: with the correct answers of a quiz. */
export function toPoll(row: PollRow): Poll {
  const options = parsed<PollOption[]>(row.options, []);
  const poll: Poll = {
    id: row.id,
    event_id: row.event_id,
    kind: row.kind,
    question: row.question,
    options,
    status: row.status,
    results_visible: Boolean(row.results_visible),
    opened_at: isoOrNull(row.opened_at),
    closed_at: isoOrNull(row.closed_at),
    created_at: iso(row.created_at),
  };
  if (row.max_choices != null) poll.max_choices = row.max_choices;
  if (row.time_limit_s != null) poll.time_limit_s = row.time_limit_s;
  if (row.correct != null) poll.correct = parsed<number[]>(row.correct, []);
  return poll;
}

/** The poll as attendees see it: a quiz's correct answers only once it closed. */
export function publicPoll(poll: Poll): Poll {
  if (poll.correct === undefined || poll.status === PollStatus.closed) return poll;
  const { correct: _correct, ...rest } = poll;
  return rest;
}

/**
 * The results of one poll, counted from its stored answers (one row per person, unique):
 * whatever process took the votes, the totals are exactly the acknowledged ones.
 * `forStaff`: open-text answers of every status, with the status; otherwise approved ones.
 */
export async function tally(sequelize: Sequelize, poll: Poll, forStaff: boolean): Promise<PollResults> {
  const total = await PollVoteRow.count({ where: { poll_id: poll.id } });
  const results: PollResults = { id: poll.id, total };
  if (choiceKinds.has(poll.kind)) {
    const groups = await sequelize.query<{ choices: string; votes: number }>(
      'SELECT choices, COUNT(*) AS votes FROM poll_votes WHERE poll_id = ? GROUP BY choices',
      { replacements: [poll.id], type: QueryTypes.SELECT },
    );
    const counts = new Map(poll.options.map((option) => [option.id, 0]));
    for (const group of groups) {
      for (const choice of parsed<number[]>(group.choices, [])) counts.set(choice, (counts.get(choice) ?? 0) + Number(group.votes));
    }
    results.options = poll.options.map((option) => ({ id: option.id, count: counts.get(option.id) ?? 0 }));
    if (poll.kind === PollKind.quiz && poll.status === PollStatus.closed) results.leaderboard = await leaderboard(poll.id);
  } else if (poll.kind === PollKind.rating) {
    const groups = await sequelize.query<{ rating: number; votes: number }>(
      'SELECT rating, COUNT(*) AS votes FROM poll_votes WHERE poll_id = ? GROUP BY rating',
      { replacements: [poll.id], type: QueryTypes.SELECT },
    );
    const counts = new Map(groups.map((group) => [Number(group.rating), Number(group.votes)]));
    results.options = [1, 2, 3, 4, 5].map((rating) => ({ id: rating, count: counts.get(rating) ?? 0 }));
    const sum = groups.reduce((all, group) => all + Number(group.rating) * Number(group.votes), 0);
    results.average = total === 0 ? null : Math.round((sum / total) * 100) / 100;
  } else if (poll.kind === PollKind.wordCloud) {
    results.words = cloud(await PollVoteRow.findAll({ attributes: ['words'], where: { poll_id: poll.id }, raw: true }));
  } else {
    const rows = await PollVoteRow.findAll({
      attributes: ['id', 'text', 'answer_status'],
      where: forStaff ? { poll_id: poll.id } : { poll_id: poll.id, answer_status: AnswerStatus.approved },
      order: [['id', 'DESC']],
      limit: answersShown,
      raw: true,
    });
    results.answers = rows
      .reverse()
      .map((row) => (forStaff ? { id: row.id, text: row.text ?? '', status: row.answer_status ?? AnswerStatus.pending } : { id: row.id, text: row.text ?? '' }));
  }
  return results;
}

/**
 * Words counted by their normalised form, each shown in the spelling most people used
 * ("útil" over "util"), the most answered first.
 */
function cloud(rows: Array<Pick<PollVoteRow, 'words'>>): Array<{ word: string; count: number }> {
  const counts = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const row of rows) {
    for (const word of parsed<string[]>(row.words, [])) {
      const key = normaliseWord(word);
      const entry = counts.get(key) ?? { count: 0, spellings: new Map<string, number>() };
      entry.count += 1;
      entry.spellings.set(word, (entry.spellings.get(word) ?? 0) + 1);
      counts.set(key, entry);
    }
  }
  const spelled = ({ spellings }: { spellings: Map<string, number> }) =>
    [...spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  return [...counts.values()]
    .map((entry) => ({ word: spelled(entry), count: entry.count }))
    .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
    .slice(0, cloudSize);
}

/** The best quiz scores: more points first, then the faster answer. */
async function leaderboard(pollId: number) {
  const rows = await PollVoteRow.findAll({
    attributes: ['user_id', 'score', 'answer_ms'],
    where: { poll_id: pollId, correct: true },
    order: [['score', 'DESC'], ['answer_ms', 'ASC'], ['id', 'ASC']],
    limit: PollLimits.leaderboardSize,
    raw: true,
  });
  const names = new Map(
    (await UserRow.findAll({ attributes: ['id', 'name'], where: { id: rows.map((row) => row.user_id) }, raw: true })).map((user) => [user.id, user.name]),
  );
  return rows.map((row) => ({ user_id: row.user_id, name: names.get(row.user_id) ?? '', score: row.score ?? 0, answer_ms: row.answer_ms ?? 0 }));
}
