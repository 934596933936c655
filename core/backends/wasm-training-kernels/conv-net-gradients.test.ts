import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormTraining } from '../../models/batch-norm-training-op';
import { seededNormals, wasmVersusCpu } from '../../../test/support/kernels/cpu-reference';
import { registerWasmTrainingKernels, wasmFasterKernelConfigs, wasmTrainingKernelConfigs } from './index';

// No IS_TEST here, unlike the kernel tests: its per-kernel leak check misfires on wasm for
// customGrad ops such as tf.losses.softmaxCrossEntropy (the tensors the op saves for backprop stay
// alive until the backward pass, which the check counts as leaked data ids). The last test counts
// instead.
registerWasmTrainingKernels({ faster: true });

const TOLERANCE = 1e-4;
const BATCH = 4;
const CLASSES = 5;
const SMALL_INPUT: [number, number, number, number] = [BATCH, 12, 12, 3];
const BRANCHY_INPUT: [number, number, number, number] = [BATCH, 24, 24, 3];

type Shapes = Record<string, number[]>;
type Params = Record<string, tf.Variable>;

/** Seeded variables named `wasm-kernels-test/<key>`; the caller disposes them. */
function makeParams(shapes: Shapes, seed: number): Params {
  const params: Params = {};
  for (const [i, [key, shape]] of Object.entries(shapes).entries()) {
    const size = shape.reduce((a, b) => a * b, 1);
    // Keep weights small, as an initialiser would, so activations stay O(1).
    const values = seededNormals(seed + i, size).map((v) => v * 0.3);
    params[key] = tf.variable(tf.tensor(values, shape), true, `wasm-kernels-test/${key}`);
  }
  return params;
}

/** BatchNorm with batch statistics as the models in this repo run it: the fused kernels on wasm, tfjs ops on cpu. */
function batchNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  return batchNormTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-5).y as tf.Tensor4D;
}

function labels(): tf.Tensor2D {
  return tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), CLASSES) as tf.Tensor2D;
}

/**
 * Loss and gradients (in `shapes` order) of `loss` on the active backend; variables are created
 * and disposed here, so only the returned tensors outlive the call.
 */
function lossAndGradients(shapes: Shapes, input: [number, number, number, number], loss: (p: Params, x: tf.Tensor4D) => tf.Scalar): tf.Tensor[] {
  const params = makeParams(shapes, 1000);
  try {
    const x = tf.tensor4d(seededNormals(999, input.reduce((a, b) => a * b)), input);
    const { value, grads } = tf.variableGrads(() => loss(params, x));
    return [value, ...Object.values(params).map((v) => grads[v.name])];
  } finally {
    tf.dispose(Object.values(params));
  }
}

const SMALL_NET: Shapes = {
  conv1: [3, 3, 3, 8],
  gamma1: [8],
  beta1: [8],
  conv2: [3, 3, 8, 16],
  dense: [16, CLASSES],
};

/** conv 3x3 - BN - relu - conv 3x3 stride 2 - global mean - dense - softmax cross-entropy. */
function smallNetLoss(p: Params, x: tf.Tensor4D): tf.Scalar {
  let h = tf.conv2d(x, p.conv1 as tf.Tensor4D, 1, 'same');
  h = tf.relu(batchNorm(h, p.gamma1, p.beta1));
  h = tf.conv2d(h, p.conv2 as tf.Tensor4D, 2, 'same');
  const logits = tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p.dense as tf.Tensor2D);
  return tf.losses.softmaxCrossEntropy(labels(), logits) as tf.Scalar;
}

const BRANCHY_NET: Shapes = {
  stem: [7, 7, 3, 8],
  gamma1: [8],
  beta1: [8],
  depthwise: [3, 3, 8, 2],
  gamma2: [16],
  beta2: [16],
  shortcut: [1, 1, 8, 16],
  head: [3, 3, 16, 16],
  denseT: [CLASSES, 16],
};

/**
 * Covers what the small net does not, laid out like core/models' ResNet (PyTorch-style numeric
 * padding): 7x7 stride-2 stem with pad 3, 3x3 stride-2 max pool, a depthwise stride-2 branch with
 * multiplier 2, a 1x1 stride-2 shortcut, a 'valid' conv, and a transposed matMul.
 */
