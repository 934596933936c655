import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../../../core/models/batch-norm-training-op';
import { seededNormals, wasmVersusCpu } from './cpu-reference';

/**
 * Test support for the fused BatchNorm training kernels (the pure-wasm and the native pair): the
 * shapes they are checked on and the check itself. Not a test file; the kernel tests import it.
 */

export interface BatchNormCase {
  readonly shape: number[];
  /** Added to every input value: a large mean tests the variance's numerics. */
  readonly shift: number;
  readonly epsilon: number;
  /** Without affine terms (SimSiam's last projector BN). */
  readonly affine: boolean;
}

export const BATCH_NORM_CASES: readonly BatchNormCase[] = [
  { shape: [4, 6, 6, 8], shift: 0, epsilon: 1e-5, affine: true },
  { shape: [3, 5, 7, 1], shift: 0.5, epsilon: 1e-5, affine: true },
  { shape: [2, 4, 4, 20], shift: 100, epsilon: 1e-3, affine: true },
  { shape: [16, 32], shift: -2, epsilon: 1e-5, affine: true },
  { shape: [7, 3], shift: 0, epsilon: 1e-5, affine: false },
  { shape: [2, 3, 3, 64], shift: 0, epsilon: 1e-5, affine: false },
];

/**
 * 102 400 rows per channel (a small ResNet's first layers see about that many) with mean 10: float32
 * running sums lose about three digits here (oneDNN's batch_normalization, tried first, did:
 * gradients 3e-3 off in a whole SimCLR step), float64 sums do not. Checked at a 1e-5 tolerance.
 */
export const LARGE_BATCH_NORM_CASE: BatchNormCase = { shape: [16, 80, 80, 4], shift: 10, epsilon: 1e-5, affine: true };

/**
 * y, mean, variance and the gradients of `sum(y * w)` (w random) in x, scale and offset, through
 * `batchNormTraining` on the active backend: the kernels on wasm, tfjs ops on cpu.
 */
function forwardAndGradients(c: BatchNormCase): tf.Tensor[] {
  const channels = c.shape[c.shape.length - 1];
  const size = c.shape.reduce((a, b) => a * b, 1);
  const x = tf.add(tf.tensor(seededNormals(11, size), c.shape), c.shift);
  const weights = tf.tensor(seededNormals(12, size), c.shape);
  const scale = tf.tensor1d(seededNormals(13, channels).map((v) => 1 + 0.5 * v));
  const offset = tf.tensor1d(seededNormals(14, channels));
  const run = (xs: tf.Tensor, gamma?: tf.Tensor1D, beta?: tf.Tensor1D) => batchNormTraining(xs, gamma, beta, c.epsilon);
  const { y, mean, variance } = c.affine ? run(x, scale, offset) : run(x);
  const loss = c.affine
    ? (xs: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.sum(tf.mul(run(xs, gamma as tf.Tensor1D, beta as tf.Tensor1D).y, weights))
    : (xs: tf.Tensor) => tf.sum(tf.mul(run(xs).y, weights));
  const gradients = c.affine ? tf.grads(loss)([x, scale, offset]) : tf.grads(loss)([x]);
  return [y, mean, variance, ...gradients];
}

/**
 * Worst max-norm relative error of `batchNormTraining` on `backendName` (the wasm kernels, or
 * webgpu's tfjs ops) against cpu's ops over every output of `c`.
 */
export function batchNormErrorVersusCpu(c: BatchNormCase, backendName: 'wasm' | 'webgpu' = 'wasm'): Promise<number> {
  return wasmVersusCpu(() => forwardAndGradients(c), backendName);
}

/** Checks every case of `BATCH_NORM_CASES` within `tolerance` and reports the worst error. */
export async function assertBatchNormCasesMatchCpu(t: TestContext, tolerance: number, backendName: 'wasm' | 'webgpu' = 'wasm'): Promise<void> {
  let worst = 0;
  for (const c of BATCH_NORM_CASES) {
    const error = await batchNormErrorVersusCpu(c, backendName);
    assert.ok(error <= tolerance, `${JSON.stringify(c)}: max relative error ${error}`);
    worst = Math.max(worst, error);
  }
  t.diagnostic(`worst max relative error ${worst.toExponential(2)} over ${BATCH_NORM_CASES.length} cases`);
}
