import { EventEmitter } from 'eventemitter3';

/** A log line for humans. */
export interface LogEvent {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

/** Where training is; emitted after every step. */
export interface ProgressEvent {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly stepsPerEpoch: number;
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  readonly lr: number;
}

/** Numbers for the metrics log: one per step and one per epoch. Plain values only. */
export interface MetricsEvent {
  readonly scope: 'step' | 'epoch';
  readonly epoch: number;
  /** Global 0-based step (for epoch scope: the last step of the epoch). */
  readonly step: number;
  readonly values: Readonly<Record<string, number | readonly number[]>>;
}

/** Typed events of a run. Listeners only watch: they must not throw (emit does not catch). */
export interface TrainerEvents {
  log: (event: LogEvent) => void;
  progress: (event: ProgressEvent) => void;
  metrics: (event: MetricsEvent) => void;
}

/** The run's observer bus (eventemitter3, synchronous). */
export class EventBus extends EventEmitter<TrainerEvents> {
  log(level: LogEvent['level'], message: string): void {
    this.emit('log', { level, message });
  }
}
