import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Sgd } from './sgd';
import { Lars } from './lars';

/** torch.optim.SGD's update, written out in float64 for the check. */
function torchSgd(w: number[], grads: number[][], lr: number, m: number, wd: number, nesterov: boolean): number[] {
  const buf = w.map(() => 0);
  const out = [...w];
  for (const g of grads) {
    for (let i = 0; i < out.length; i++) {
      const d = g[i] + wd * out[i];
      buf[i] = m * buf[i] + d;
      out[i] -= lr * (nesterov ? d + m * buf[i] : buf[i]);
    }
  }
  return out;
}

for (const nesterov of [false, true]) {
  test(`SGD matches torch.optim.SGD's update rule (nesterov=${nesterov})`, async () => {
    await tf.setBackend('cpu');
    const w0 = [0.5, -1.25, 2];
    const grads = [[0.1, -0.2, 0.3], [-0.4, 0.5, 0.05], [0.2, 0.2, -0.6]];
    const v = tf.variable(tf.tensor1d(w0), true, 'test/w');
    const sgd = new Sgd([v], { momentum: 0.9, weightDecay: 5e-4, nesterov });
    for (const g of grads) {
      const grad = tf.tensor1d(g);
      sgd.apply({ 'test/w': grad }, 0.5);
      grad.dispose();
    }
    const expected = torchSgd(w0, grads, 0.5, 0.9, 5e-4, nesterov);
    const got = Array.from(v.dataSync());
    got.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-5, `${x} vs ${expected[i]}`));
    sgd.dispose();
    v.dispose();
  });
}

test('LARS scales each layer by eta*||w||/||g + wd*w|| and leaves 1-D variables unadapted', async () => {
  await tf.setBackend('cpu');
  const w = tf.variable(tf.tensor2d([[3, 4]]), true, 'test/kernel'); // ||w|| = 5
  const b = tf.variable(tf.tensor1d([1]), true, 'test/bias');
  const lars = new Lars([w, b], { momentum: 0.9, weightDecay: 0, eta: 0.001, excludeBiasAndNorm: true });
  const gw = tf.tensor2d([[0, 2]]); // ||g|| = 2 -> trust = 0.001 * 5 / 2
  const gb = tf.tensor1d([0.5]);
  lars.apply({ 'test/kernel': gw, 'test/bias': gb }, 0.1);
  const trust = (0.001 * 5) / 2;
  assert.deepEqual(Array.from(w.dataSync()).map((x) => +x.toFixed(7)), [3, +(4 - 0.1 * trust * 2).toFixed(7)]);
  assert.ok(Math.abs(b.dataSync()[0] - (1 - 0.1 * 0.5)) < 1e-7);
  tf.dispose([w, b, gw, gb]);
  lars.dispose();
});
