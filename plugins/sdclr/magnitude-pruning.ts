import * as tf from '@tensorflow/tfjs';
import type { MaskedConv } from './pruned-branch';

/** What one pruning pass did, for logs and tests. */
export interface PruningResult {
  /** Conv weights ranked (all kernels together). */
  readonly total: number;
  /** Weights whose mask is now 0: `round(ratio * total)`, fewer only when magnitudes tie at the threshold. */
  readonly pruned: number;
  /** The smallest magnitude kept. */
  readonly threshold: number;
}

/**
 * The global magnitude threshold of the BCL and SDCLR authors' `Mask.magnitudePruning`: with
 * k = round(ratio * N) weights to prune out of N, the (k+1)-th smallest |w| over every kernel
 * together (one threshold for the whole network, not one per layer); weights with |w| >= it stay.
 * The authors take ceil(ratio * N) of a float product; round gives the same count up to one weight
 * and does not depend on the product's last bit. Float64 host work, O(N log N).
 */
export function magnitudeThreshold(kernels: readonly Float32Array[], ratio: number): number {
  const total = kernels.reduce((sum, k) => sum + k.length, 0);
  const magnitudes = new Float32Array(total);
  let offset = 0;
  for (const kernel of kernels) {
    for (let i = 0; i < kernel.length; i++) magnitudes[offset + i] = Math.abs(kernel[i]);
    offset += kernel.length;
  }
  magnitudes.sort();
  const prune = Math.round(ratio * total);
  return prune === 0 ? 0 : magnitudes[Math.min(prune, total - 1)];
}

/**
 * Recomputes every mask from the current kernels by global magnitude (SDCLR prunes afresh at the
 * start of each epoch; masks never accumulate). One host read of all conv kernels per call; the
 * masks are written on the device. Creates no lasting tensors.
 */
export async function pruneByMagnitude(convs: readonly MaskedConv[], ratio: number): Promise<PruningResult> {
  const kernels = (await Promise.all(convs.map((c) => c.kernel.data()))) as Float32Array[];
  const threshold = magnitudeThreshold(kernels, ratio);
  let kept = 0;
  for (const kernel of kernels) for (let i = 0; i < kernel.length; i++) if (Math.abs(kernel[i]) >= threshold) kept++;
  tf.tidy(() => {
    for (const { kernel, mask } of convs) mask.assign(tf.cast(tf.greaterEqual(tf.abs(kernel), threshold), 'float32'));
  });
  const total = kernels.reduce((sum, k) => sum + k.length, 0);
  return { total, pruned: total - kept, threshold };
}
