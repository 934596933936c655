import * as path from 'node:path';
import { scalarValues, type MetricFormat, type TimedMetricsEvent } from './metric-format';

/** Columns of metrics.csv: one row per scalar ("long" format, so plugins may add metrics at any time). */
export const CSV_COLUMNS = ['time', 'scope', 'epoch', 'step', 'metric', 'index', 'value'] as const;

/**
 * `metrics.csv`: RFC 4180 CSV, one row per value of every metrics event; `index` is empty for
 * scalars and the element index for array metrics (e.g. `bcl/scoreHistogram`). Values are
 * written with JavaScript's shortest round-trip formatting; NaN as `nan`.
 */
export function csvFormat(runDir: string): MetricFormat {
  return {
    file: path.join(runDir, 'metrics.csv'),
    header: () => Buffer.from(CSV_COLUMNS.join(',') + '\r\n', 'utf8'),
    encode: (event: TimedMetricsEvent) =>
      Buffer.from(
        scalarValues(event)
          .map(({ name, index, value }) =>
            [event.time, event.scope, String(event.epoch), String(event.step), csvField(name), index === undefined ? '' : String(index), Number.isNaN(value) ? 'nan' : String(value)].join(',') + '\r\n',
          )
          .join(''),
        'utf8',
      ),
  };
}

/** Quotes a field that holds a comma, quote or line break, doubling inner quotes (RFC 4180). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
