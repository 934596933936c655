import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededNormals } from '../random/seeded-normals';
import { registerWasmTrainingKernels, useFasterWasmKernels } from '../backends/wasm-training-kernels/index';

/**
 * Per-kernel timings, wasm (with the training kernels) against cpu, at the layer shapes of the
 * training step in kernel-step-bench.ts, with the forward convolution and wasm's own
 * Conv2DBackpropInput alongside for scale (the "stock" column; the "input grad" column is this
 * module's replacement, docs/performance.md).
 * Run: `node dist/core/bench/kernels-bench.js`.
 */

interface Layer {
  readonly label: string;
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly stride: number;
  readonly pad: 'same' | 'valid';
  readonly depthwise: boolean;
}

const LAYERS: Layer[] = [
  { label: 'conv 3x3 16->16 s1 same', x: [8, 16, 16, 16], filter: [3, 3, 16, 16], stride: 1, pad: 'same', depthwise: false },
  { label: 'conv 3x3 16->32 s2 same', x: [8, 16, 16, 16], filter: [3, 3, 16, 32], stride: 2, pad: 'same', depthwise: false },
  { label: 'conv 1x1 16->32 s2 valid', x: [8, 16, 16, 16], filter: [1, 1, 16, 32], stride: 2, pad: 'valid', depthwise: false },
  { label: 'depthwise 3x3 C16 s1 same', x: [8, 16, 16, 16], filter: [3, 3, 16, 1], stride: 1, pad: 'same', depthwise: true },
  { label: 'depthwise 3x3 C16 s2 same', x: [8, 16, 16, 16], filter: [3, 3, 16, 1], stride: 2, pad: 'same', depthwise: true },
];

/** Median ms of `repeats` runs of `run` after one warm-up; each run's output is read back and disposed. */
function medianMs(run: () => tf.Tensor, repeats: number): number {
  const once = (): number => {
    const start = performance.now();
    const out = run();
    out.dataSync();
    const elapsed = performance.now() - start;
    out.dispose();
    return elapsed;
  };
  once();
  const times = Array.from({ length: repeats }, once).sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Forward, filter-gradient and input-gradient timings of one layer on the active backend. */
function timeLayer(layer: Layer, repeats: number): [number, number, number] {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const info = tf.backend_util.computeConv2DInfo(layer.x, layer.filter, layer.stride, 1, layer.pad, undefined, layer.depthwise);
  const x = tf.tensor4d(seededNormals(1, size(layer.x)), layer.x);
  const filter = tf.tensor4d(seededNormals(2, size(layer.filter)), layer.filter);
  const dy = tf.tensor4d(seededNormals(3, size(info.outShape)), info.outShape);
  const attrs = { strides: layer.stride, pad: layer.pad, dataFormat: 'NHWC', dilations: 1 };
  const kernel = (name: string, inputs: tf.NamedTensorMap, extra: object) => () =>
    tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const times: [number, number, number] = layer.depthwise
    ? [
        medianMs(() => tf.depthwiseConv2d(x, filter, layer.stride, layer.pad), repeats),
        medianMs(kernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { filterShape: layer.filter }), repeats),
        medianMs(kernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, { inputShape: layer.x }), repeats),
      ]
    : [
        medianMs(() => tf.conv2d(x, filter, layer.stride, layer.pad), repeats),
        medianMs(kernel(tf.Conv2DBackpropFilter, { x, dy }, { filterShape: layer.filter }), repeats),
        medianMs(kernel(tf.Conv2DBackpropInput, { dy, filter }, { inputShape: layer.x }), repeats),
      ];
  tf.dispose([x, filter, dy]);
  return times;
}

async function main(): Promise<void> {
  registerWasmTrainingKernels();
  const results: Record<string, Record<string, [number, number, number]>> = {};
  for (const [backendName, repeats] of [['wasm', 15], ['cpu', 1]] as const) {
    await tf.setBackend(backendName);
    await tf.ready();
    results[backendName] = Object.fromEntries(LAYERS.map((layer) => [layer.label, timeLayer(layer, repeats)]));
  }
  await tf.setBackend('wasm');
  useFasterWasmKernels(false);
  const stock = Object.fromEntries(LAYERS.map((layer) => [layer.label, timeLayer(layer, 15)[2]]));
  useFasterWasmKernels(true);
  console.log('| layer (batch 8, 16x16) | forward wasm / cpu | filter grad wasm / cpu | input grad wasm / cpu | input grad, wasm stock |');
  console.log('|---|---|---|---|---|');
  for (const layer of LAYERS) {
    const [w, c] = [results.wasm[layer.label], results.cpu[layer.label]];
    const cell = (i: number) => `${w[i].toFixed(2)} / ${c[i].toFixed(1)} ms`;
    console.log(`| ${layer.label} | ${cell(0)} | ${cell(1)} | ${cell(2)} | ${stock[layer.label].toFixed(2)} ms |`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
