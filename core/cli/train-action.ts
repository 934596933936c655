import * as path from 'node:path';
import type { BackendName } from '../backends/select-backend';
import { applyCpuThreads } from '../backends/wasm-threads/wasm-threads-choice';
import { BclError, ERROR_EXIT_CODES, isBclError } from '../errors';
import { EventBus } from '../events/event-bus';
import { resolveRecipeWithImports } from '../recipes/resolve-recipe-with-imports';
import { train } from '../run/train';
import { formatDuration } from './format-duration';
import { loadPluginFlags, type PluginFlags } from './plugin-options';
import { attachProgressReporter } from './progress-reporter';
import { stopOnSignals } from './stop-on-signals';
import { withLogSinks } from './log-option';
import type { MetricSinkName } from '../run/sinks/metric-format';
import { overridesFromFlags, type RecipeOverrideFlags } from './recipe-override-options';
import { completedRun, evalCommand, planTrain, resumeCommand } from './train-plan';

/** The flags of `bcl train`. */
export interface TrainFlags extends RecipeOverrideFlags, PluginFlags {
  recipe?: string;
  out?: string;
  resume: boolean;
  backend?: BackendName;
  threads?: number;
  /** `--log csv,tensorboard`: replaces recipe.logging.sinks (recorded in recipe.json). */
  log?: MetricSinkName[];
}

/**
 * `bcl train`: picks the recipe and run folder (docs/training.md#the-command-line), trains with
 * a progress line, stops cleanly on Ctrl-C with the exact resume command, and ends with the
 * total time and the next command. A resume with nothing left says "already complete".
 */
export async function runTrainCommand(flags: TrainFlags): Promise<void> {
  const started = Date.now();
  if (flags.threads !== undefined) applyCpuThreads(flags.threads);
  await loadPluginFlags(flags);
  const plan = planTrain(flags);
  const recipe = withLogSinks(await resolveRecipeWithImports(plan.recipe, undefined, overridesFromFlags(flags)), flags.log);
  const { outDir } = plan;
  if (flags.resume) {
    const done = completedRun(outDir, recipe);
    if (done) {
      process.stdout.write(`already complete: ${outDir} finished ${done.epoch}/${recipe.epochs} epochs (${done.step} steps); nothing to train.\nnext: ${evalCommand(outDir, flags.plugin)}\n`);
      return;
    }
  }
  const events = new EventBus();
  const stop = attachProgressReporter(events, { batchSize: recipe.data.batchSize });
  const interrupt = stopOnSignals((line) => events.log('warn', line));
  try {
    const result = await train({ recipe, outDir, resume: flags.resume, backend: flags.backend, events, signal: interrupt.signal });
    stop();
    const last = result.epochLosses.at(-1);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `done: ${result.epochs} epochs, ${result.steps} steps on ${result.backend} in ${formatDuration(seconds)}; final epoch loss ${last?.toFixed(4) ?? 'n/a'}; run folder ${path.normalize(outDir)}\n` +
        `next: ${evalCommand(outDir, flags.plugin)}\n`,
    );
  } catch (error) {
    if (isBclError(error) && error.code === 'INTERRUPTED') {
      // The trainer knows a checkpoint was written; only the CLI knows the command that continues it.
      const hint = `Continue with: ${resumeCommand(outDir, flags)}`;
      const message = error.hint ? error.message.slice(0, error.message.length - ` Hint: ${error.hint}`.length) : error.message;
      throw new BclError('INTERRUPTED', message, { hint, cause: error });
    }
    throw error;
  } finally {
    stop();
    interrupt.release();
  }
}
