import * as fs from 'node:fs';
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
