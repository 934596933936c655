import * as tf from '@tensorflow/tfjs';
import { createViewPipeline } from '../data/create-view-pipeline';
import { emptyPolicy, extendPolicy } from '../data/augmentation-policy';
import type { AugmentationPolicy } from '../hooks/contexts';
import { RecipeSchema } from '../recipes/recipe-schema';
import { gradientDataset } from './data-bench';
import { median } from './median';

/** Main-thread time of one batch's policy and normalisation, without and with BCL's RandAugment. */
export interface PolicyCostRow {
  readonly size: number;
  readonly channels: number;
  readonly batchSize: number;
  /** Median ms per batch (batchSize x 2 views) with the empty policy, and with BCL k = 1 and 2 at M = 1. */
  readonly noneMs: number;
  readonly bclK1Ms: number;
  readonly bclK2Ms: number;
}

/** BCL's most expensive policy: every sample memorization 1, k ops each applied, magnitude U[0, 30]. */
function fullStrengthPolicy(indices: Int32Array, k: number): AugmentationPolicy {
  // One step object per sample, as BCL builds them, so each is validated as in training.
  return extendPolicy(emptyPolicy(indices), () => ({ append: [{ op: 'RandAugment', k, probability: 1, magnitude: [0, 30] }] }));
}


/**
 * What BCL adds to a training step on the main thread: the trainer applies the augmentation policy
 * (BCL's RandAugment) and normalises there, after the workers' base views, so this is BCL's whole
 * share of the step besides the tracker (`bench bcl` times that too). Times `ViewPipeline.finish`
 * on fixed base views, the three policies alternating, `reps` times each after 10 untimed rounds;
 * a difference of medians is far steadier here than two training runs' step times.
 */
export async function measurePolicyCost(reps = 50, batchSize = 128): Promise<PolicyCostRow[]> {
  const rows: PolicyCostRow[] = [];
  const recipe = RecipeSchema.parse({ method: { name: 'simclr' }, data: { dataset: { type: 'synthetic' }, workers: 0 } });
  for (const [size, channels] of [[28, 1], [32, 3]] as const) {
    const pipeline = createViewPipeline(gradientDataset(size, batchSize, channels), recipe);
    try {
      const indices = Int32Array.from({ length: batchSize }, (_, i) => i);
      const base = pipeline.baseViews(indices, 1, 2);
      const policies = [emptyPolicy(indices), fullStrengthPolicy(indices, 1), fullStrengthPolicy(indices, 2)];
      const times: number[][] = policies.map(() => []);
      for (let round = 0; round < reps + 10; round++) {
        for (const [i, policy] of policies.entries()) {
          const start = performance.now();
          tf.dispose(pipeline.finish(base, policy, 1));
          if (round >= 10) times[i].push(performance.now() - start);
        }
      }
      rows.push({ size, channels, batchSize, noneMs: median(times[0]), bclK1Ms: median(times[1]), bclK2Ms: median(times[2]) });
    } finally {
      await pipeline.dispose();
    }
  }
  return rows;
}