function branchyNetLoss(p: Params, x: tf.Tensor4D): tf.Scalar {
  let h = tf.relu(batchNorm(tf.conv2d(x, p.stem as tf.Tensor4D, 2, 3), p.gamma1, p.beta1));
  h = tf.maxPool(h, 3, 2, 1);
  const branch = tf.relu(batchNorm(tf.depthwiseConv2d(h, p.depthwise as tf.Tensor4D, 2, 1), p.gamma2, p.beta2));
  const shortcut = tf.conv2d(h, p.shortcut as tf.Tensor4D, 2, 0);
  h = tf.relu(tf.add<tf.Tensor4D>(branch, shortcut));
  h = tf.conv2d(h, p.head as tf.Tensor4D, 1, 'valid');
  const logits = tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p.denseT as tf.Tensor2D, false, true);
  return tf.losses.softmaxCrossEntropy(labels(), logits) as tf.Scalar;
}

test('tf.variableGrads of conv-BN-relu-conv(stride 2)-mean-matMul agrees on wasm and cpu', async (t) => {
  const error = await wasmVersusCpu(() => lossAndGradients(SMALL_NET, SMALL_INPUT, smallNetLoss));
  t.diagnostic(`worst max relative error over loss and ${Object.keys(SMALL_NET).length} gradients ${error.toExponential(2)}`);
  assert.ok(error <= TOLERANCE, `max relative error ${error}`);
});

test('tf.variableGrads of a ResNet-like net with max pool, depthwise, 1x1 stride-2 and valid convs agrees on wasm and cpu', async (t) => {
  const error = await wasmVersusCpu(() => lossAndGradients(BRANCHY_NET, BRANCHY_INPUT, branchyNetLoss));
  t.diagnostic(`worst max relative error over loss and ${Object.keys(BRANCHY_NET).length} gradients ${error.toExponential(2)}`);
  assert.ok(error <= TOLERANCE, `max relative error ${error}`);
});

test('the kernels these training steps dispatch are all on wasm, and only the supplied three and the faster replacements are not its own', async () => {
  await tf.setBackend('cpu');
  const dispatched = new Set<string>();
  const nets: [Shapes, [number, number, number, number], typeof smallNetLoss][] = [
    [SMALL_NET, SMALL_INPUT, smallNetLoss],
    [BRANCHY_NET, BRANCHY_INPUT, branchyNetLoss],
  ];
  for (const [shapes, input, loss] of nets) {
    const params = makeParams(shapes, 1000);
    const optimizer = tf.train.sgd(0.1);
    // tf.profile lists every kernel run, the backward pass and the update included.
    const profile = await tf.profile(() => {
      const x = tf.tensor4d(seededNormals(999, input.reduce((a, b) => a * b)), input);
      const { value, grads } = tf.variableGrads(() => loss(params, x));
      optimizer.applyGradients(grads);
      tf.dispose([x, value, ...Object.values(grads)]);
    });
    // The profile also names customGrad scopes (e.g. softmaxCrossEntropy__op), which are no kernels.
    profile.kernelNames.filter((name) => tf.getKernel(name, 'cpu') !== undefined).forEach((name) => dispatched.add(name));
    optimizer.dispose();
    tf.dispose(Object.values(params));
  }
  const ours = [...wasmTrainingKernelConfigs, ...wasmFasterKernelConfigs];
  const supplied = new Set(ours.map((c) => c.kernelFunc));
  const notWasmsOwn = [...dispatched].filter((name) => {
    const kernel = tf.getKernel(name, 'wasm');
    assert.ok(kernel !== undefined, `kernel ${name} is not registered for wasm`);
    return supplied.has(kernel.kernelFunc);
  });
  // The fused BatchNorm pair is bcl-ssl's own kernel name, with no cpu kernel (cpu runs the ops), so
  // the cpu profile cannot list it; batch-norm-training.test.ts checks it on wasm.
  const expected = ours.map((c) => c.kernelName).filter((name) => tf.getKernel(name, 'cpu') !== undefined);
  assert.deepEqual(notWasmsOwn.sort(), expected.sort());
});

test('a training step on wasm leaves no tensors or backend buffers behind', async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  const params = makeParams(BRANCHY_NET, 1000);
  const optimizer = tf.train.sgd(0.1);
  const x = tf.tensor4d(seededNormals(999, BRANCHY_INPUT.reduce((a, b) => a * b)), BRANCHY_INPUT);
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => branchyNetLoss(params, x));
      optimizer.applyGradients(grads);
      return value;
    });
  step().dispose(); // the first step may allocate lazily (optimizer state, kernel setup)
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.engine().backend.numDataIds();
  for (let i = 0; i < 3; i++) step().dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.equal(tf.engine().backend.numDataIds(), buffersBefore);
  optimizer.dispose();
  tf.dispose([x, ...Object.values(params)]);
});
