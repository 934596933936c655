import * as path from 'node:path';
import { Option, type Command } from 'commander';
import { BACKEND_PREFERENCE, type BackendName } from '../backends/select-backend';
import { runDnc } from '../dnc/run-dnc';
import { BclError, isBclError } from '../errors';
import { formatDuration } from './format-duration';
import { attachProgressReporter } from './progress-reporter';
import { stopOnSignals } from './stop-on-signals';
import { evalCommand, shellQuote } from './train-plan';

/**
 * Adds `bcl dnc <dnc.json> [--out dir]`: Divide and Contrast as four resumable stages (base,
 * clusters, experts, distillation) under one folder; the distilled student is `<out>/distill`.
 * docs/methods/dnc.md. Returns `program`.
 */
export function addDncCommand(program: Command): Command {
  program
    .command('dnc')
    .description('run Divide and Contrast: base run, k-means clusters, one expert per cluster, distillation into one student (<out>/distill); rerun to resume')
    .argument('<dnc-file>', 'DnC JSON file (docs/methods/dnc.md), e.g. recipes/dnc/dnc-simclr_resnet18-w8_b128-cos_fashion-mnist-lt-embedded.json')
    .option('-o, --out <dir>', 'DnC folder (default: runs/<DnC file name>)')
    .addOption(new Option('-b, --backend <name>', 'tensor backend (default: BCL_BACKEND or the best available)').choices([...BACKEND_PREFERENCE]))
    .action(async (file: string, flags: { out?: string; backend?: BackendName }) => {
      const started = Date.now();
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      const interrupt = stopOnSignals((line) => log(`warn: ${line}`));
      const outDir = flags.out ?? path.join('runs', path.basename(file, '.json'));
      try {
        const outcome = await runDnc({ file, outDir, backend: flags.backend, signal: interrupt.signal, attach: (events, batchSize) => attachProgressReporter(events, { batchSize }), log });
        const student = path.relative(process.cwd(), outcome.layout.distillDir) || '.';
        process.stdout.write(
          `done: DnC in ${formatDuration((Date.now() - started) / 1000)}; ${outcome.clusters.sizes.length} clusters of ${outcome.clusters.sizes.join(', ')} samples; student ${student}\n` +
            `next: ${evalCommand(student)}\n`,
        );
      } catch (error) {
        if (isBclError(error) && error.code === 'INTERRUPTED') {
          const again = ['bcl', 'dnc', file, '--out', outDir, ...(flags.backend ? ['--backend', flags.backend] : [])].map(shellQuote).join(' ');
          const message = error.hint ? error.message.slice(0, error.message.length - ` Hint: ${error.hint}`.length) : error.message;
          throw new BclError('INTERRUPTED', message, { hint: `Continue with: ${again}`, cause: error });
        }
        throw error;
      } finally {
        interrupt.release();
      }
    });
  return program;
}
