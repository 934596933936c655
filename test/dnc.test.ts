import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container } from 'tsyringe';
import { decodeCheckpoint } from '../core/checkpoint/checkpoint-format';
import { readNpyIndices } from '../core/data/datasets/npy-reader';
import type { ClusterFile } from '../core/dnc/cluster-stage';
import { readDistillTargets } from '../core/dnc/distill-targets';
import { planDnc, runDnc } from '../core/dnc/run-dnc';
import { readDncSpec } from '../core/dnc/dnc-spec';
import { isBclError } from '../core/errors';
import type { EventBus } from '../core/events/event-bus';
import { readMetricsLog } from '../core/run/metrics-log';
import { registerDnc } from '../plugins/dnc/index';
import { registerBuiltinPlugins } from '../plugins/index';
import { registerSimclr } from '../plugins/simclr/index';
import { bcl, bclInterruptedAtFirstStep } from './support/cli';
import { checkpointFiles } from './support/checkpoint-files';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-dnc-'));
test.after(() => fs.rmSync(root, { recursive: true, force: true }));

const SAMPLES = 48;
fs.writeFileSync(
  path.join(root, 'simclr.json'),
  JSON.stringify({
    method: { name: 'simclr', projectionDim: 8 },
    backbone: { width: 2 },
    data: { dataset: { type: 'synthetic', size: SAMPLES, height: 8, width: 8, channels: 3, numClasses: 4 }, batchSize: 8 },
    epochs: 2,
    schedule: { warmupEpochs: 1 },
    checkpoint: { everySteps: 1, keepLast: 2 },
  }),
);
const spec = { recipe: './simclr.json', clusters: 2, stages: { experts: { overrides: { epochs: 1, data: { batchSize: 4 } } }, distill: { overrides: { epochs: 2 } } } };
function writeSpec(name: string, value: unknown): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}
const specFile = writeSpec('dnc.json', spec);

function registry() {
  const r = container.createChildContainer();
  registerSimclr(r);
  registerDnc(r);
  return r;
}

