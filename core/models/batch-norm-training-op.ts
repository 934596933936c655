import * as tf from '@tensorflow/tfjs';

/**
 * Kernel name of one fused BatchNorm training pass over the last axis.
 * Inputs `{ x, scale, offset }` (scale and offset `[C]`), attrs `{ epsilon }`; outputs
 * `[y, mean, variance]` with the batch mean and the biased batch variance, each `[C]`.
 * Backends that register it get one kernel instead of a dozen element-wise ops (docs/performance.md).
 */
export const BATCH_NORM_TRAINING = 'BclBatchNormTraining';

/**
 * Kernel name of its gradient. Inputs `{ dy, x, scale, mean, variance }`, attrs `{ epsilon }`;
 * outputs `[dx, dScale, dOffset]`.
 */
export const BATCH_NORM_TRAINING_GRAD = 'BclBatchNormTrainingGrad';

/** Attributes of both kernels. */
export interface BatchNormTrainingAttrs {
  readonly epsilon: number;
}

/** `[rows, channels]` of a channels-last shape: the kernels see any input as a rows x channels matrix. */
export function rowsAndChannels(shape: readonly number[]): [number, number] {
  const channels = shape[shape.length - 1];
  return [shape.reduce((a, b) => a * b, 1) / channels, channels];
}

/** Result of `batchNormTraining`; the caller owns all three tensors. */
export interface BatchNormTrainingResult {
  readonly y: tf.Tensor;
  /** Batch mean per channel, `[C]`. */
  readonly mean: tf.Tensor1D;
  /** Biased batch variance per channel, `[C]` (what the normalisation divides by). */
  readonly variance: tf.Tensor1D;
}

let gradientRegistered = false;

function registerGradientOnce(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAINING,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      // Only y carries a gradient: mean and variance feed the running statistics, which are not
      // part of the loss (their dy is absent or zero).
      const dy = Array.isArray(dys) ? dys[0] : dys;
      const [x, scale, mean, variance] = saved;
      const [dx, dScale, dOffset] = tf.engine().runKernel(
        BATCH_NORM_TRAINING_GRAD,
        { dy, x, scale, mean, variance },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
      return { x: () => dx, scale: () => dScale, offset: () => dOffset };
    },
  });
}

/**
 * BatchNorm in training mode over every axis but the last: `y = (x - mean) / sqrt(variance +
 * epsilon) * scale + offset`, with the batch's mean and biased variance, differentiable in x, scale
 * and offset (both undefined: no affine terms). Runs the fused `BclBatchNormTraining` kernel where the active backend registers one
 * (wasm, in core/backends), else the same formula in tfjs ops (cpu, tfjs-node), which is also the
 * reference the kernels are tested against (`batchNormTrainingByOps`). The caller owns the result.
 */
export function batchNormTraining(x: tf.Tensor, scale: tf.Tensor1D | undefined, offset: tf.Tensor1D | undefined, epsilon: number): BatchNormTrainingResult {
  if (tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) === undefined || x.dtype !== 'float32') {
    return batchNormTrainingByOps(x, scale, offset, epsilon);
  }
  registerGradientOnce();
  const attrs: BatchNormTrainingAttrs = { epsilon };
  const channels = x.shape[x.rank - 1];
  return tf.tidy(() => {
    // Without affine terms the kernel still runs, with a unit scale and zero offset.
    const inputs = { x, scale: scale ?? tf.ones([channels]), offset: offset ?? tf.zeros([channels]) };
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/** `batchNormTraining` composed of tfjs ops: the portable path and the kernels' test reference. */
export function batchNormTrainingByOps(x: tf.Tensor, scale: tf.Tensor1D | undefined, offset: tf.Tensor1D | undefined, epsilon: number): BatchNormTrainingResult {
  return tf.tidy(() => {
    const axes = x.shape.map((_, axis) => axis).slice(0, -1);
    const { mean, variance } = tf.moments(x, axes);
    return { y: normaliseByOps(x, mean, variance, scale, offset, epsilon), mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/**
 * `(x - mean) / sqrt(variance + epsilon) * scale + offset`, with the statistics and affine terms
 * folded into one per-channel scale and shift so the full-size input is touched by one multiply and
 * one add. `scale`/`offset` undefined: no affine terms. Used in eval mode and by the ops path.
 */
export function normaliseByOps(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor | undefined, offset: tf.Tensor | undefined, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    let factor = tf.rsqrt(tf.add(variance, epsilon));
    let shift = tf.neg(tf.mul(mean, factor));
    if (scale && offset) {
      factor = tf.mul(factor, scale);
      shift = tf.add(tf.mul(shift, scale), offset);
    }
    return tf.add(tf.mul(x, factor), shift);
  });
}
