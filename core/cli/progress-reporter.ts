import { SingleBar, Presets } from 'cli-progress';
import type { EventBus, ProgressEvent } from '../events/event-bus';

/**
 * Shows training progress: a progress bar on a terminal, plain periodic lines otherwise (CI logs,
 * pipes), so logs stay readable. Returns a function that stops it.
 */
export function attachProgressReporter(events: EventBus, stream: NodeJS.WriteStream = process.stderr): () => void {
  const interactive = stream.isTTY === true;
  let bar: SingleBar | undefined;
  let lastPrinted = 0;
  const onProgress = (e: ProgressEvent): void => {
    if (interactive) {
      if (!bar) {
        bar = new SingleBar(
          { format: 'epoch {epoch}/{epochs} |{bar}| {value}/{total} steps | loss {loss} | lr {lr} | eta {eta_formatted}', stream, hideCursor: true },
          Presets.shades_classic,
        );
        bar.start(e.totalSteps, 0, fields(e));
      }
      bar.update(e.step + 1, fields(e));
      return;
    }
    const now = Date.now();
    if (now - lastPrinted >= 10_000 || e.step === 0 || e.step + 1 === e.totalSteps) {
      lastPrinted = now;
      stream.write(`step ${e.step + 1}/${e.totalSteps} epoch ${e.epoch}/${e.epochs} batch ${e.batch + 1}/${e.stepsPerEpoch} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(3)}\n`);
    }
  };
  const onLog = ({ level, message }: { level: string; message: string }): void => {
    if (level === 'debug') return;
    const line = `${level === 'info' ? '' : level + ': '}${message}\n`;
    if (bar) bar.updateETA(); // keep the bar's line intact: log above it
    stream.write(bar ? `\r\x1b[K${line}` : line);
  };
  events.on('progress', onProgress);
  events.on('log', onLog);
  return () => {
    bar?.stop();
    events.off('progress', onProgress);
    events.off('log', onLog);
  };
}

function fields(e: ProgressEvent): Record<string, string | number> {
  return { epoch: e.epoch, epochs: e.epochs, loss: e.loss.toFixed(4), lr: e.lr.toExponential(2) };
}
