import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * Test support: run the same computation on `wasm` and on tfjs's `cpu` backend (the independent
 * reference) and compare. Not a test file itself; the kernel tests import it.
 */

export { seededNormals } from '../../../core/random/seeded-normals';

/**
 * Switches to `backendName`, runs `compute` inside `tf.tidy`, and copies its outputs to host
 * arrays. Every tensor `compute` makes, outputs included, is disposed before this returns, so
 * inputs must be built inside `compute` from host data (e.g. `seededNormals`).
 */
export async function computeOn(
  backendName: 'cpu' | 'wasm' | 'webgpu',
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await tf.setBackend(backendName);
  await tf.ready();
  const outputs = tf.tidy(compute);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  try {
    const values = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
    return { values, shapes: list.map((t) => t.shape.slice()) };
  } finally {
    tf.dispose(list);
  }
}

/**
 * Relative error in the max norm: max |actual - expected| / max |expected|. Element-wise relative
 * error is meaningless for entries near zero, which sums of random products always contain.
 * A NaN anywhere propagates (Math.max keeps NaN), so `error <= tolerance` then fails as it should.
 */
export function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) {
    throw new Error(`expected ${expected.length} values, but got ${actual.length}`);
  }
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/**
 * Runs `compute` on `backendName` (wasm unless given; webgpu must already be loaded, see
 * test/support/webgpu.ts) and on cpu and returns the worst max-norm relative error over its
 * outputs, after checking that the output shapes agree.
 */
export async function wasmVersusCpu(compute: () => tf.Tensor | tf.Tensor[], backendName: 'wasm' | 'webgpu' = 'wasm'): Promise<number> {
  const tested = await computeOn(backendName, compute);
  const cpu = await computeOn('cpu', compute);
  if (JSON.stringify(tested.shapes) !== JSON.stringify(cpu.shapes)) {
    throw new Error(`expected output shapes ${JSON.stringify(cpu.shapes)} (cpu), but got ${JSON.stringify(tested.shapes)} (${backendName})`);
  }
  return Math.max(...tested.values.map((values, i) => maxRelativeError(values, cpu.values[i])));
}
