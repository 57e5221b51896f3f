import { describe, expect, it } from 'vitest';
import type { Poll } from '@palco/sdk/protocol';
import { LiveCounts } from './live-counts.js';

const poll = (kind: Poll['kind'], options = [1, 2, 3]): Poll => ({
  id: 7,
  event_id: 1,
  kind,
  question: '¿?',
  options: options.map((id) => ({ id, text: `Opción ${id}` })),
  status: 'open',
  results_visible: true,
  opened_at: '2026-11-30T10:00:00.000Z',
  closed_at: null,
  created_at: '2026-11-30T09:00:00.000Z',
});
const vote = (fields: { choices?: number[]; rating?: number }) => ({ poll_id: 7, created_at: '2026-11-30T10:00:01.000Z', ...fields });

describe('poll counts kept in memory', () => {
  it('adds committed choice votes to the count read from the database, one per person and one per chosen option', () => {
    const counts = new LiveCounts();
    counts.seed({ id: 7, total: 2, options: [{ id: 1, count: 1 }, { id: 2, count: 1 }, { id: 3, count: 1 }] });
    counts.add(7, [vote({ choices: [1, 3] }), vote({ choices: [2] })]);
    expect(counts.results(poll('multiple'))).toEqual({ id: 7, total: 4, options: [{ id: 1, count: 2 }, { id: 2, count: 2 }, { id: 3, count: 2 }] });
  });

  it('averages ratings to two decimals, and gives no average before the first rating', () => {
    const counts = new LiveCounts();
    counts.seed({ id: 7, total: 0, options: [1, 2, 3, 4, 5].map((id) => ({ id, count: 0 })), average: null });
    expect(counts.results(poll('rating', []))!.average).toBeNull();
    counts.add(7, [vote({ rating: 5 }), vote({ rating: 4 }), vote({ rating: 4 })]);
    expect(counts.results(poll('rating', []))).toMatchObject({ total: 3, average: 4.33, options: [{ id: 1, count: 0 }, { id: 2, count: 0 }, { id: 3, count: 0 }, { id: 4, count: 2 }, { id: 5, count: 1 }] });
  });

  it('keeps nothing for a poll never read from the database, nor for word clouds and open text', () => {
    const counts = new LiveCounts();
    counts.add(7, [vote({ choices: [1] })]);
    expect(counts.results(poll('single'))).toBeUndefined();
    counts.seed({ id: 7, total: 0 });
    expect(counts.results(poll('word_cloud', []))).toBeUndefined();
    counts.forget(7);
    expect(counts.has(7)).toBe(false);
  });
});