test('bcl dnc: base, clusters covering every sample once, experts on their clusters from the base, targets, distillation; interrupted in an expert and resumed to the same student', { timeout: 300_000 }, async () => {
  const reg = registry();
  const straight = path.join(root, 'straight');
  const before = tf.memory().numTensors;
  const outcome = await runDnc({ file: specFile, outDir: straight, container: reg, backend: 'cpu' });
  assert.equal(tf.memory().numTensors, before, 'the whole pipeline leaves no tensor behind');
  assert.deepEqual(outcome.stages.map((s) => [s.stage, s.status]), [['base', 'trained'], ['clusters', 'made'], ['expert 0', 'trained'], ['expert 1', 'trained'], ['targets', 'made'], ['distill', 'trained']]);

  // The clusters partition the training set: every index in exactly one cluster file.
  const clusters = JSON.parse(fs.readFileSync(path.join(straight, 'clusters.json'), 'utf8')) as ClusterFile;
  const members = await Promise.all(clusters.files.map((f) => readNpyIndices(path.join(straight, f))));
  assert.deepEqual([...members.flatMap((m) => [...m])].sort((a, b) => a - b), Array.from({ length: SAMPLES }, (_, i) => i));
  assert.deepEqual(members.map((m) => m.length), clusters.sizes);
  members.forEach((m, c) => m.forEach((i) => assert.equal(clusters.assignment[i], c)));
  assert.equal(clusters.classCounts.flat().reduce((a, b) => a + b), SAMPLES);

  // Each expert trained on its cluster only (batch 4, one epoch) and started from the base's last checkpoint.
  for (const [k, size] of clusters.sizes.entries()) {
    const dir = path.join(straight, 'experts', `e${k}`);
    const recipe = JSON.parse(fs.readFileSync(path.join(dir, 'recipe.json'), 'utf8')) as { initFrom: string; data: { subsetFile: string } };
    assert.equal(recipe.initFrom, path.join(straight, 'base'));
    assert.equal(recipe.data.subsetFile, path.join(straight, 'clusters', `c${k}.npy`));
    const steps = readMetricsLog(path.join(dir, 'metrics.jsonl')).filter((r) => r.scope === 'epoch').at(-1)!.step + 1;
    assert.equal(steps, Math.floor(size / 4), `expert ${k}: ${size} samples in batches of 4`);
  }

  // The targets: 3 teachers (the base, 2 experts) x 48 samples x 16 features (ResNet-18 width 2), unit rows.
  const targets = readDistillTargets(path.join(straight, 'targets.bin'));
  assert.deepEqual([targets.teachers, targets.size, targets.dim], [3, SAMPLES, 16]);
  assert.deepEqual(targets.sources.map((s) => s.split(path.sep)[0]), ['base', 'experts', 'experts']);
  for (let r = 0; r < targets.teachers * targets.size; r++) {
    const row = targets.values.subarray(r * 16, (r + 1) * 16);
    assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-5);
  }
  const distillRecipe = JSON.parse(fs.readFileSync(path.join(straight, 'distill', 'recipe.json'), 'utf8')) as { initFrom?: string; method: { name: string; base: { name: string }; sslWeight: number } };
  assert.equal(distillRecipe.method.name, 'dnc-distill');
  assert.equal(distillRecipe.method.base.name, 'simclr');
  assert.equal(distillRecipe.method.sslWeight, 0, "DnC's student learns from the teachers alone by default");
  assert.equal(distillRecipe.initFrom, undefined, 'and starts from scratch');

  // The same job, stopped at the second step of expert 1, then run again: it resumes there and
  // ends with the same student, bit for bit.
  const interrupted = path.join(root, 'interrupted');
  const controller = new AbortController();
  let runs = 0;
  const attach = (events: EventBus) => {
    const mine = ++runs;
    const onProgress = (e: { step: number }) => {
      if (mine === 3 && e.step === 2) controller.abort();
    };
    events.on('progress', onProgress);
    return () => void events.off('progress', onProgress);
  };
  await assert.rejects(runDnc({ file: specFile, outDir: interrupted, container: reg, backend: 'cpu', signal: controller.signal, attach }), (e: unknown) => isBclError(e) && e.code === 'INTERRUPTED');
  assert.ok(!fs.existsSync(path.join(interrupted, 'distill')));
  const lines: string[] = [];
  const resumed = await runDnc({ file: specFile, outDir: interrupted, container: reg, backend: 'cpu', log: (l) => lines.push(l) });
  assert.deepEqual(resumed.stages.map((s) => [s.stage, s.status]), [['base', 'complete'], ['clusters', 'complete'], ['expert 0', 'complete'], ['expert 1', 'resumed'], ['targets', 'made'], ['distill', 'trained']]);
  assert.ok(lines.some((l) => /dnc expert 1: resuming from epoch 0 batch 3/.test(l)), lines.join('\n'));
  const lastCheckpoint = (dir: string) => {
    const files = checkpointFiles(path.join(dir, 'checkpoints'));
    return files.at(-1)!;
  };
  const weights = (dir: string) => {
    const file = path.join(dir, 'checkpoints', lastCheckpoint(dir));
    const { arrays } = decodeCheckpoint(fs.readFileSync(file), file);
    return new Map([...arrays].filter(([name]) => name.startsWith('var:')).map(([name, a]) => [name, [...a.data]]));
  };
  assert.equal(lastCheckpoint(path.join(interrupted, 'distill')), lastCheckpoint(path.join(straight, 'distill')));
  const student = weights(path.join(straight, 'distill'));
  assert.ok(student.has('var:dnc/head1/fc2/kernel') && student.has('var:simclr/backbone/conv1/kernel'), [...student.keys()].slice(0, 5).join(', '));
  assert.deepEqual(weights(path.join(interrupted, 'distill')), student, 'resumed and uninterrupted students have the same weights');

  // A third run only reuses.
  const again = await runDnc({ file: specFile, outDir: interrupted, container: reg, backend: 'cpu' });
  assert.ok(again.stages.every((s) => s.status === 'complete'), JSON.stringify(again.stages));

  // Another K for the same folder would orphan the experts: refused, naming the setting.
  const otherK = writeSpec('dnc-k3.json', { ...spec, clusters: 3 });
  await assert.rejects(runDnc({ file: otherK, outDir: interrupted, container: reg, backend: 'cpu' }), (e: unknown) => isBclError(e) && e.code === 'RESUME_MISMATCH' && /k 2 -> 3/.test(e.message));
});

