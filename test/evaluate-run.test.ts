import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container } from 'tsyringe';
import { registerSimclr } from '../plugins/simclr/index';
import { validateRecipe } from '../core/recipes/resolve-recipe';
import { train } from '../core/run/train';
import { evaluateRun } from '../core/eval/evaluate-run';
import { evalReportFile } from '../core/eval/eval-report';

test('evaluateRun loads a trained run, runs both probes and frees every tensor it made', async () => {
  await tf.setBackend('cpu');
  const registry = container.createChildContainer();
  registerSimclr(registry);
  const recipe = validateRecipe(
    {
      method: { name: 'simclr', projectionDim: 8 },
      backbone: { width: 2 },
      data: { dataset: { type: 'synthetic', size: 12, height: 8, width: 8, numClasses: 3 }, batchSize: 6 },
      epochs: 1,
      schedule: { warmupEpochs: 1 },
    },
    'tiny',
    registry,
  );
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-evaluate-')), 'run');
  await train({ recipe, outDir: dir, container: registry, backend: 'cpu' });

  const before = tf.memory().numTensors;
  const lines: string[] = [];
  const report = await evaluateRun(dir, { container: registry, backend: 'cpu', shots: ['full', 1], seeds: 2, epochs: 3, write: false, log: (l) => lines.push(l) });
  assert.equal(tf.memory().numTensors, before, 'method variables, features and probes are all disposed');
  assert.equal(fs.existsSync(evalReportFile(dir)), false, 'write: false writes nothing');

  assert.equal(report.run.method, 'simclr');
  assert.equal(report.run.epochs, 1);
  assert.equal(report.knn?.k, 12);
  assert.deepEqual(report.linear.map((l) => [l.shots, l.trainSize, l.seeds]), [['full', 12, [0]], [1, 3, [0, 1]]]);
  assert.deepEqual(report.skipped, []);
  // Each image set is encoded once: the test set, then the training set (bank and full-shot set).
  assert.equal(lines.filter((l) => l.startsWith('encoded')).length, 2, lines.join('\n'));
});
