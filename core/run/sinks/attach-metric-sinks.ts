import * as fs from 'node:fs';
import { writeFileAtomic } from '../../checkpoint/atomic-write';
import type { EventBus, MetricsEvent } from '../../events/event-bus';
import { readMetricsLog } from '../metrics-log';
import { csvFormat } from './csv-format';
import type { MetricFormat, MetricSinkName, TimedMetricsEvent } from './metric-format';
import { tensorboardFormat } from './tensorboard-format';

const FORMATS: Record<Exclude<MetricSinkName, 'jsonl'>, (runDir: string) => MetricFormat> = {
  csv: csvFormat,
  tensorboard: tensorboardFormat,
};

/**
 * Starts the metric sinks a recipe names besides metrics.jsonl (which is always written: eval,
 * report and resume read it). Each sink's file is first rebuilt from `history` — nothing for a
 * fresh run, metrics.jsonl after its rewind for a resume — atomically, so a resumed run has every
 * step exactly once, a partial record left by a kill is gone, and a sink added on resume gets the
 * whole run. Then each event is appended with one synchronous write, like metrics.jsonl.
 *
 * Listeners must not throw: a failed append logs one warning and turns that sink off for the rest
 * of the session (the next resume rebuilds it from metrics.jsonl). Returns a function that
 * unsubscribes every sink.
 */
export function attachMetricSinks(events: EventBus, runDir: string, sinks: readonly MetricSinkName[], history: readonly TimedMetricsEvent[]): () => void {
  const formats = [...new Set(sinks)]
    .filter((name): name is Exclude<MetricSinkName, 'jsonl'> => name !== 'jsonl')
    .map((name) => ({ name, format: FORMATS[name](runDir) }));
  // Every file first, so a failure leaves no listener behind.
  for (const { format } of formats) {
    writeFileAtomic(format.file, Buffer.concat([format.header(history[0]?.time ?? new Date().toISOString()), ...history.map(format.encode)]));
  }
  const listeners = formats.map(({ name, format }) => {
    let broken = false;
    const listener = (event: MetricsEvent): void => {
      if (broken) return;
      try {
        const bytes = format.encode({ time: new Date().toISOString(), ...event });
        if (bytes.length > 0) fs.appendFileSync(format.file, bytes);
      } catch (error) {
        broken = true;
        events.log('warn', `${name} metrics sink: could not append to ${format.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it is off for the rest of this run. metrics.jsonl has every value, and a resume rebuilds ${format.file} from it.`);
      }
    };
    events.on('metrics', listener);
    return listener;
  });
  return () => {
    for (const listener of listeners) events.off('metrics', listener);
  };
}

/** The events of a metrics.jsonl (none when it does not exist), for rebuilding the sinks on resume. */
export function metricsHistory(metricsFile: string): TimedMetricsEvent[] {
  return fs.existsSync(metricsFile) ? (readMetricsLog(metricsFile) as TimedMetricsEvent[]) : [];
}
