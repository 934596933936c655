import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import { countParameters } from './parameters';
import { createResNet, type ResNet, type ResNetDepth } from './resnet';
import { useCpuBackend } from './spec-helpers';
import torchvision from '../../test/fixtures/torchvision-resnet.json';

type Entry = [string, number[]];

/** Our variable as a torchvision state_dict entry: `<prefix>/layer1.0.conv1/kernel` -> `layer1.0.conv1.weight`, HWIO -> OIHW. */
function asTorch(prefix: string, variable: tf.Variable): Entry {
  const [path, leaf] = variable.name.slice(prefix.length + 1).split('/');
  const torchLeaf = { kernel: 'weight', gamma: 'weight', beta: 'bias' }[leaf] ?? leaf;
  const s = variable.shape;
  return [`${path}.${torchLeaf}`, s.length === 4 ? [s[3], s[2], s[0], s[1]] : s];
}

describe('createResNet', () => {
  before(useCpuBackend);

  for (const [depth, arch, count] of [
    [18, 'resnet18', 11_176_512],
    [50, 'resnet50', 23_508_032],
  ] as const) {
    it(`ResNet-${depth} (imagenet stem, width 64) has torchvision's ${count} parameters, names, shapes and buffers`, () => {
      const net = createResNet({ name: `tv${depth}`, rng: new Rng(0), depth, stem: 'imagenet' });
      assert.equal(countParameters(net), count);
      assert.deepEqual(net.trainableVariables().map((v) => asTorch(`tv${depth}`, v)), torchvision[arch].parameters);
      assert.deepEqual(net.stateVariables().map((v) => asTorch(`tv${depth}`, v)), torchvision[arch].buffers);
      assert.equal(net.featureDim, depth === 50 ? 2048 : 512);
      net.dispose();
    });
  }

  it('counts torchvision parameters for ResNet-34 (21,284,672) and CIFAR-stem ResNet-18 (11,168,832)', () => {
    // References: torchvision 0.14.1, fc removed; CIFAR stem = conv1 replaced by Conv2d(3, 64, 3, 1, 1, bias=False).
    for (const [depth, stem, count] of [
      [34, 'imagenet', 21_284_672],
      [18, 'cifar', 11_168_832],
    ] as const) {
      const net = createResNet({ name: `count${depth}${stem}`, rng: new Rng(0), depth, stem });
      assert.equal(countParameters(net), count, `ResNet-${depth} ${stem}`);
      net.dispose();
    }
  });

  for (const depth of [18, 34, 50] as ResNetDepth[]) {
    it(`ResNet-${depth} maps [B, H, W, C] images to [B, featureDim] for both stems and 1 or 3 channels`, () => {
      const expansion = depth === 50 ? 4 : 1;
      for (const [stem, size, channels] of [
        ['cifar', 8, 3],
        ['imagenet', 32, 3],
        ['cifar', 12, 1],
      ] as const) {
        const net = createResNet({ name: `shape${depth}${stem}${channels}`, rng: new Rng(0), depth, stem, baseWidth: 2, inputChannels: channels });
        assert.equal(net.featureDim, 8 * 2 * expansion);
        const x = tf.randomUniform([2, size, size, channels], 0, 1, 'float32', 1);
        for (const training of [true, false]) {
          const y = net.apply(x, { training });
          assert.deepEqual(y.shape, [2, net.featureDim], `${stem} ${channels}ch training=${training}`);
          y.dispose();
        }
        x.dispose();
        net.dispose();
      }
    });
  }

  it('gives identical weights for the same seed and different weights for another seed', () => {
    const build = (name: string, seed: number): ResNet => createResNet({ name, rng: new Rng(seed), depth: 18, baseWidth: 4 });
    const a = build('seed-a', 7);
    const b = build('seed-b', 7);
    const c = build('seed-c', 8);
    const values = (net: ResNet) => net.trainableVariables().map((v) => Array.from(v.dataSync()));
    assert.deepEqual(values(a), values(b));
    const firstKernelA = values(a)[0];
    const firstKernelC = values(c)[0];
    assert.notDeepEqual(firstKernelA, firstKernelC);
    // Every conv kernel differs, not only the first one drawn.
    const kernels = (net: ResNet) => net.trainableVariables().filter((v) => v.name.endsWith('/kernel'));
    kernels(a).forEach((kernel, i) => assert.notDeepEqual(Array.from(kernel.dataSync()), Array.from(kernels(c)[i].dataSync()), kernel.name));
    [c, b, a].forEach((net) => net.dispose());
  });

  it('zero-inits the last BN gamma of every block with zeroInitResidual, and nothing else', () => {
    const basic = createResNet({ name: 'zi18', rng: new Rng(0), depth: 18, baseWidth: 2, zeroInitResidual: true });
    const bottleneck = createResNet({ name: 'zi50', rng: new Rng(0), depth: 50, baseWidth: 2, zeroInitResidual: true });
    for (const [net, lastBn] of [
      [basic, /\.bn2\/gamma$/],
      [bottleneck, /\.bn3\/gamma$/],
    ] as const) {
      const gammas = net.trainableVariables().filter((v) => v.name.endsWith('/gamma'));
      for (const gamma of gammas) {
        const expected = lastBn.test(gamma.name) && gamma.name.includes('/layer') ? 0 : 1;
        assert.ok(Array.from(gamma.dataSync()).every((g) => g === expected), `${gamma.name} should be ${expected}`);
      }
      assert.equal(gammas.filter((g) => lastBn.test(g.name)).length, net === basic ? 8 : 16);
    }
    bottleneck.dispose();
    basic.dispose();
  });

  it('validates options up front with the option path', () => {
    const rng = new Rng(0);
    const before = tf.memory().numTensors;
    assert.throws(() => createResNet({ name: 'v', rng, depth: 101 as ResNetDepth }), /v\.depth must be one of 18, 34, 50, but got 101/);
    assert.throws(() => createResNet({ name: 'v', rng, depth: 18, stem: 'tiny' as 'cifar' }), /v\.stem must be one of "cifar", "imagenet"/);
    assert.throws(() => createResNet({ name: 'v', rng, depth: 18, baseWidth: 0 }), /v\.baseWidth must be a positive integer, but got 0/);
    assert.throws(() => createResNet({ name: 'v', rng, depth: 18, inputChannels: 4 as 3 }), /v\.inputChannels must be one of 1, 3/);
    assert.equal(tf.memory().numTensors, before, 'a rejected ResNet creates no variables');
  });
});
