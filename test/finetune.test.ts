import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container } from 'tsyringe';
import { readEvalReport } from '../core/eval/eval-report';
import { evaluateRun } from '../core/eval/evaluate-run';
import { writeReport } from '../core/eval/report/write-report';
import { backboneFromMethod } from '../core/finetune/backbone-from-run';
import { ceWeightsFile, finetuneRun, logPrior } from '../core/finetune/finetune-run';
import { validateRecipe } from '../core/recipes/resolve-recipe';
import { loadRun } from '../core/run/load-run';
import { train } from '../core/run/train';
import { registerSimclr } from '../plugins/simclr/index';
import { writeToyFashionMnist } from './support/toy-fashion-mnist';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-finetune-'));
test.after(() => fs.rmSync(root, { recursive: true, force: true }));
const registry = container.createChildContainer();
registerSimclr(registry);
const runDir = path.join(root, 'run');
// A long-tailed toy problem: 10 classes of 12x12 images (a bright square per class plus noise),
// 60 images for the head down to 2 for the tail (r = 30); balanced test set of 20 per class.
const data = writeToyFashionMnist(path.join(root, 'fm'), { trainPerClass: 60, testPerClass: 20 });
const recipe = validateRecipe(
  { method: { name: 'simclr', projectionDim: 8 }, backbone: { width: 4 }, data: { dataset: { type: 'fashion-mnist', dir: data, imbalanceRatio: 30, nMax: 60 }, batchSize: 32 }, epochs: 1, schedule: { warmupEpochs: 0 } },
  'toy',
  registry,
);
const ready = train({ recipe, outDir: runDir, container: registry, backend: 'cpu' });
const short = { container: registry, backend: 'cpu' as const, epochs: 6, batchSize: 32, warmupEpochs: 1 };

test('the copied backbone computes the SSL method\'s features exactly', async () => {
  await ready;
  const run = await loadRun(runDir, { container: registry, backend: 'cpu' });
  const backbone = backboneFromMethod(run.method, run.recipe, 1, 'copy/backbone');
  try {
    const x = tf.randomNormal([3, 12, 12, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    const a = run.method.encode(x);
    const b = backbone.apply(x, { training: false });
    assert.deepEqual(Array.from(await a.data()), Array.from(await b.data()));
    tf.dispose([x, a, b]);
  } finally {
    backbone.dispose();
    run.dispose();
  }
});

test('logit adjustment adds tau * log(n_c / n)', async () => {
  await ready;
  const run = await loadRun(runDir, { container: registry, backend: 'cpu' });
  try {
    const counts = Array.from(run.dataset.classCounts());
    const total = counts.reduce((a, b) => a + b, 0);
    const prior = logPrior(run.dataset, 1);
    counts.forEach((n, c) => assert.ok(Math.abs(prior[c] - Math.log(n / total)) < 1e-6));
    assert.ok(Math.abs(logPrior(run.dataset, 0.5)[9] - 0.5 * Math.log(counts[9] / total)) < 1e-6);
  } finally {
    run.dispose();
  }
});

test('bcl finetune on a long-tailed toy problem: LA beats CE on Few; cRT reuses the CE backbone; all in eval.json and the report', { timeout: 300_000 }, async () => {
  await ready;
  const before = tf.memory().numTensors;
  const [ce] = await finetuneRun(runDir, 'ce', short);
  const [la] = await finetuneRun(runDir, 'la', short);
  assert.equal(tf.memory().numTensors, before, 'no tensor survives fine-tuning');
  // Plain CE on r = 30 data predicts the head; the logit-adjusted loss moves the decision
  // boundary toward the tail (Menon et al.): Few must rise clearly, at some cost to Many.
  assert.ok(la.accuracy.few! > ce.accuracy.few! + 10, `LA few ${la.accuracy.few} vs CE few ${ce.accuracy.few}`);
  assert.ok(la.accuracy.many! < ce.accuracy.many! + 1e-9, `LA many ${la.accuracy.many} vs CE many ${ce.accuracy.many}`);
  assert.equal(la.options.tau, 1);

  assert.ok(fs.existsSync(ceWeightsFile(runDir)));
  const lines: string[] = [];
  const crt = await finetuneRun(runDir, 'crt', { ...short, log: (l) => lines.push(l) });
  assert.deepEqual(crt.map((e) => e.method), ['crt'], 'the saved CE backbone is reused');
  assert.ok(!lines.some((l) => l.startsWith('CE:')), lines.join('\n'));
  // Class-balanced re-training of the classifier lifts Few over CE's classifier on the same backbone.
  assert.ok(crt[0].accuracy.few! > ce.accuracy.few!, `cRT few ${crt[0].accuracy.few} vs CE few ${ce.accuracy.few}`);
  // Other CE options: the saved backbone does not apply, CE runs again first.
  const again = await finetuneRun(runDir, 'crt', { ...short, epochs: 2, crtEpochs: 2, write: false });
  assert.deepEqual(again.map((e) => e.method), ['ce', 'crt']);

  const report = readEvalReport(runDir)!;
  assert.deepEqual(report.finetune!.map((e) => e.method), ['ce', 'la', 'crt']);
  assert.equal(report.finetune![0].accuracy.few, ce.accuracy.few);
  // bcl eval rewrites the probes and keeps the fine-tuning results.
  await evaluateRun(runDir, { container: registry, backend: 'cpu', probe: 'knn' });
  assert.deepEqual(readEvalReport(runDir)!.finetune!.map((e) => e.method), ['ce', 'la', 'crt']);
  const written = await writeReport([runDir], path.join(root, 'report'));
  const html = fs.readFileSync(written.html, 'utf8');
  for (const name of ['finetune CE', 'finetune LA', 'finetune cRT']) assert.ok(html.includes(name), name);
});
