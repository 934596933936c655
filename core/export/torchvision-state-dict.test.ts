import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createResNet } from '../models/resnet';
import { Rng } from '../random/rng';
import torchvision from '../../test/fixtures/torchvision-resnet.json';
import { hwioToOihw, toTorchvisionStateDict } from './torchvision-state-dict';

test('hwioToOihw moves element [y, x, i, o] to [o, i, y, x] (a 2x1x2x3 kernel worked by hand)', () => {
  // HWIO value = 1000y + 100x + 10i + o, so each output element names its source.
  const shape = [2, 1, 2, 3];
  const data = new Float32Array(12);
  for (let y = 0; y < 2; y++) for (let i = 0; i < 2; i++) for (let o = 0; o < 3; o++) data[(y * 2 + i) * 3 + o] = 1000 * y + 10 * i + o;
  const oihw = hwioToOihw({ shape, data });
  assert.deepEqual(oihw.shape, [3, 2, 2, 1]);
  assert.deepEqual(Array.from(oihw.data), [0, 1000, 10, 1010, 1, 1001, 11, 1011, 2, 1002, 12, 1012]);
});

for (const [depth, arch] of [
  [18, 'resnet18'],
  [50, 'resnet50'],
] as const) {
  test(`a width-64 ImageNet-stem ResNet-${depth} exports torchvision ${arch}'s state_dict names, shapes and order, with num_batches_tracked`, () => {
    tf.setBackend('cpu');
    const net = createResNet({ name: 'm/backbone', rng: new Rng(0), depth, stem: 'imagenet' });
    try {
      // Shapes only: data of the right length, not the weights (filling 25M values would be slow and prove nothing more here).
      const variables = [...net.trainableVariables(), ...net.stateVariables()].map((v) => ({ path: v.name.slice('m/backbone/'.length), shape: v.shape, data: new Float32Array(v.size) }));
      const entries = toTorchvisionStateDict(variables, 42);
      const entry = (e: (typeof entries)[number]): [string, number[]] => [e.name, [...e.shape]];
      const isBuffer = (name: string): boolean => /running_(mean|var)$/.test(name);
      assert.deepEqual(entries.filter((e) => e.dtype === 'F32' && !isBuffer(e.name)).map(entry), torchvision[arch].parameters);
      assert.deepEqual(entries.filter((e) => isBuffer(e.name)).map(entry), torchvision[arch].buffers);
      const tracked = entries.filter((e) => e.dtype === 'I64');
      assert.deepEqual(tracked.map((e) => e.name), (torchvision[arch].buffers as [string, number[]][]).filter(([n]) => n.endsWith('running_mean')).map(([n]) => n.replace('running_mean', 'num_batches_tracked')));
      assert.ok(tracked.every((e) => e.shape.length === 0 && Buffer.from(e.data).readBigInt64LE(0) === 42n));
      // torchvision's state_dict order: each BatchNorm's weight, bias, running_mean, running_var, num_batches_tracked together.
      assert.deepEqual(entries.slice(0, 7).map((e) => e.name), ['conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked', 'layer1.0.conv1.weight']);
    } finally {
      net.dispose();
    }
  });
}

test('a variable that is not a ResNet conv or BatchNorm is refused by name', () => {
  const data = new Float32Array(4);
  assert.throws(() => toTorchvisionStateDict([{ path: 'head/weight', shape: [2, 2], data }], 0), /cannot export module head with variables weight/);
  assert.throws(() => toTorchvisionStateDict([{ path: 'loose', shape: [4], data }], 0), /cannot export variable "loose"/);
});
