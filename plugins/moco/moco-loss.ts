import * as tf from '@tensorflow/tfjs';

/**
 * MoCo's per-sample InfoNCE: for each query i, the cross entropy of picking its positive key among
 * the positive and the K queued negatives,
 * `-log( exp(q_i.k_i / t) / (exp(q_i.k_i / t) + sum_j exp(q_i.n_j / t)) )`.
 *
 * `queries`, `keys`: [B, D] unit rows; `queue`: [K, D] unit rows (the negatives; MoCo stores the
 * transpose, [D, K]). Returns [B]; the caller owns it.
 */
export function infoNcePerSample(queries: tf.Tensor2D, keys: tf.Tensor2D, queue: tf.Tensor2D, temperature: number): tf.Tensor1D {
  return tf.tidy(() => {
    const positive = tf.sum(tf.mul(queries, keys), 1, true).div(temperature);
    const negatives = tf.matMul(queries, queue, false, true).div(temperature);
    // The positive is logit 0 of each row, as in MoCo's `CrossEntropyLoss(logits, zeros)`.
    const logits = tf.concat([positive, negatives], 1);
    return tf.sub(tf.logSumExp(logits, 1), positive.reshape([-1])) as tf.Tensor1D;
  });
}

/**
 * The queue after enqueuing `keys` [n, D] at `pointer` (a float32 scalar holding an integer in
 * [0, K)), oldest entries overwritten and wrapping around the end, and the pointer moved by n.
 * Needs n <= K. Computed on the device with a gather, so the pointer is never read to the host.
 * Returns new tensors the caller owns.
 */
export function enqueue(queue: tf.Tensor2D, pointer: tf.Scalar, keys: tf.Tensor2D): { queue: tf.Tensor2D; pointer: tf.Scalar } {
  return tf.tidy(() => {
    const size = queue.shape[0];
    const count = keys.shape[0];
    // Row r of the new queue takes key (r - pointer) mod K when that is < n, else keeps its entry.
    const shifted = tf.sub(tf.range(0, size, 1, 'float32'), pointer);
    const offset = tf.where(tf.less(shifted, 0), tf.add(shifted, size), shifted);
    const written = tf.less(offset, count).reshape([size, 1]);
    const source = tf.gather(keys, tf.minimum(offset, count - 1).cast('int32'));
    const moved = tf.add(pointer, count);
    return {
      queue: tf.where(written, source, queue) as tf.Tensor2D,
      pointer: tf.where(tf.greaterEqual(moved, size), tf.sub(moved, size), moved) as tf.Scalar,
    };
  });
}
