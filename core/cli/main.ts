#!/usr/bin/env node
import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import * as path from 'node:path';
import { registerBuiltinPlugins } from '../../plugins/index';
import { BACKEND_PREFERENCE, type BackendName } from '../backends/select-backend';
import { applyCpuThreads } from '../backends/wasm-threads/wasm-threads-choice';
import { BclError, ERROR_EXIT_CODES, isBclError } from '../errors';
import { EventBus } from '../events/event-bus';
import { registeredPlugins } from '../plugin/plugin-registry';
import { listBuiltinRecipes } from '../recipes/recipe-loader';
import { resolveRecipe } from '../recipes/resolve-recipe';
import { train } from '../run/train';
import { attachProgressReporter } from './progress-reporter';
import { addEvalCommand } from './eval-command';
import { addReportCommand } from './report-command';
import { addStudyCommand } from './study-command';
import { addFinetuneCommand } from './finetune-command';
import { addTransferCommand } from './transfer-command';

/** The recipe `bcl train` runs when none is named: SimCLR on the embedded Fashion-MNIST-LT set. */
export const DEFAULT_RECIPE = 'simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded';

function parseThreads(value: string): number {
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError(`--threads must be an integer >= 1, but got "${value}".`);
  return threads;
}

function buildProgram(): Command {
  const program = new Command('bcl')
    .description('Self-supervised learning on TensorFlow.js, with Boosted Contrastive Learning for long-tailed data.')
    .showHelpAfterError()
    .showSuggestionAfterError()
    // Before any subcommand is added, so they inherit it: usage errors come back as exceptions.
    .exitOverride();

  program
    .command('train')
    .description('train a recipe; writes recipe.json, metrics.jsonl and checkpoints/ to the run folder')
    .option('-r, --recipe <name-or-path>', 'recipe name (see `bcl recipe list`) or path to a .json file', DEFAULT_RECIPE)
    .option('-o, --out <dir>', 'run folder (default: runs/<recipe name>)')
    .option('--resume', 'continue from the newest valid checkpoint in the run folder', false)
    .addOption(new Option('-b, --backend <name>', 'tensor backend (default: BCL_BACKEND or the best available)').choices([...BACKEND_PREFERENCE]))
    .option('-t, --threads <n>', 'CPU threads of the wasm kernels: oneDNN when built, else the threaded wasm binary (default: every core)', parseThreads)
    .action(async (opts: { recipe: string; out?: string; resume: boolean; backend?: BackendName; threads?: number }) => {
      if (opts.threads !== undefined) applyCpuThreads(opts.threads);
      const recipe = resolveRecipe(opts.recipe);
      const outDir = opts.out ?? path.join('runs', path.basename(opts.recipe, '.json'));
      const events = new EventBus();
      const stop = attachProgressReporter(events);
      const interrupt = stopOnSignals(events);
      try {
        const result = await train({ recipe, outDir, resume: opts.resume, backend: opts.backend, events, signal: interrupt.signal });
        stop();
        const last = result.epochLosses.at(-1);
        process.stdout.write(`done: ${result.epochs} epochs, ${result.steps} steps on ${result.backend}; final epoch loss ${last?.toFixed(4) ?? 'n/a'}; run folder ${outDir}\n`);
      } finally {
        stop();
        interrupt.release();
      }
    });

  const recipe = program.command('recipe').description('inspect recipes');
  recipe
    .command('show <name-or-path>')
    .description('print the fully resolved recipe (extends applied, defaults filled in)')
    .action((name: string) => {
      process.stdout.write(JSON.stringify(resolveRecipe(name), null, 2) + '\n');
    });
  recipe
    .command('list')
    .description('list the shipped recipes')
    .action(() => {
      process.stdout.write(listBuiltinRecipes().join('\n') + '\n');
    });

  program
    .command('plugins')
    .description('list the registered method and add-on plugins')
    .action(() => {
      for (const d of registeredPlugins()) process.stdout.write(`${d.name.padEnd(12)} ${d.kind.padEnd(7)} ${d.description}\n`);
    });
  addTransferCommand(addFinetuneCommand(addStudyCommand(addReportCommand(addEvalCommand(program)))));
  return program;
}

/**
 * First SIGINT/SIGTERM: finish the step, write a checkpoint, exit with code 130 (INTERRUPTED).
 * A second one exits at once.
 */
function stopOnSignals(events: EventBus): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(ERROR_EXIT_CODES.INTERRUPTED);
    events.log('warn', `${name}: stopping after this step and writing a checkpoint (send again to exit at once)`);
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

/** Runs the CLI with `argv`; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  registerBuiltinPlugins();
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    // commander already printed help or the usage problem.
    return code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help' ? 0 : ERROR_EXIT_CODES.USAGE;
  }
  if (isBclError(error)) {
    process.stderr.write(`error [${error.code}]: ${error.message}\n`);
    return (error as BclError).exitCode;
  }
  process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
