import type { DependencyContainer } from 'tsyringe';
import type { BackendName } from '../backends/select-backend';
import { extractFeatures, type FeatureSet } from '../eval/features';
import { loadRun } from '../run/load-run';

/** A run's frozen backbone features of its whole training set, each row scaled to unit length. */
export async function unitFeaturesOfRun(dir: string, options: { container?: DependencyContainer; backend?: BackendName; checkpoint?: string }): Promise<FeatureSet & { fingerprint: string; checkpoint: string }> {
  const run = await loadRun(dir, { container: options.container, backend: options.backend, checkpoint: options.checkpoint });
  try {
    const set = await extractFeatures((images) => run.method.encode(images), run.dataset, { mean: run.recipe.data.mean, std: run.recipe.data.std });
    normaliseRows(set.features, set.dim);
    return { ...set, fingerprint: run.dataset.fingerprint, checkpoint: run.checkpoint };
  } finally {
    run.dispose();
  }
}

/** Scales every row of a row-major `[rows, dim]` buffer to unit L2 norm, in place (zero rows stay zero). */
export function normaliseRows(values: Float32Array, dim: number): void {
  for (let start = 0; start < values.length; start += dim) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += values[start + d] * values[start + d];
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let d = 0; d < dim; d++) values[start + d] *= scale;
  }
}
