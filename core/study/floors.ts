import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { DependencyContainer } from 'tsyringe';
import { loadDataset, loadTrainingDataset } from '../data/load-dataset';
import { EVAL_FORMAT, writeEvalReport, type EvalReport } from '../eval/eval-report';
import { evalDataSection } from '../eval/evaluate-run';
import type { Encode } from '../eval/features';
import { runProbes, type ProbeOptions } from '../eval/run-probes';
import { EventBus } from '../events/event-bus';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { composeRun } from '../run/compose-run';

/** The reference points of a study: what a method must beat to have learnt anything. */
export type FloorKind = 'raw-pixels' | 'random-init';

/** Options of {@link evaluateFloor}. */
export interface FloorOptions extends ProbeOptions {
  /** Container holding the plugin registrations (the random-init floor builds the recipe's method). */
  readonly container: DependencyContainer;
  readonly log?: (line: string) => void;
}

/**
 * Evaluates a floor with the same probes, data and normalisation as the cells of `recipe` and
 * writes `<dir>/eval.json` (the `bcl eval` format, `run.method` = `floor:<kind>`, epochs 0):
 * - `raw-pixels`: the probes on the normalised pixels themselves (H x W x C features);
 * - `random-init`: the probes on the recipe's method with its initial, untrained weights (seeded
 *   by `recipe.seed`), BatchNorm in inference mode with its initial statistics.
 * Frees every tensor it made.
 */
export async function evaluateFloor(kind: FloorKind, recipe: ResolvedRecipe, dir: string, options: FloorOptions): Promise<EvalReport> {
  const started = Date.now();
  const train = await loadTrainingDataset(recipe.data.dataset, recipe.seed);
  const test = await loadDataset(recipe.data.dataset, recipe.seed, 'test');
  let dispose = (): void => undefined;
  let encode: Encode;
  if (kind === 'raw-pixels') {
    encode = (images) => tf.reshape(images, [images.shape[0], -1]) as tf.Tensor2D;
  } else {
    const composed = await composeRun(options.container, recipe, train, new EventBus());
    dispose = () => composed.dispose();
    encode = (images) => composed.method.encode(images);
  }
  try {
    options.log?.(`floor ${kind} (${recipe.data.dataset.type}, seed ${recipe.seed}) on ${tf.getBackend()}`);
    const probes = await runProbes({ encode, mean: recipe.data.mean, std: recipe.data.std, spec: recipe.data.dataset, train, test, log: options.log }, options);
    const report: EvalReport = {
      format: EVAL_FORMAT,
      createdAt: new Date().toISOString(),
      run: { dir, method: `floor:${kind}`, plugins: [], checkpoint: '', epochs: 0, step: 0 },
      backend: tf.getBackend(),
      data: evalDataSection(recipe.data.dataset, train, test),
      ...probes,
      seconds: (Date.now() - started) / 1000,
    };
    fs.mkdirSync(dir, { recursive: true });
    writeEvalReport(dir, report);
    return report;
  } finally {
    dispose();
  }
}
