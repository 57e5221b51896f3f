/** A stretch of time (ms since the epoch, start inclusive, end exclusive). */
export type Span = [start: number, end: number];

/**
 * An attendee's credited time as the database keeps it (`session_analytics.watch_spans`),
 * shared by every process: the recent spans already credited, and an instant before which
 * nothing is credited any more (older spans are forgotten, so their time is settled).
 */
export interface CreditedTime {
  settledBefore: number;
  spans: Span[];
}

/**
 * Spans are kept this long behind the newest: a ping reaches back at most its cap (90 s), and
 * another process writes it within a few seconds (longer while the database is away). A span
 * written later than this is credited only from here on.
 */
export const keepCreditedMs = 10 * 60_000;
/** At most this many spans are kept (a client pinging every few milliseconds makes one each). */
export const maxCreditedSpans = 32;

/**
 * Adds the span (start, end) to `credited` (disjoint spans, in order) and returns how much of
 * it was not credited before. Spans that ended before `forgetBefore` are dropped: no later
 * span reaches back to them.
 */
export function creditSpan(credited: Span[], start: number, end: number, forgetBefore: number): number {
  let overlap = 0;
  let merged: Span = [start, end];
  const kept: Span[] = [];
  for (const span of credited) {
    const [from, to] = span;
    if (to < forgetBefore) continue;
    if (to < start || from > end) {
      kept.push(span);
      continue;
    }
    overlap += Math.max(0, Math.min(to, end) - Math.max(from, start));
    merged = [Math.min(from, merged[0]), Math.max(to, merged[1])];
  }
  kept.push(merged);
  kept.sort((a, b) => a[0] - b[0]);
  credited.splice(0, credited.length, ...kept);
  return end - start - overlap;
}

/**
 * Adds `spans` to what the database holds and returns the milliseconds not credited before,
 * by any process: time before `settledBefore` counts as credited. Then forgets the spans that
 * ended more than keepCreditedMs before the newest, and the oldest past maxCreditedSpans,
 * moving `settledBefore` past them.
 */
export function addCredited(stored: CreditedTime, spans: readonly Span[]): number {
  let added = 0;
  for (const [start, end] of spans) {
    const from = Math.max(start, stored.settledBefore);
    if (end > from) added += creditSpan(stored.spans, from, end, Number.NEGATIVE_INFINITY);
  }
  const newest = stored.spans.at(-1)?.[1] ?? Number.NEGATIVE_INFINITY;
  for (let oldest = stored.spans[0]; oldest; oldest = stored.spans[0]) {
    if (stored.spans.length <= maxCreditedSpans && oldest[1] >= newest - keepCreditedMs) break;
    stored.settledBefore = Math.max(stored.settledBefore, oldest[1]);
    stored.spans.shift();
  }
  return added;
}

/** The stored text (null on a row that never had time credited). */
export function readCredited(text: string | null): CreditedTime {
  if (!text) return { settledBefore: Number.NEGATIVE_INFINITY, spans: [] };
  const { settled_before, spans } = JSON.parse(text) as { settled_before: number | null; spans: Span[] };
  return { settledBefore: settled_before ?? Number.NEGATIVE_INFINITY, spans };
}

export function writeCredited({ settledBefore, spans }: CreditedTime): string {
  return JSON.stringify({ settled_before: Number.isFinite(settledBefore) ? settledBefore : null, spans });
}
