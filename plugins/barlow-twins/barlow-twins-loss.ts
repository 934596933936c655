import * as tf from '@tensorflow/tfjs';

/**
 * Standardises each embedding dimension over the batch: (z - mean) / sqrt(var + epsilon) with the
 * biased variance, i.e. the authors' `nn.BatchNorm1d(affine=False)` in training mode (its running
 * statistics never reach the loss, so no state is kept). `[B, D]` in and out; caller owns the result.
 */
export function standardiseOverBatch(z: tf.Tensor2D, epsilon = 1e-5): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(z, 0, true);
    return tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, epsilon))) as tf.Tensor2D;
  });
}

/**
 * Barlow Twins (Zbontar et al. 2021) as per-sample losses whose mean over the batch is exactly the
 * batch loss L = sum_i (1 - C_ii)^2 + lambda * sum_{i != j} C_ij^2, with a, b the standardised
 * embeddings of the two views and C = a^T b / B their cross-correlation.
 *
 * Every term of L is a residual times a batch mean of per-sample products, because
 * 1 - C_ii = mean_n (1 - a_ni b_ni) and C_ij = mean_n a_ni b_nj. Sample n's share keeps the residual
 * and takes its own product:
 *
 *   l_n = sum_i (1 - C_ii) (1 - a_ni b_ni) + lambda * sum_{i != j} C_ij a_ni b_nj,   mean_n l_n = L.
 *
 * Equivalently l_n = L + (1/2) <dL/dC, a_n b_n^T - C>: the batch loss plus the first-order change
 * of L when sample n's weight in the batch averages grows, so samples whose two views disagree
 * where the batch still does score highest. l_n can be negative. Since mean_n l_n equals L for
 * every input, the gradient of the mean is the gradient of L.
 *
 * `z1`, `z2`: projector outputs `[B, D]` of view 1 and view 2. Returns `[2, B]` with both rows equal
 * to l (the loss is symmetric in the views), so the trainer's mean over `[2, B]` is L itself.
 * The caller owns the result.
 */
export function barlowTwinsPerSample(z1: tf.Tensor2D, z2: tf.Tensor2D, lambda: number, epsilon = 1e-5): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, dim] = z1.shape;
    const a = standardiseOverBatch(z1, epsilon);
    const b = standardiseOverBatch(z2, epsilon);
    const c = tf.div(tf.matMul(a, b, true, false), batch);
    const eye = tf.eye(dim);
    const residual = tf.sub(1, tf.sum(tf.mul(c, eye), 1));
    // Weights of the per-sample products a_ni b_nj: lambda * C_ij off the diagonal, -(1 - C_ii) on it.
    const weights = tf.sub(tf.mul(tf.mul(c, tf.sub(1, eye)), lambda), tf.mul(eye, residual));
    const perSample = tf.add(tf.sum(tf.mul(tf.matMul(a, weights), b), 1), tf.sum(residual));
    return tf.stack([perSample, perSample]) as tf.Tensor2D;
  });
}
