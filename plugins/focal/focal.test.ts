import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { focalWeighting } from './index';

test('focal weighting matches (1 - e^-l)^gamma * l worked by hand, and gamma 0 is the identity', async () => {
  await tf.setBackend('cpu');
  const losses = [0.1, 1, 3, 5.5];
  const input = tf.tensor2d([losses.slice(0, 2), losses.slice(2)]);
  const out = focalWeighting(input, 2);
  const got = Array.from(out.dataSync());
  losses.forEach((l, i) => assert.ok(Math.abs(got[i] - (1 - Math.exp(-l)) ** 2 * l) < 1e-6));
  assert.equal(focalWeighting(input, 0), input);
  tf.dispose([input, out]);
});

test('gradients flow through the weights: d/dl [(1-e^-l)^2 l] = (1-e^-l)^2 + 2 l e^-l (1-e^-l)', async () => {
  await tf.setBackend('cpu');
  const l = 0.7;
  const grad = tf.grad((x: tf.Tensor) => focalWeighting(x as tf.Tensor2D, 2).sum())(tf.tensor2d([[l]]));
  const q = 1 - Math.exp(-l);
  assert.ok(Math.abs(grad.dataSync()[0] - (q * q + 2 * l * Math.exp(-l) * q)) < 1e-6);
  grad.dispose();
});
