/**
 * Where the report's axes put their ticks. uPlot picks steps from its own list, which holds
 * seconds and fractions: a ten-minute event got a tick every 30 s, each labelled with the same
 * "19:02", and a count axis ticked 0.2, 0.4 viewers. These lists hold only steps a label can
 * tell apart.
 */

/** Time steps in seconds: whole minutes (the labels say HH:MM), up to a day. */
export const minuteSteps = [60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];

/** Steps for counts of people: whole numbers, 1-2-5 by decade, up to ten million. */
export const countSteps = Array.from({ length: 7 }, (_unused, decade) => [1, 2, 5].map((step) => step * 10 ** decade)).flat();

/** Blanks each label equal to the one before it, so no two neighbouring ticks read the same. */
export function withoutRepeats(labels: readonly string[]): string[] {
  return labels.map((label, index) => (index > 0 && label === labels[index - 1] ? '' : label));
}

/** The gap (CSS px) kept between two neighbouring time labels. */
export const timeLabelGap = 16;

/**
 * The least distance (CSS px) between two time ticks: the widest label the reader's clock
 * writes, and a gap. uPlot's own 50 px let "07:02 PM" labels run into each other on a short
 * event, where the ticks fall a minute apart.
 */
export function timeTickSpace(widestLabelPx: number): number {
  return Math.ceil(widestLabelPx) + timeLabelGap;
}

/** How long a time axis spans at least: an event a few minutes old still reads as a timeline. */
export const shortestTimeSpanSeconds = 30 * 60;

/**
 * The time axis' range (seconds): the samples' own, stretched to `shortestTimeSpanSeconds`
 * from the first one when the event is that young. uPlot alone gives a single sample a whole
 * day, with the curve a dot at its left edge.
 */
export function timeRange(min: number | null, max: number | null): [number | null, number | null] {
  if (min === null || max === null) return [min, max];
  return [min, Math.max(max, min + shortestTimeSpanSeconds)];
}
