import * as fs from 'node:fs';
import { writeFileAtomic } from '../checkpoint/atomic-write';
import type { EventBus, MetricsEvent } from '../events/event-bus';

/**
 * Appends every metrics event to a JSONL file, one synchronous append per line, so a killed run
 * loses at most the line being written. Returns a function that unsubscribes.
 */
export function attachMetricsLog(events: EventBus, file: string): () => void {
  const listener = (event: MetricsEvent): void => {
    fs.appendFileSync(file, JSON.stringify({ time: new Date().toISOString(), ...event }) + '\n');
  };
  events.on('metrics', listener);
  return () => events.off('metrics', listener);
}

/** Reads a metrics log, tolerating a partial last line (a run killed mid-write). */
export function readMetricsLog(file: string): MetricsEvent[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const events: MetricsEvent[] = [];
  lines.forEach((line, i) => {
    try {
      events.push(JSON.parse(line) as MetricsEvent);
    } catch (error) {
      if (i !== lines.length - 1) throw new Error(`${file}: line ${i + 1} is not JSON (${(error as Error).message})`);
    }
  });
  return events;
}

/**
 * Before a resume: drops the log lines of work the resumed run will redo (steps at or after
 * `stepsDone`, epochs after `epochsDone`) and a partial last line, so no step appears twice.
 * Rewritten atomically: a crash here leaves the old log.
 */
export function rewindMetricsLog(file: string, stepsDone: number, epochsDone: number): number {
  if (!fs.existsSync(file)) return 0;
  const kept = readMetricsLog(file).filter((e) => (e.scope === 'step' ? e.step < stepsDone : e.epoch <= epochsDone));
  const text = kept.map((e) => JSON.stringify(e) + '\n').join('');
  writeFileAtomic(file, Buffer.from(text, 'utf8'));
  return kept.length;
}
