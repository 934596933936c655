import { Option, type Command } from 'commander';
import { BACKEND_PREFERENCE, type BackendName } from '../backends/select-backend';
import { runStudy } from '../study/run-study';
import { attachProgressReporter } from './progress-reporter';
import { stopOnSignals } from './stop-on-signals';

/**
 * Adds `bcl study <study.json> [--out dir]`: trains and evaluates a grid of methods x seeds x
 * class permutations plus the floors, resumably, and prints the table with the paired
 * differences against the baseline. docs/study.md. Returns `program`.
 */
export function addStudyCommand(program: Command): Command {
  program
    .command('study')
    .description('run a study: methods x seeds x class permutations, each cell a resumable run, evaluated as it finishes, plus floors; writes table.md, results.json and a report')
    .argument('<study-file>', 'study JSON file (docs/study.md)')
    .option('-o, --out <dir>', 'study folder (default: studies/<study file name>)')
    .addOption(new Option('-b, --backend <name>', 'tensor backend (default: BCL_BACKEND or the best available)').choices([...BACKEND_PREFERENCE]))
    .action(async (file: string, flags: { out?: string; backend?: BackendName }) => {
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      const interrupt = stopOnSignals((line) => log(`warn: ${line}`));
      try {
        const outcome = await runStudy({ file, outDir: flags.out, backend: flags.backend, signal: interrupt.signal, attach: (events, batchSize) => attachProgressReporter(events, { batchSize }), log });
        process.stdout.write(outcome.markdown + `wrote ${outcome.outDir}/table.md and results.json${outcome.report ? ` and ${outcome.report}` : ''}\n`);
      } finally {
        interrupt.release();
      }
    });
  return program;
}
