#!/usr/bin/env node
import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { registerBuiltinPlugins } from '../../plugins/index';
import { BACKEND_PREFERENCE } from '../backends/select-backend';
import { BclError, ERROR_EXIT_CODES, isBclError } from '../errors';
import { listBuiltinRecipes } from '../recipes/recipe-loader';
import { resolveRecipeWithImports } from '../recipes/resolve-recipe-with-imports';
import { addEvalCommand } from './eval-command';
import { addReportCommand } from './report-command';
import { addStudyCommand } from './study-command';
import { addFinetuneCommand } from './finetune-command';
import { packageVersion } from './package-version';
import { addPluginOption, formatPluginList, loadPluginFlags, type PluginFlags } from './plugin-options';
import { addRecipeOverrideOptions, overridesFromFlags, type RecipeOverrideFlags } from './recipe-override-options';
import { runTrainCommand, type TrainFlags } from './train-action';
import { DEFAULT_RECIPE } from './train-plan';
import { addExportCommand } from './export-command';
import { parseLogSinks } from './log-option';
import { addTransferCommand } from './transfer-command';
import { addDncCommand } from './dnc-command';

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
    .version(packageVersion(), '-V, --version', 'print the bcl-ssl version')
    // Before any subcommand is added, so they inherit it: usage errors come back as exceptions.
    .exitOverride();

  const trainCommand = program
    .command('train')
    .description('train a recipe; writes recipe.json, metrics.jsonl and checkpoints/ to the run folder')
    .option('-r, --recipe <name-or-path>', `recipe name (see \`bcl recipe list\`) or path to a .json file (default: ${DEFAULT_RECIPE}; with --resume: the run folder's recipe.json)`)
    .option('-o, --out <dir>', 'run folder (default: runs/<recipe name>)')
    .option('--resume', 'continue from the newest valid checkpoint in the run folder', false)
    .addOption(new Option('-b, --backend <name>', 'tensor backend (default: BCL_BACKEND or the best available)').choices([...BACKEND_PREFERENCE]))
    .option('-t, --threads <n>', 'CPU threads of the wasm kernels: oneDNN when built, else the threaded wasm binary (default: every core)', parseThreads)
    .option('--log <sinks>', 'metric sinks, comma-separated: jsonl (always written), csv, tensorboard (replaces recipe.logging.sinks)', parseLogSinks);
  addPluginOption(addRecipeOverrideOptions(trainCommand))
    .action((flags: TrainFlags) => runTrainCommand(flags));

  const recipe = program.command('recipe').description('inspect recipes');
  addPluginOption(addRecipeOverrideOptions(recipe.command('show <name-or-path>')))
    .description('print the fully resolved recipe (extends applied, overrides and defaults filled in)')
    .action(async (name: string, flags: RecipeOverrideFlags & PluginFlags) => {
      await loadPluginFlags(flags);
      process.stdout.write(JSON.stringify(await resolveRecipeWithImports(name, undefined, overridesFromFlags(flags)), null, 2) + '\n');
    });
  recipe
    .command('list')
    .description('list the shipped recipes')
    .action(() => {
      process.stdout.write(listBuiltinRecipes().join('\n') + '\n');
    });

  addPluginOption(program.command('plugins'))
    .description('list the registered method and add-on plugins and where each came from')
    .action(async (flags: PluginFlags) => {
      await loadPluginFlags(flags);
      process.stdout.write(formatPluginList());
    });
  addDncCommand(addTransferCommand(addExportCommand(addFinetuneCommand(addStudyCommand(addReportCommand(addEvalCommand(program)))))));
  return program;
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
