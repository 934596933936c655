import * as fs from 'node:fs';
import * as path from 'node:path';
import { scalarValues, type MetricFormat, type TimedMetricsEvent } from './metric-format';
import { fileVersionEvent, scalarsEvent } from './tensorboard-event';
import { frameTfRecord } from './tfrecord';

/** Suffix of the event files this sink writes; TensorBoard needs `tfevents` in the name. */
const SUFFIX = '.bcl-ssl';
const PREFIX = 'events.out.tfevents.';

/**
 * A TensorBoard event file in the run folder (`events.out.tfevents.<unix seconds>.bcl-ssl`), so
 * `tensorboard --logdir runs` shows each run folder as one run. Every metrics event becomes one
 * `Event` at its global step with the scalar tags `<scope>/<metric>` (`step/loss`, `epoch/loss`,
 * `epoch/knn/top1`); array metrics (histograms) stay in metrics.jsonl and `bcl report`. A resumed
 * run reuses its file, so TensorBoard sees one continuous history.
 */
export function tensorboardFormat(runDir: string): MetricFormat {
  const existing = fs.existsSync(runDir) ? fs.readdirSync(runDir).filter((f) => f.startsWith(PREFIX) && f.endsWith(SUFFIX)).sort() : [];
  const name = existing[0] ?? `${PREFIX}${Math.floor(Date.now() / 1000)}${SUFFIX}`;
  return {
    file: path.join(runDir, name),
    header: (firstTime) => frameTfRecord(fileVersionEvent(wallTime(firstTime))),
    encode: (event: TimedMetricsEvent) => {
      const scalars = scalarValues(event)
        .filter((s) => s.index === undefined)
        .map((s) => [`${event.scope}/${s.name}`, s.value] as const);
      return scalars.length === 0 ? Buffer.alloc(0) : frameTfRecord(scalarsEvent(wallTime(event.time), event.step, scalars));
    },
  };
}

function wallTime(iso: string): number {
  return Date.parse(iso) / 1000;
}
