import { ERROR_EXIT_CODES } from '../errors';

/**
 * First SIGINT/SIGTERM aborts the returned signal (the running step finishes and writes a
 * checkpoint); a second one exits at once. `release` removes the handlers. Same behaviour as
 * `bcl train`'s (kept separate so that commands in their own files need not import main.ts).
 */
export function stopOnSignals(warn: (line: string) => void): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(ERROR_EXIT_CODES.INTERRUPTED);
    warn(`${name}: stopping after this step and writing a checkpoint (send again to exit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
