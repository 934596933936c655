/** Helpers shared by the model tests (not part of the public API). */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';

/** Switches to the deterministic cpu backend once per test file. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Host array of standard-normal draws from a fixed seed. */
export function normalArray(seed: number, size: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: size }, () => rng.normal());
}

/** A float32 tensor of standard-normal draws; the caller owns it. */
export function normalTensor(seed: number, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(normalArray(seed, shape.reduce((a, b) => a * b, 1))), shape);
}

/** Asserts |actual - expected| <= tolerance elementwise, naming the first mismatch. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what = 'value'): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: expected ${expected.length} values, but got ${actual.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
      throw new Error(`${what}[${i}]: expected ${expected[i]}, but got ${actual[i]} (tolerance ${tolerance})`);
    }
  }
}
