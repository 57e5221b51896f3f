import { readFileSync } from 'node:fs';

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** Resident memory of a process, in bytes. */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` over `items` with at most `limit` at once. */
export async function pool(items, limit, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  });
  await Promise.all(workers);
}

/**
 * Whether viewer `index` of `count` measures latency: `samples` of them, spread evenly over the
 * join order. A server writes a broadcast to its sockets in join order, so the first joiners
 * alone would see every frame early and understate the latency.
 */
export function isLatencySample(index, count, samples) {
  return index % Math.max(1, Math.floor(count / samples)) === 0;
}

/** Longest latency a histogram tells apart, in ms; longer ones fall in its last bucket. */
const histogramMaxMs = 60_000;

/**
 * Latencies in 1 ms buckets: a load process sends only the buckets it filled, and the
 * percentiles of all processes merged are exact rather than the worst of each one's.
 */
export class LatencyHistogram {
  counts = new Uint32Array(histogramMaxMs + 1);

  add(ms) {
    this.counts[Math.min(histogramMaxMs, Math.max(0, Math.round(ms)))] += 1;
  }

  reset() {
    this.counts.fill(0);
  }

  /** The filled buckets as `[ms, count]` pairs, for IPC. */
  entries() {
    const entries = [];
    this.counts.forEach((count, ms) => {
      if (count) entries.push([ms, count]);
    });
    return entries;
  }
}

/** `{count, p50, p95, p99, max}` (ms) of the `[ms, count]` pairs of several histograms. */
export function summarizeHistograms(entryLists) {
  const merged = new Map();
  for (const [ms, count] of entryLists.flat()) merged.set(ms, (merged.get(ms) ?? 0) + count);
  const buckets = [...merged].sort((a, b) => a[0] - b[0]);
  const count = buckets.reduce((sum, [, n]) => sum + n, 0);
  const at = (p) => {
    const rank = Math.max(1, Math.ceil((p / 100) * count));
    let seen = 0;
    for (const [ms, n] of buckets) {
      seen += n;
      if (seen >= rank) return ms;
    }
    return NaN;
  };
  return { count, p50: at(50), p95: at(95), p99: at(99), max: count ? buckets[buckets.length - 1][0] : NaN };
}

/**
 * Digits written as symbols for chat text. Palco's word filter reads digits as the letters
 * they resemble (its leetspeak table: "717" reads "tit"), so a send time written in digits
 * now and then gets a message held for review, which the bench would count as lost.
 */
const digitSymbols = '#%+*~^=_:9';
const encodeDigits = (number) => String(number).replace(/\d/g, (digit) => digitSymbols[Number(digit)]);

/** Chat text `<prefix> <send time>`, the time (ms since the epoch) in symbols no filter reads as words. */
export function stampedText(prefix, at = Date.now()) {
  return `${prefix} ${encodeDigits(at)}`;
}

/** The send time written by stampedText, or NaN. */
export function sentAtOf(text) {
  const stamp = text.slice(text.lastIndexOf(' ') + 1);
  return Number([...stamp].map((symbol) => digitSymbols.indexOf(symbol)).join(''));
}

/** A prefix for one step's messages, made of symbols only, for the same reason. */
export const stepTag = (index) => `~${encodeDigits(index)}~`;
