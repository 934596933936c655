import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { syntheticDataset } from '../data/synthetic-dataset';
import { emptyPolicy } from '../data/augmentation-policy';
import { ViewPipeline } from '../data/view-pipeline';
import { extractFeatures, selectRows } from './features';

const mean = [0.2, 0.5, 0.7];
const std = [0.3, 0.25, 0.4];

test('features see the images exactly as the training pipeline normalises them, in batches, without leaks', async () => {
  await tf.setBackend('cpu');
  const dataset = syntheticDataset({ size: 7, height: 4, width: 3, channels: 3, numClasses: 3, seed: 5 });
  // The reference: the training view pipeline with augmentation switched off ('none').
  const pipeline = new ViewPipeline(dataset, { seed: 0, pipelines: { views: [], paths: [], rest: [] }, mean, std });
  const indices = Int32Array.from([6, 0, 3, 2]);
  const [views] = pipeline.views(indices, 1, 1, emptyPolicy(indices));
  const expected = views.reshape([4, 36]).dataSync();
  views.dispose();

  const before = tf.memory().numTensors;
  // Identity "encoder": flattens the normalised batch, so the features are the network's input.
  const encode = (x: tf.Tensor4D): tf.Tensor2D => x.reshape([x.shape[0], -1]);
  const features = await extractFeatures(encode, dataset, { mean, std, batchSize: 3, indices });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(features.size, 4);
  assert.equal(features.dim, 36);
  assert.deepEqual(Array.from(features.features), Array.from(expected));
  assert.deepEqual(Array.from(features.labels), [6 % 3, 0, 0, 2]);

  // A hand-checked pixel: (x / 255 - mean) / std for channel 1 of image 6's first pixel.
  const raw = dataset.image(6).data[1];
  assert.ok(Math.abs(features.features[1] - (raw / 255 - 0.5) / 0.25) < 1e-5);

  const rows = selectRows(features, [3, 1]);
  assert.deepEqual(Array.from(rows.labels), [2, 0]);
  assert.deepEqual(Array.from(rows.features.subarray(0, 36)), Array.from(features.features.subarray(3 * 36, 4 * 36)));
});

test('an encoder returning the wrong number of rows is an error, and its tensor is still freed', async () => {
  await tf.setBackend('cpu');
  const dataset = syntheticDataset({ size: 4, height: 2, width: 2, channels: 1, numClasses: 2 });
  const before = tf.memory().numTensors;
  await assert.rejects(
    extractFeatures((x) => x.reshape([-1, 1]) as tf.Tensor2D, dataset, { mean: [0.5], std: [0.5] }),
    /encode returned 16 rows for a batch of 4 images/,
  );
  assert.equal(tf.memory().numTensors, before);
});
