import * as tf from '@tensorflow/tfjs';

/** Large negative logit that removes a pair from the softmax (exp underflows to exactly 0). */
const EXCLUDED = -1e9;

/**
 * Per-view, per-sample NT-Xent (SimCLR's normalised temperature-scaled cross entropy) for two
 * views, as the BCL authors compute it with `average=False`. Row v of the result holds, for each
 * sample i, -log(exp(s(i_v, i_other)/t) / sum_{k != i_v} exp(s(i_v, k)/t)) over the 2B embeddings,
 * with s the cosine similarity. Averaging the two rows gives the authors' per-sample loss.
 *
 * `view1`, `view2`: embeddings [B, D] (not necessarily normalised). Returns [2, B]; caller owns it.
 */
export function ntXentPerView(view1: tf.Tensor2D, view2: tf.Tensor2D, temperature: number): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = view1.shape[0];
    const z1 = l2Normalize(view1);
    const z2 = l2Normalize(view2);
    const z = tf.concat([z1, z2], 0);
    const logits = tf.matMul(z, z, false, true).div(temperature);
    const self = tf.eye(2 * batch).cast('bool');
    const masked = tf.where(self, tf.fill(logits.shape, EXCLUDED), logits);
    const logSumExp = tf.logSumExp(masked, 1);
    const positive = tf.sum(tf.mul(z1, z2), 1).div(temperature);
    const positives = tf.concat([positive, positive], 0);
    return tf.sub(logSumExp, positives).reshape([2, batch]) as tf.Tensor2D;
  });
}

/** Rows scaled to unit L2 norm (with PyTorch's F.normalize epsilon). Caller owns the result. */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => x.div(tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}
