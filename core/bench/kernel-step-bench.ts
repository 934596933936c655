import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededNormals } from '../random/seeded-normals';
import { registerWasmTrainingKernels } from '../backends/wasm-training-kernels/index';

/**
 * Side-by-side timing of one small ResNet-style training step (forward, tf.variableGrads, SGD
 * update) on `wasm` with the training kernels and on tfjs's `cpu` backend, in one process.
 * Run: `node dist/core/bench/kernel-step-bench.js`.
 * The numbers in docs/wasm-kernels.md come from this script.
 */

const BATCH = 8;
const SIZE = 16;
const CLASSES = 10;

const SHAPES: Record<string, number[]> = {
  stem: [3, 3, 3, 16], g0: [16], b0: [16],
  a1: [3, 3, 16, 16], ga1: [16], ba1: [16],
  a2: [3, 3, 16, 16], ga2: [16], ba2: [16],
  d1: [3, 3, 16, 32], gd1: [32], bd1: [32],
  d2: [3, 3, 32, 32], gd2: [32], bd2: [32],
  shortcut: [1, 1, 16, 32],
  dense: [32, CLASSES],
};

type Params = Record<string, tf.Variable>;

function batchNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta) as tf.Tensor4D;
}

function convBn(x: tf.Tensor4D, p: Params, conv: string, g: string, b: string, stride: number): tf.Tensor4D {
  return batchNorm(tf.conv2d(x, p[conv] as tf.Tensor4D, stride, 'same'), p[g], p[b]);
}

/** stem - basic block - downsampling basic block with 1x1 stride-2 shortcut - mean - dense. */
function loss(p: Params, x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  let h = tf.relu(convBn(x, p, 'stem', 'g0', 'b0', 1));
  let r = tf.relu(convBn(h, p, 'a1', 'ga1', 'ba1', 1));
  h = tf.relu(tf.add<tf.Tensor4D>(convBn(r, p, 'a2', 'ga2', 'ba2', 1), h));
  r = tf.relu(convBn(h, p, 'd1', 'gd1', 'bd1', 2));
  h = tf.relu(tf.add<tf.Tensor4D>(convBn(r, p, 'd2', 'gd2', 'bd2', 1), tf.conv2d(h, p.shortcut as tf.Tensor4D, 2, 'valid')));
  const logits = tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p.dense as tf.Tensor2D);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

/**
 * Median milliseconds per training step on `backendName`, timed after one warm-up step, and the
 * warm-up step's loss (taken before any update, so it must agree across backends).
 */
export async function timeTrainingStep(backendName: 'cpu' | 'wasm', steps: number): Promise<{ medianMs: number; initialLoss: number }> {
  await tf.setBackend(backendName);
  await tf.ready();
  const params: Params = {};
  for (const [i, [key, shape]] of Object.entries(SHAPES).entries()) {
    const values = seededNormals(i, shape.reduce((a, b) => a * b, 1)).map((v) => v * 0.2);
    params[key] = tf.variable(tf.tensor(values, shape), true, `bench/${key}`);
  }
  const x = tf.tensor4d(seededNormals(100, BATCH * SIZE * SIZE * 3), [BATCH, SIZE, SIZE, 3]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % CLASSES), 'int32'), CLASSES) as tf.Tensor2D;
  const optimizer = tf.train.sgd(0.05);
  const step = (): number => {
    const value = tf.tidy(() => {
      const { value: l, grads } = tf.variableGrads(() => loss(params, x, labels));
      optimizer.applyGradients(grads);
      return l;
    });
    const result = value.dataSync()[0]; // one small readback also waits for the step to finish
    value.dispose();
    return result;
  };
  const initialLoss = step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  optimizer.dispose();
  tf.dispose([x, labels, ...Object.values(params)]);
  times.sort((a, b) => a - b);
  return { medianMs: times[times.length >> 1], initialLoss };
}

async function main(): Promise<void> {
  registerWasmTrainingKernels();
  const wasm = await timeTrainingStep('wasm', 10);
  const cpu = await timeTrainingStep('cpu', 3);
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown cpu'}, node ${process.version}`);
  console.log(`wasm SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, wasm threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`);
  console.log(`step: batch ${BATCH}, ${SIZE}x${SIZE}x3 input, 5 convs 3x3 + 1x1 stride-2 shortcut, BN, relu, mean, dense`);
  console.log(`wasm + training kernels: ${wasm.medianMs.toFixed(1)} ms/step (median of 10; initial loss ${wasm.initialLoss.toFixed(6)})`);
  console.log(`cpu:                     ${cpu.medianMs.toFixed(1)} ms/step (median of 3; initial loss ${cpu.initialLoss.toFixed(6)})`);
  console.log(`speed-up: ${(cpu.medianMs / wasm.medianMs).toFixed(1)}x`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
