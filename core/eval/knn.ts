import * as tf from '@tensorflow/tfjs';
import type { FeatureSet } from './features';

/**
 * Options of the weighted kNN classifier. Defaults are the InstDisc (Wu et al. 2018) / SimCLR and
 * MoCo CIFAR demos' kNN monitor: cosine similarity, k = 200, temperature 0.1.
 */
export interface KnnOptions {
  /** Neighbours that vote (capped at the bank size). Default 200. */
  readonly k?: number;
  /** Vote weight `exp(similarity / temperature)`. Default 0.1. */
  readonly temperature?: number;
  /** Queries per similarity block, bounding memory at `chunk x bank size` floats. Default 256. */
  readonly chunk?: number;
}

/**
 * Weighted kNN class scores `[queries.size, numClasses]` (row-major, on the host): features are
 * L2-normalised, each query's `k` most cosine-similar bank rows vote for their label with weight
 * `exp(similarity / temperature)`, and a class's score is the sum of its votes. Bank labels must
 * be in [0, numClasses). No tensor survives the call.
 */
export async function knnScores(bank: FeatureSet, queries: FeatureSet, numClasses: number, options: KnnOptions = {}): Promise<Float32Array> {
  const temperature = options.temperature ?? 0.1;
  const chunk = options.chunk ?? 256;
  if (bank.dim !== queries.dim) throw new RangeError(`bank features have ${bank.dim} dimensions but queries have ${queries.dim}`);
  if (bank.size === 0) throw new RangeError('the kNN bank is empty');
  for (const label of bank.labels) {
    if (!(label >= 0 && label < numClasses)) throw new RangeError(`kNN bank labels must be in [0, ${numClasses}), but got ${label}`);
  }
  const k = Math.min(options.k ?? 200, bank.size);
  const out = new Float32Array(queries.size * numClasses);
  const bankT = tf.tidy(() => normalizeRows(tf.tensor2d(bank.features, [bank.size, bank.dim])).transpose());
  const bankLabels = tf.tensor1d(bank.labels, 'int32');
  try {
    for (let start = 0; start < queries.size; start += chunk) {
      const count = Math.min(chunk, queries.size - start);
      const scores = tf.tidy(() => {
        const q = normalizeRows(tf.tensor2d(queries.features.subarray(start * queries.dim, (start + count) * queries.dim), [count, queries.dim]));
        const { values, indices } = tf.topk(tf.matMul(q, bankT), k);
        const weights = tf.exp(tf.div(values, temperature));
        const votes = tf.oneHot(tf.gather(bankLabels, indices), numClasses).toFloat();
        return tf.sum(tf.mul(votes, tf.expandDims(weights, 2)), 1);
      });
      out.set(await scores.data(), start * numClasses);
      scores.dispose();
    }
  } finally {
    tf.dispose([bankT, bankLabels]);
  }
  return out;
}

/** Rows scaled to unit L2 norm (zero rows stay zero). */
function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12));
}
