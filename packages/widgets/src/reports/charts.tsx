import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { EventReport } from '@palco/sdk';
import type { Formatters } from '../format.js';
import { lightPalette } from '../tokens.js';
import { countSteps, minuteSteps, timeRange, timeTickSpace, withoutRepeats } from './axis-ticks.js';
import type { ReportTexts } from './texts.js';

const chartHeight = 240;

/** The element's themed colours, for drawing on a canvas (which cannot read custom properties). */
function themeColours(element: Element) {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    accent: read('--_accent', lightPalette.accent),
    muted: read('--_muted', lightPalette.muted),
    border: read('--_border', lightPalette.border),
    fg: read('--_fg', lightPalette.fg),
  };
}

type BuildChart = (element: HTMLElement, width: number) => uPlot;

/**
 * One uPlot chart in a container that tells it its width: built again when `version`
 * changes (new data on each refresh, a few points) and resized with the container.
 */
function UPlotChart(props: { build: BuildChart; version: string; label: string; points: number }) {
  const container = useRef<HTMLDivElement>(null);
  const build = useRef(props.build);
  build.current = props.build;
  useEffect(() => {
    const element = container.current!;
    const plot = build.current(element, element.clientWidth || 600);
    const resize = new ResizeObserver(() => {
      if (element.clientWidth > 0) plot.setSize({ width: element.clientWidth, height: chartHeight });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.version]);
  return <div class="chart" ref={container} role="img" aria-label={props.label} data-points={props.points} />;
}

interface ChartProps {
  report: EventReport;
  texts: ReportTexts;
  /** Changes when the chart must be drawn again: new data or another language. */
  version: string;
}

const axisFont = '12px system-ui, sans-serif';

function axis(colours: ReturnType<typeof themeColours>, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: colours.muted,
    grid: { stroke: colours.border, width: 1 },
    ticks: { stroke: colours.border, width: 1 },
    font: axisFont,
    ...extra,
  };
}

/** How wide (CSS px) the reader's clock writes its widest time, in the axis' font. */
function widestTimeLabel(format: Formatters): number {
  const context = document.createElement('canvas').getContext('2d');
  // Late morning and late evening: the longest hours and the AM/PM suffix, where the locale has one.
  const samples = [new Date(2050, 0, 1, 10, 58), new Date(2050, 0, 1, 22, 58)].map((date) => format.time(date.getTime()));
  if (!context) return Math.max(...samples.map((label) => label.length)) * 8;
  context.font = axisFont;
  return Math.max(...samples.map((label) => context.measureText(label).width));
}

/**
 * The viewer samples and the reactions per minute on one time axis (seconds): a minute with
 * only one of them leaves a gap in the other.
 */
export function concurrencySeries(report: Pick<EventReport, 'curve' | 'reactions'>): {
  times: number[];
  viewers: Array<number | null>;
  reactions: Array<number | null>;
} {
  const viewersAt = new Map(report.curve.map((point) => [Date.parse(point.at) / 1000, point.viewers]));
  const reactionsAt = new Map(
    report.reactions.map((minute) => [Date.parse(minute.at) / 1000, Object.values(minute.counts).reduce((sum, count) => sum + count, 0)]),
  );
  const times = [...new Set([...viewersAt.keys(), ...reactionsAt.keys()])].sort((a, b) => a - b);
  return { times, viewers: times.map((time) => viewersAt.get(time) ?? null), reactions: times.map((time) => reactionsAt.get(time) ?? null) };
}

/** Viewers sampled each minute over the event's time, the peak marked with its value and time, and the reactions per minute. */
export function ConcurrencyChart({ report, texts, format, version }: ChartProps & { format: Formatters }) {
  const { curve, peak } = report;
  const build: BuildChart = (element, width) => {
    const colours = themeColours(element);
    const { times, viewers, reactions } = concurrencySeries(report);
    const markPeak = (plot: uPlot) => {
      if (!peak) return;
      const ratio = uPlot.pxRatio;
      const x = plot.valToPos(Date.parse(peak.at) / 1000, 'x', true);
      const y = plot.valToPos(peak.viewers, 'y', true);
      const context = plot.ctx;
      context.save();
      context.fillStyle = colours.accent;
      context.beginPath();
      context.arc(x, y, 5 * ratio, 0, 2 * Math.PI);
      context.fill();
      context.font = `600 ${12 * ratio}px system-ui, sans-serif`;
      const onRight = x < plot.bbox.left + plot.bbox.width / 2;
      context.textAlign = onRight ? 'left' : 'right';
      context.textBaseline = 'bottom';
      context.fillText(texts.peakLabel(peak.viewers, format.time(peak.at)), x + (onRight ? 8 : -8) * ratio, y - 6 * ratio);
      context.restore();
    };
    return new uPlot(
      {
        width,
        height: chartHeight,
        scales: {
          x: { time: true, range: (_plot, min, max) => timeRange(min, max) as uPlot.Range.MinMax },
          y: { range: (_plot, _min, max) => [0, Math.max(1, Math.ceil(max * 1.15))] },
          reactions: { range: (_plot, _min, max) => [0, Math.max(1, Math.ceil(max * 1.15))] },
        },
        series: [
          { label: texts.timeAxis, value: (_plot, value) => (value == null ? '' : format.time(value * 1000)) },
          {
            label: texts.concurrencySeries,
            stroke: colours.accent,
            width: 2,
            fill: `color-mix(in srgb, ${colours.accent} 14%, transparent)`,
            points: { show: curve.length < 3 },
            spanGaps: true,
          },
          {
            label: texts.reactionsSeries,
            scale: 'reactions',
            stroke: colours.fg,
            width: 1.5,
            dash: [6, 4],
            spanGaps: true,
            points: { show: report.reactions.length < 3 },
          },
        ],
        axes: [
          axis(colours, {
            incrs: minuteSteps,
            space: timeTickSpace(widestTimeLabel(format)),
            values: (_plot, splits) => withoutRepeats(splits.map((split) => format.time(split * 1000))),
          }),
          axis(colours, { incrs: countSteps }),
          axis(colours, { scale: 'reactions', side: 1, grid: { show: false } }),
        ],
        hooks: { draw: [markPeak] },
      },
      [times, viewers, reactions],
      element,
    );
  };
  if (curve.length === 0 && report.reactions.length === 0) return <p class="hint">{texts.concurrencyEmpty}</p>;
  return <UPlotChart build={build} version={version} label={texts.concurrencyTitle} points={curve.length + report.reactions.length} />;
}

/** How many attendees watched how long: one bar per bucket of minutes. */
export function DistributionChart({ report, texts, version }: ChartProps) {
  const buckets = report.distribution;
  const build: BuildChart = (element, width) => {
    const colours = themeColours(element);
    const labels = buckets.map((bucket) => texts.bucket(bucket.from_minutes, bucket.to_minutes));
    const positions = buckets.map((_bucket, index) => index);
    return new uPlot(
      {
        width,
        height: chartHeight,
        scales: {
          x: { time: false, range: [-0.5, buckets.length - 0.5] },
          y: { range: (_plot, _min, max) => [0, Math.max(1, Math.ceil(max * 1.15))] },
        },
        series: [
          { label: texts.minutesAxis, value: (_plot, value) => (value == null ? '' : (labels[value] ?? '')) },
          {
            label: texts.distributionSeries,
            stroke: colours.accent,
            fill: colours.accent,
            paths: uPlot.paths.bars!({ size: [0.7, 72] }),
            points: { show: false },
          },
        ],
        axes: [
          axis(colours, {
            label: texts.minutesAxis,
            labelSize: 20,
            // On a phone the bucket names would run into each other: slanted, they fit.
            ...(width < 520 ? { rotate: -35, size: 44 } : {}),
            splits: () => positions,
            values: (_plot, splits) => splits.map((split) => labels[split] ?? ''),
            grid: { show: false },
          }),
          axis(colours, { incrs: countSteps }),
        ],
        cursor: { points: { show: false } },
      },
      [positions, buckets.map((bucket) => bucket.participants)],
      element,
    );
  };
  return <UPlotChart build={build} version={version} label={texts.distributionTitle} points={buckets.length} />;
}
