import type { EventBus, LogEvent, ProgressEvent } from '../events/event-bus';
import { formatDuration } from './format-duration';

/** Options of `attachProgressReporter`. */
export interface ProgressReporterOptions {
  /** Where to draw (default: stderr). A TTY gets a live line; anything else plain lines. */
  readonly stream?: NodeJS.WriteStream;
  /** Samples per step, for images/s (the recipe's `data.batchSize`). */
  readonly batchSize: number;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}

/** Redraws of the live line at most this often (the last step of an epoch always draws). */
const REDRAW_MS = 100;
/** Plain-line mode prints at most this often. */
const PLAIN_MS = 10_000;

/**
 * Shows training progress. On a terminal: one live line (`\r` + text + erase-to-end, cut to the
 * terminal width so it never wraps); a log line first erases it, prints the log with its newline,
 * and draws it again below; stopping erases it. Nothing saves and restores the cursor, so the lines
 * printed during and after the run stay where they are (cli-progress's SingleBar restored a
 * cursor position saved before the run's logs scrolled, overwriting the last lines in tmux and
 * `script`). Elsewhere (CI logs, pipes): plain periodic lines. Both show images/s (samples per
 * second over the last steps) and the time left. Returns a function that stops it.
 */
export function attachProgressReporter(events: EventBus, options: ProgressReporterOptions): () => void {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const interactive = stream.isTTY === true;
  const rate = new StepRate(now);
  let line = ''; // the live line as last drawn ('' when none is shown)
  let lastDraw = -Infinity;
  let lastPlain = -Infinity;

  // One column short of the width: writing the last column makes some terminals wrap early.
  const width = (): number => Math.max(20, (stream.columns || 80) - 1);
  const draw = (text: string): void => {
    line = text.length > width() ? text.slice(0, width() - 1) + '…' : text;
    stream.write(`\r${line}\x1b[K`);
  };
  const onProgress = (e: ProgressEvent): void => {
    rate.record(e.step);
    const t = now();
    const epochEnd = e.batch + 1 === e.stepsPerEpoch;
    if (interactive) {
      if (epochEnd || t - lastDraw >= REDRAW_MS) {
        lastDraw = t;
        draw(liveLine(e, rate, options.batchSize, width()));
      }
      return;
    }
    if (t - lastPlain >= PLAIN_MS || e.step === 0 || e.step + 1 === e.totalSteps) {
      lastPlain = t;
      stream.write(`${plainLine(e, rate, options.batchSize)}\n`);
    }
  };
  const onLog = ({ level, message }: LogEvent): void => {
    if (level === 'debug') return;
    const text = `${level === 'info' ? '' : level + ': '}${message}`;
    if (!line) {
      stream.write(`${text}\n`);
      return;
    }
    const shown = line;
    stream.write(`\r\x1b[K${text}\n`);
    line = '';
    draw(shown);
  };
  events.on('progress', onProgress);
  events.on('log', onLog);
  return () => {
    events.off('progress', onProgress);
    events.off('log', onLog);
    if (line) stream.write('\r\x1b[K');
    line = '';
  };
}

/** Steps per second over the last few seconds of steps. */
class StepRate {
  private readonly samples: { step: number; time: number }[] = [];
  constructor(private readonly now: () => number) {}

  record(step: number): void {
    const time = this.now();
    this.samples.push({ step, time });
    // Keep ~5 s of history (and at least two samples) so the rate follows the current speed.
    while (this.samples.length > 2 && time - this.samples[1].time > 5000) this.samples.shift();
  }

  /** Steps per second, or undefined before two steps were seen. */
  perSecond(): number | undefined {
    if (this.samples.length < 2) return undefined;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.time - first.time) / 1000;
    return seconds > 0 ? (last.step - first.step) / seconds : undefined;
  }
}

function speed(e: ProgressEvent, rate: StepRate, batchSize: number): { images: string; eta: string } {
  const perSecond = rate.perSecond();
  if (perSecond === undefined) return { images: '… img/s', eta: 'eta …' };
  const images = perSecond * batchSize;
  const left = (e.totalSteps - e.step - 1) / perSecond;
  return { images: `${images >= 100 ? images.toFixed(0) : images.toPrecision(3)} img/s`, eta: `eta ${formatDuration(left)}` };
}

/** `epoch 2/5 |█████░░░░░| 12/32 | 294 img/s | loss 1.8919 | lr 4.58e-1 | eta 5.1 s`, the bar sized to fit `width`. */
function liveLine(e: ProgressEvent, rate: StepRate, batchSize: number, width: number): string {
  const { images, eta } = speed(e, rate, batchSize);
  const head = `epoch ${e.epoch}/${e.epochs} `;
  const tail = ` ${e.batch + 1}/${e.stepsPerEpoch} | ${images} | loss ${e.loss.toFixed(4)} | lr ${e.lr.toExponential(2)} | ${eta}`;
  const barWidth = Math.min(30, width - head.length - tail.length - 2);
  if (barWidth < 5) return `${head}${tail.trimStart()}`;
  const filled = Math.round(((e.batch + 1) / e.stepsPerEpoch) * barWidth);
  return `${head}|${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}|${tail}`;
}

/** `step 3/64 epoch 1/2 batch 3/32 loss 1.8919 lr 4.583e-1 294 img/s eta 5.1 s` */
function plainLine(e: ProgressEvent, rate: StepRate, batchSize: number): string {
  const { images, eta } = speed(e, rate, batchSize);
  return `step ${e.step + 1}/${e.totalSteps} epoch ${e.epoch}/${e.epochs} batch ${e.batch + 1}/${e.stepsPerEpoch} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(3)} ${images} ${eta}`;
}
