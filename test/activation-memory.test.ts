import 'reflect-metadata';
import assert from 'node:assert/strict';
import test from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isBclError } from '../core/errors';
import { createResNet } from '../core/models/resnet';
import { useCpuBackend } from '../core/models/spec-helpers';
import { Rng } from '../core/random/rng';
import { resolveRecipe } from '../core/recipes/resolve-recipe';
import { checkActivationMemory, convOutputFloatsPerImage, WASM_HEAP_MAX_BYTES } from '../core/run/activation-memory';
import { isOutOfMemory } from '../core/run/out-of-memory';
import { registerBuiltinPlugins } from '../plugins';

registerBuiltinPlugins();

test('conv outputs of a width-2 CIFAR-stem ResNet-18 on 8x8x1, counted by hand', () => {
  // input 64; stem 2x64; stage 1: 4 convs of 2x8x8; stage 2: 4 convs of 4x4x4 + projection;
  // stage 3: 4 of 8x2x2 + projection; stage 4: 4 of 16x1x1 + projection.
  const expected = 64 + 128 + 4 * 128 + (4 * 64 + 64) + (4 * 32 + 32) + (4 * 16 + 16);
  assert.equal(convOutputFloatsPerImage({ arch: 'resnet', depth: 18, stem: 'cifar', width: 2 }, { height: 8, width: 8, channels: 1 }), expected);
});

test('the count equals the Conv2D outputs of a real forward pass, for each depth and stem', async () => {
  await useCpuBackend();
  for (const [depth, stem, size] of [[18, 'cifar', 9], [34, 'imagenet', 33], [50, 'imagenet', 32], [50, 'cifar', 8]] as const) {
    const net = createResNet({ name: `mem${depth}${stem}`, rng: new Rng(1), depth, stem, baseWidth: 2, inputChannels: 1 });
    const x = tf.zeros([1, size, size, 1]);
    const profile = await tf.profile(() => tf.tidy(() => net.apply(x, { training: false })));
    const convFloats = profile.kernels.filter((k) => k.name === 'Conv2D').reduce((sum, k) => sum + k.outputShapes.reduce((s, shape) => s + (shape ?? []).reduce((a, b) => a * b, 1), 0), 0);
    assert.equal(convOutputFloatsPerImage({ arch: 'resnet', depth, stem, width: 2 }, { height: size, width: size, channels: 1 }), size * size + convFloats, `ResNet-${depth} ${stem} ${size}x${size}`);
    x.dispose();
    net.dispose();
  }
});

test('a batch whose conv outputs exceed the wasm heap is refused on wasm, naming the bound; other backends and shipped recipes pass', () => {
  const recipe = resolveRecipe('simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded', undefined, ['data.batchSize=16']);
  const huge = { height: 1024, width: 1024, channels: 3 };
  assert.throws(
    () => checkActivationMemory(recipe, huge, 'wasm'),
    (e: unknown) => isBclError(e) && e.code === 'RECIPE_INVALID' && /batchSize 16 cannot fit the wasm backend's 4 GiB heap: .*1024x1024x3 .*ResNet-18 \(width 8, cifar stem\) holds at least 4\.9 GiB/.test(e.message) && /well below 13/.test(e.message),
  );
  checkActivationMemory(recipe, huge, 'webgpu');
  const oneImage = resolveRecipe('simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded', undefined, ['data.batchSize=1']);
  assert.throws(() => checkActivationMemory(oneImage, { height: 16384, width: 16384, channels: 3 }, 'wasm'), /Not even one image fits/);
  // The paper's settings fit the bound: width 64, batch 512 on 32x32x3 and 28x28x1.
  const paper = resolveRecipe('simclr_resnet18_b512-cos-200e_fashion-mnist-lt');
  checkActivationMemory(paper, { height: 28, width: 28, channels: 1 }, 'wasm');
  checkActivationMemory(paper, { height: 32, width: 32, channels: 3 }, 'wasm');
  assert.ok(4 * convOutputFloatsPerImage(paper.backbone, { height: 32, width: 32, channels: 3 }) * 512 < WASM_HEAP_MAX_BYTES / 2);
});

test('out-of-memory failures are told from bugs', () => {
  const wasmTrap = Object.assign(new Error('memory access out of bounds'), { name: 'RuntimeError' });
  assert.ok(isOutOfMemory(wasmTrap));
  assert.ok(isOutOfMemory(new RangeError('Array buffer allocation failed')));
  assert.ok(isOutOfMemory(new Error('Aborted(Cannot enlarge memory arrays to size 4294967296 bytes (OOM).)')));
  assert.ok(!isOutOfMemory(new Error('memory access out of bounds'))); // not a wasm trap
  assert.ok(!isOutOfMemory(new TypeError('cannot read properties of undefined (reading "zoom")')));
  assert.ok(!isOutOfMemory('out of memory'));
});
