import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import type { FeatureSet } from './features';

/**
 * Options of the linear probe. Defaults are the BCL authors' `eval_sgd` (eval_cifar.py, from
 * W-MSE): Adam, lr 1e-2 decaying exponentially to 1e-6 over the epochs, weight decay 5e-6,
 * batch 1000, 500 epochs.
 */
export interface LinearProbeOptions {
  /** Passes over the probe's training set. Default 500 (the authors); 0 returns the initialisation. */
  readonly epochs?: number;
  /** Learning rate of the first epoch. Default 1e-2. */
  readonly lrStart?: number;
  /** Learning rate the exponential decay reaches after `epochs` epochs. Default 1e-6. */
  readonly lrEnd?: number;
  /** L2 weight decay added to the gradient, as torch.optim.Adam's `weight_decay`. Default 5e-6. */
  readonly weightDecay?: number;
  /** Samples per step; the last batch of an epoch may be short. Default 1000. */
  readonly batchSize?: number;
  /** Seeds the initialisation and the per-epoch sample order. Default 0. */
  readonly seed?: number;
}

/** A trained linear classifier `scores = x W + b` on the host. */
export interface LinearProbe {
  readonly dim: number;
  readonly numClasses: number;
  /** Row-major `[dim, numClasses]`. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/**
 * Trains a linear classifier on frozen features with softmax cross-entropy, as `eval_sgd` does:
 * PyTorch's default `nn.Linear` initialisation (uniform in ±1/sqrt(D)), a fresh random order each
 * epoch, Adam with PyTorch's update and L2 term on weights and bias, and the learning rate
 * `lrStart * gamma^epoch` with `gamma = (lrEnd / lrStart)^(1 / epochs)`. Labels must be in
 * [0, numClasses). The caller owns the result (host arrays); no tensor survives the call.
 */
export async function trainLinearProbe(train: FeatureSet, numClasses: number, options: LinearProbeOptions = {}): Promise<LinearProbe> {
  const epochs = options.epochs ?? 500;
  const lrStart = options.lrStart ?? 1e-2;
  const lrEnd = options.lrEnd ?? 1e-6;
  const weightDecay = options.weightDecay ?? 5e-6;
  const batchSize = options.batchSize ?? 1000;
  const { dim, size } = train;
  if (size === 0) throw new RangeError('the linear probe needs at least one training sample');
  for (const label of train.labels) {
    if (!(label >= 0 && label < numClasses)) throw new RangeError(`probe training labels must be in [0, ${numClasses}), but got ${label}`);
  }
  const rng = new Rng(options.seed ?? 0);
  const bound = 1 / Math.sqrt(dim);
  const w0 = Float32Array.from({ length: dim * numClasses }, () => rng.uniform(-bound, bound));
  const b0 = Float32Array.from({ length: numClasses }, () => rng.uniform(-bound, bound));
  const gamma = Math.pow(lrEnd / lrStart, 1 / epochs);

  const x = tf.tensor2d(train.features, [size, dim]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), numClasses).toFloat());
  let params: tf.Tensor[] = [tf.tensor2d(w0, [dim, numClasses]), tf.tensor1d(b0)];
  let m: tf.Tensor[] = params.map((p) => tf.zerosLike(p));
  let v: tf.Tensor[] = params.map((p) => tf.zerosLike(p));
  const order = Int32Array.from({ length: size }, (_, i) => i);
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const lr = lrStart * Math.pow(gamma, epoch);
      rng.shuffle(order);
      for (let start = 0; start < size; start += batchSize) {
        step++;
        const rows = order.subarray(start, Math.min(size, start + batchSize));
        const next = tf.tidy(() => {
          const index = tf.tensor1d(rows, 'int32');
          const xb = tf.gather(x, index) as tf.Tensor2D;
          const yb = tf.gather(y, index);
          const [gw, gb] = tf.grads((w: tf.Tensor, b: tf.Tensor) => tf.losses.softmaxCrossEntropy(yb, tf.add(tf.matMul(xb, w as tf.Tensor2D), b)))([params[0], params[1]]);
          const bc1 = 1 - Math.pow(BETA1, step);
          const bc2 = 1 - Math.pow(BETA2, step);
          const out = [gw, gb].map((g, i) => {
            const grad = weightDecay > 0 ? tf.add(g, tf.mul(params[i], weightDecay)) : g;
            const mi = tf.add(tf.mul(m[i], BETA1), tf.mul(grad, 1 - BETA1));
            const vi = tf.add(tf.mul(v[i], BETA2), tf.mul(tf.square(grad), 1 - BETA2));
            const denom = tf.add(tf.div(tf.sqrt(vi), Math.sqrt(bc2)), EPSILON);
            const p = tf.sub(params[i], tf.mul(tf.div(mi, denom), lr / bc1));
            return { p, mi, vi };
          });
          return { params: out.map((o) => o.p), m: out.map((o) => o.mi), v: out.map((o) => o.vi) };
        });
        tf.dispose([...params, ...m, ...v]);
        params = next.params;
        m = next.m;
        v = next.v;
      }
    }
    const [weights, bias] = (await Promise.all([params[0].data(), params[1].data()])) as Float32Array[];
    return { dim, numClasses, weights, bias };
  } finally {
    tf.dispose([x, y, ...params, ...m, ...v]);
  }
}

/** Class scores (logits) `[n, C]` of a trained probe for `set`, row-major on the host. */
export async function linearScores(probe: LinearProbe, set: FeatureSet): Promise<Float32Array> {
  if (set.dim !== probe.dim) throw new RangeError(`the probe expects ${probe.dim}-dimensional features, but got ${set.dim}`);
  const logits = tf.tidy(() => tf.add(tf.matMul(tf.tensor2d(set.features, [set.size, set.dim]), tf.tensor2d(probe.weights, [probe.dim, probe.numClasses])), tf.tensor1d(probe.bias)));
  try {
    return (await logits.data()) as Float32Array;
  } finally {
    logits.dispose();
  }
}
