import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { container } from 'tsyringe';
import { isBclError } from '../core/errors';
import { readEvalReport } from '../core/eval/eval-report';
import { writeReport } from '../core/eval/report/write-report';
import { transferProbe } from '../core/eval/transfer-probe';
import { Rng } from '../core/random/rng';
import { validateRecipe } from '../core/recipes/resolve-recipe';
import { train } from '../core/run/train';
import { registerSimclr } from '../plugins/simclr/index';
import { writeToyFashionMnist } from './support/toy-fashion-mnist';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-transfer-'));
test.after(() => (process.env.KEEP ? undefined : fs.rmSync(root, { recursive: true, force: true })));

/**
 * A 3-class RGB target of 16x16 PNGs, grey like the source but another task: class c is a bright
 * horizontal band (rows 5c..5c+5) on a dark noisy background.
 */
async function writeTarget(): Promise<{ trainList: string; testList: string; root: string }> {
  const dir = path.join(root, 'target');
  const rng = new Rng(4);
  const lines: Record<'train' | 'test', string[]> = { train: [], test: [] };
  for (const split of ['train', 'test'] as const) {
    for (let i = 0; i < (split === 'train' ? 24 : 12); i++) {
      const c = i % 3;
      const data = new Uint8Array(16 * 16 * 3);
      for (let p = 0; p < 16 * 16; p++) {
        const band = Math.floor(p / 16) >= 5 * c && Math.floor(p / 16) < 5 * c + 5;
        const value = Math.min(255, (band ? 160 : 20) + rng.int(80));
        for (let ch = 0; ch < 3; ch++) data[p * 3 + ch] = value;
      }
      const file = path.join(split, `c${c}`, `${i}.png`);
      fs.mkdirSync(path.join(dir, split, `c${c}`), { recursive: true });
      await sharp(Buffer.from(data), { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(path.join(dir, file));
      lines[split].push(`${file} ${c}`);
    }
  }
  fs.writeFileSync(path.join(dir, 'train.txt'), lines.train.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'test.txt'), lines.test.join('\n') + '\n');
  return { trainList: path.join(dir, 'train.txt'), testList: path.join(dir, 'test.txt'), root: dir };
}

test('bcl transfer: a linear probe on another dataset (image lists resized to the run size, grey), top-1/top-5 in eval.json and the report', { timeout: 300_000 }, async () => {
  const registry = container.createChildContainer();
  registerSimclr(registry);
  const data = writeToyFashionMnist(path.join(root, 'fm'), { trainPerClass: 30, testPerClass: 2 });
  const recipe = validateRecipe({ method: { name: 'simclr', projectionDim: 8 }, backbone: { width: 4 }, data: { dataset: { type: 'fashion-mnist', dir: data, imbalanceRatio: 4 }, batchSize: 16 }, epochs: 3, schedule: { warmupEpochs: 0 } }, 'toy', registry);
  const runDir = path.join(root, 'run');
  await train({ recipe, outDir: runDir, container: registry, backend: 'cpu' });
  const target = await writeTarget();

  const before = tf.memory().numTensors;
  const entry = await transferProbe(runDir, { ...target, name: 'colours', epochs: 100, container: registry, backend: 'cpu' });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual([entry.trainSize, entry.testSize, entry.numClasses], [24, 12, 3]);
  // Three classes: top-5 is top-3, always right; the bands are easy to tell apart, so the probe
  // must do far better than chance (33 %).
  assert.equal(entry.accuracy.top5, 100);
  assert.ok(entry.accuracy.top1 >= 75, `top-1 ${entry.accuracy.top1}`);
  assert.equal(entry.accuracy.many, null);

  const report = readEvalReport(runDir)!;
  assert.deepEqual(report.transfer!.map((t) => t.name), ['colours']);
  await transferProbe(runDir, { ...target, name: 'colours', epochs: 2, container: registry, backend: 'cpu' });
  assert.equal(readEvalReport(runDir)!.transfer!.length, 1, 'an entry of the same name is replaced');
  const html = fs.readFileSync((await writeReport([runDir], path.join(root, 'report'))).html, 'utf8');
  assert.ok(html.includes('transfer colours'));

  // A test list with a label the train list lacks is refused.
  fs.writeFileSync(path.join(target.root, 'bad.txt'), 'test/c0/0.png 5\n');
  await assert.rejects(transferProbe(runDir, { ...target, testList: path.join(target.root, 'bad.txt'), container: registry, backend: 'cpu', write: false }), (e: unknown) => isBclError(e));
});
