import type { VegaLiteSpec } from './render-chart';

/** Chart size in SVG units for single-panel charts; the whole image, axes and legend included. */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 320;

const fit = { type: 'fit', contains: 'padding' };
const legend = { orient: 'bottom', title: null, labelLimit: 0, columns: 1 };

/** One point of a line chart: `series` names the line (a run, an epoch). */
export interface LinePoint {
  readonly series: string;
  readonly x: number;
  readonly y: number;
}

/** Options of {@link lineChartSpec}. */
export interface LineChartOptions {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly yScale?: 'linear' | 'log';
  /** Fixed y range, e.g. [0, 100] for accuracies. */
  readonly yDomain?: readonly [number, number];
  readonly points?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** Lines of `y` against `x`, one colour per series (training loss, learning rate, kNN accuracy). */
export function lineChartSpec(data: readonly LinePoint[], options: LineChartOptions): VegaLiteSpec {
  return {
    title: options.title,
    width: options.width ?? CHART_WIDTH,
    height: options.height ?? CHART_HEIGHT,
    autosize: fit,
    data: { values: data },
    mark: { type: 'line', point: options.points ?? false, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xTitle },
      y: {
        field: 'y',
        type: 'quantitative',
        title: options.yTitle,
        scale: { type: options.yScale ?? 'linear', zero: false, ...(options.yDomain ? { domain: [...options.yDomain] } : {}) },
      },
      color: { field: 'series', type: 'nominal', legend, sort: null },
    },
  };
}

/** One bar of the Many / Medium / Few chart. */
export interface GroupBar {
  readonly run: string;
  /** e.g. `linear full-shot`, `linear 100-shot`, `kNN`. */
  readonly protocol: string;
  readonly group: 'Many' | 'Medium' | 'Few';
  readonly accuracy: number;
  /** Seed-to-seed std, drawn as an error bar when present. */
  readonly std?: number;
}

/** Many / Medium / Few accuracy bars, runs side by side, one panel per protocol. */
export function groupBarsSpec(data: readonly GroupBar[], panelWidth = 200, height = 240): VegaLiteSpec {
  const values = data.map((d) => ({ ...d, low: Math.max(0, d.accuracy - (d.std ?? 0)), high: Math.min(100, d.accuracy + (d.std ?? 0)) }));
  return {
    title: 'Top-1 accuracy by class frequency group',
    data: { values },
    facet: { column: { field: 'protocol', type: 'nominal', title: null, sort: [...new Set(data.map((d) => d.protocol))], header: { labelFontSize: 12 } } },
    spec: {
      width: panelWidth,
      height,
      encoding: {
        x: { field: 'group', type: 'nominal', sort: ['Many', 'Medium', 'Few'], title: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'run', type: 'nominal', sort: null },
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'accuracy', type: 'quantitative', title: 'top-1 accuracy (%)', scale: { domain: [0, 100], clamp: true } },
            color: { field: 'run', type: 'nominal', legend, sort: null },
          },
        },
        { mark: { type: 'rule' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
        {
          mark: { type: 'text', dy: -6, fontSize: 9 },
          encoding: { y: { field: 'high', type: 'quantitative' }, text: { field: 'accuracy', type: 'quantitative', format: '.1f' } },
        },
      ],
    },
  };
}

/** One class of one run in the per-class chart. */
export interface ClassPoint {
  readonly run: string;
  readonly className: string;
  /** Training images of the class (the long-tailed count). */
  readonly count: number;
  readonly accuracy: number;
}

/** Per-class accuracy against the class's training frequency (log scale), one colour per run. */
export function perClassSpec(data: readonly ClassPoint[], title: string): VegaLiteSpec {
  return {
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: fit,
    data: { values: data },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1, opacity: 0.6 },
        encoding: {
          x: { field: 'count', type: 'quantitative', scale: { type: 'log' }, title: 'training images of the class (log scale)' },
          y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 100] }, title: 'top-1 accuracy (%)' },
          color: { field: 'run', type: 'nominal', legend, sort: null },
          order: { field: 'count', type: 'quantitative' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 'count', type: 'quantitative' },
          y: { field: 'accuracy', type: 'quantitative' },
          color: { field: 'run', type: 'nominal', sort: null },
          tooltip: [{ field: 'className' }, { field: 'count' }, { field: 'accuracy', format: '.1f' }],
        },
      },
    ],
  };
}

/** One cell of the memorization-score histogram: samples of `epoch` with a score in `bin`. */
export interface HistogramCell {
  readonly epoch: number;
  /** Lower edge of the bin in [0, 1). */
  readonly low: number;
  readonly high: number;
  readonly count: number;
}

/** A title with the run's name as a subtitle, both cut to the chart width so a long name cannot squeeze the plot. */
function runTitle(text: string, run: string): Record<string, unknown> {
  return { text, subtitle: run, limit: CHART_WIDTH - 40, subtitleFontSize: 11, subtitleColor: '#555' };
}

/** BCL's memorization scores over epochs for run `run`: a heat map of epoch x score bin, darker = more samples. */
export function scoreHistogramSpec(data: readonly HistogramCell[], run: string): VegaLiteSpec {
  return {
    title: runTitle('Memorization scores over epochs', run),
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: fit,
    data: { values: data.map((d) => ({ ...d, bin: `${d.low.toFixed(1)}-${d.high.toFixed(1)}` })) },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'epoch', type: 'ordinal', title: 'epoch', axis: { labelAngle: 0 } },
      y: { field: 'bin', type: 'ordinal', sort: 'descending', title: 'score (0 easy, 1 hard)' },
      color: { field: 'count', type: 'quantitative', title: 'samples', scale: { scheme: 'blues' } },
      tooltip: [{ field: 'epoch' }, { field: 'bin' }, { field: 'count' }],
    },
  };
}

/** Mean memorization score of one class at one epoch; `rank` 0 is the most frequent class. */
export interface HeadToTailPoint {
  readonly epoch: number;
  readonly rank: number;
  readonly className: string;
  readonly meanScore: number;
}

/** BCL's mean score per class of run `run`, ordered head to tail, one line per epoch (viridis: later epochs lighter). */
export function headToTailSpec(data: readonly HeadToTailPoint[], run: string): VegaLiteSpec {
  return {
    title: runTitle('Mean memorization score per class, head to tail', run),
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: fit,
    data: { values: data.map((d) => ({ ...d, label: `${d.rank + 1}. ${d.className}` })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'label', type: 'ordinal', sort: { field: 'rank' }, title: 'class, most to least frequent', axis: { labelAngle: -30 } },
      y: { field: 'meanScore', type: 'quantitative', title: 'mean score', scale: { zero: false } },
      color: { field: 'epoch', type: 'ordinal', scale: { scheme: 'viridis' }, title: 'epoch' },
    },
  };
}
