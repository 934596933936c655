import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { seededNormals, wasmVersusCpu } from './cpu-reference';
import { selectBackend } from '../../../core/backends/select-backend';
import { createModelStep } from '../../../core/bench/model-step';

/**
 * Test support, run as a child process by threaded-wasm.test.ts (the threaded binary is chosen
 * once per process): selects wasm under the caller's BCL_WASM_THREADS, checks a convolution and
 * its gradients against cpu, runs a few training steps, and prints one JSON line. The process must
 * then exit by itself: the pool workers must not keep it alive.
 */
async function probe(): Promise<void> {
  const choice = await selectBackend('wasm');
  const conv = () => {
    const x = tf.tensor4d(seededNormals(1, 8 * 16 * 16 * 16), [8, 16, 16, 16]);
    const w = tf.tensor4d(seededNormals(2, 3 * 3 * 16 * 32), [3, 3, 16, 32]);
    const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')));
    return [tf.conv2d(x, w, 1, 'same'), ...tf.grads(loss)([x, w])];
  };
  const convError = await wasmVersusCpu(conv);
  await tf.setBackend('wasm');
  const model = createModelStep({ width: 4, batch: 4, size: 16 });
  const losses = [await model.step()];
  const tensors = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) losses.push(await model.step());
  const tensorGrowth = tf.memory().numTensors - tensors;
  model.dispose();
  process.stdout.write(`${JSON.stringify({ description: choice.description, convError, losses, tensorGrowth })}\n`);
}

probe().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
