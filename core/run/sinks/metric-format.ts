import type { MetricsEvent } from '../../events/event-bus';

/** Names of the metric sinks a recipe can choose (`logging.sinks`, `bcl train --log`). */
export const METRIC_SINK_NAMES = ['jsonl', 'csv', 'tensorboard'] as const;
export type MetricSinkName = (typeof METRIC_SINK_NAMES)[number];

/** A metrics event with the wall-clock time it was logged (ISO 8601), as metrics.jsonl stores it. */
export type TimedMetricsEvent = MetricsEvent & { readonly time: string };

/**
 * How one sink turns events into bytes. A sink file is always `header` followed by one `encode`
 * chunk per event, so it can be appended to during a run and rebuilt from metrics.jsonl on resume.
 */
export interface MetricFormat {
  /** The file in the run folder this format writes (it may reuse one a previous session made). */
  readonly file: string;
  /** What the file starts with; `firstTime` is the first event's time, or now for an empty run. */
  header(firstTime: string): Buffer;
  /** The bytes of one event (empty when the format has nothing to say about it). */
  encode(event: TimedMetricsEvent): Buffer;
}

/**
 * An event's values as named scalars: a number as itself, an array element-wise with its index
 * (`bcl/scoreHistogram`, 3). A value JSON could not store (NaN, Infinity: `null` in metrics.jsonl)
 * is NaN, so a live event and its metrics.jsonl copy give the same scalars.
 */
export function scalarValues(event: MetricsEvent): { name: string; index?: number; value: number }[] {
  const out: { name: string; index?: number; value: number }[] = [];
  for (const [name, value] of Object.entries(event.values)) {
    if (Array.isArray(value)) value.forEach((v: number | null, index) => out.push({ name, index, value: finiteOrNaN(v) }));
    else out.push({ name, value: finiteOrNaN(value as number | null) });
  }
  return out;
}

function finiteOrNaN(value: number | null): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : NaN;
}