test('bcl dnc refuses clusters smaller than the experts\' batch, bad DnC files and unknown recipes, naming the fix', { timeout: 120_000 }, async () => {
  const reg = registry();
  const tooBig = writeSpec('dnc-batch.json', { ...spec, stages: { ...spec.stages, base: { overrides: { epochs: 1 } }, experts: { overrides: { data: { batchSize: 40 } } } } });
  await assert.rejects(runDnc({ file: tooBig, outDir: path.join(root, 'batch'), container: reg, backend: 'cpu' }), (e: unknown) => {
    assert.ok(isBclError(e) && e.code === 'RECIPE_INVALID', String(e));
    assert.match(e.message, /smaller than the experts' batch size 40/);
    assert.match(e.message, /"batchSize": \d+/);
    return true;
  });
  // The base stage it trained is kept for the corrected job.
  assert.ok(checkpointFiles(path.join(root, 'batch', 'base', 'checkpoints')).length > 0);

  const typo = writeSpec('dnc-typo.json', { ...spec, clusterz: 2 });
  assert.throws(() => readDncSpec(typo), (e: unknown) => isBclError(e) && e.code === 'RECIPE_INVALID' && /clusterz/.test(e.message));
  const one = writeSpec('dnc-one.json', { ...spec, clusters: 1 });
  assert.throws(() => readDncSpec(one), (e: unknown) => isBclError(e) && /dnc\.clusters/.test(e.message) && />=\s*2/.test(e.message));
  const unknown = writeSpec('dnc-unknown.json', { ...spec, recipe: 'simclr_no_such_recipe' });
  assert.throws(() => planDnc(readDncSpec(unknown), unknown, path.join(root, 'unknown'), reg), (e: unknown) => isBclError(e) && e.code === 'RECIPE_INVALID' && /simclr_no_such_recipe/.test(e.message));
  // A bad stage override is named with its stage before anything trains.
  const badOverride = writeSpec('dnc-override.json', { ...spec, stages: { distill: { overrides: { epochs: 0 } } } });
  assert.throws(() => planDnc(readDncSpec(badOverride), badOverride, path.join(root, 'override'), reg), (e: unknown) => isBclError(e) && /stage distill/.test(e.message) && /epochs/.test(e.message));
  assert.ok(!fs.existsSync(path.join(root, 'override')));
});

test('the shipped DnC files plan every stage with valid recipes', () => {
  const reg = container.createChildContainer();
  registerBuiltinPlugins(reg);
  const dir = path.join(__dirname, '..', '..', 'recipes', 'dnc');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 2, files.join(', '));
  for (const file of files) {
    const plan = planDnc(readDncSpec(path.join(dir, file)), path.join(dir, file), path.join(root, 'plans', file), reg);
    assert.equal(plan.experts.length, plan.spec.clusters);
    assert.equal(plan.distill.method.name, 'dnc-distill');
  }
});

test('bcl dnc from the command line: Ctrl-C names the command that continues; it trains every stage, says what to run next, and eval, export and finetune read the student', { timeout: 300_000 }, async () => {
  const out = path.join(root, 'cli');
  const stopped = await bclInterruptedAtFirstStep(['dnc', specFile, '--out', out, '--backend', 'cpu'], 'SIGINT');
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.match(stopped.stderr, /error \[INTERRUPTED\]: stopped by request at step \d+ .*Hint: Continue with: bcl dnc \S+dnc\.json --out \S+cli --backend cpu/);
  const run = bcl(['dnc', specFile, '--out', out, '--backend', 'cpu']);
  assert.match(run.stderr, /dnc base: resuming from epoch 0 batch \d+/);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /done: DnC in .*; 2 clusters of \d+, \d+ samples; student /);
  assert.match(run.stdout, /next: bcl eval .*cli\/distill/);
  const evaluated = bcl(['eval', path.join(out, 'distill'), '--backend', 'cpu', '--probe', 'knn']);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.match(evaluated.stdout, /kNN/);
  const exported = bcl(['export', path.join(out, 'distill')]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /ResNet-18, width 2.*simclr\/backbone/);
  const finetuned = bcl(['finetune', path.join(out, 'distill'), '--method', 'ce', '--epochs', '2', '--backend', 'cpu']);
  assert.equal(finetuned.status, 0, finetuned.stderr);
  const again = bcl(['dnc', specFile, '--out', out, '--backend', 'cpu']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /dnc distill: done/);
  const missing = bcl(['dnc', path.join(root, 'nope.json')]);
  assert.equal(missing.status, 12);
  assert.match(missing.stderr, /DnC file .*nope\.json does not exist/);
});
