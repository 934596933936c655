import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { container } from 'tsyringe';
import { isBclError } from '../core/errors';
import { readEvalReport } from '../core/eval/eval-report';
import { planStudy, runStudy, type StudyOutcome } from '../core/study/run-study';
import { readStudySpec } from '../core/study/study-spec';
import { registerBuiltinPlugins } from '../plugins/index';
import { protocolValues } from '../core/study/study-table';
import { registerBcl } from '../plugins/bcl/index';
import { registerSimclr } from '../plugins/simclr/index';
import { registerDnc } from '../plugins/dnc/index';
import { writeToyFashionMnist } from './support/toy-fashion-mnist';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-study-'));
test.after(() => fs.rmSync(root, { recursive: true, force: true }));
const data = writeToyFashionMnist(path.join(root, 'fmnist'), { trainPerClass: 12, testPerClass: 4 });

const base = {
  method: { name: 'simclr', projectionDim: 8 },
  backbone: { width: 2 },
  data: { dataset: { type: 'fashion-mnist', dir: data, imbalanceRatio: 4, nMax: 12, sampleSeed: 3 }, batchSize: 8 },
  epochs: 2,
  schedule: { warmupEpochs: 1 },
  checkpoint: { everySteps: 1, keepLast: 2 },
};
fs.writeFileSync(path.join(root, 'simclr.json'), JSON.stringify(base));
fs.writeFileSync(path.join(root, 'bcl-simclr.json'), JSON.stringify({ extends: './simclr.json', plugins: [{ name: 'bcl' }] }));
const study = {
  methods: [
    { label: 'simclr', recipe: './simclr.json' },
    { label: 'bcl-simclr', recipe: './bcl-simclr.json' },
  ],
  seeds: [0, 1],
  classPermutations: [0, 1],
  eval: { shots: ['full', 2], seeds: 1, epochs: 5, knnK: 5 },
};
const studyFile = path.join(root, 'study.json');
fs.writeFileSync(studyFile, JSON.stringify(study));

function registry() {
  const r = container.createChildContainer();
  registerSimclr(r);
  registerBcl(r);
  return r;
}

test('bcl study: grid of 2 methods x 2 seeds x 2 permutations plus floors, interrupted mid-cell, resumed to the same table', { timeout: 600_000 }, async () => {
  const out = path.join(root, 'out');
  const reg = registry();
  // Abort during the third method cell, at its third step.
  let methodCells = 0;
  const controller = new AbortController();
  const attach = (events: import('../core/events/event-bus').EventBus) => {
    methodCells++;
    const mine = methodCells;
    const onProgress = (e: { step: number }) => {
      if (mine === 3 && e.step === 2) controller.abort();
    };
    events.on('progress', onProgress);
    return () => void events.off('progress', onProgress);
  };
  await assert.rejects(runStudy({ file: studyFile, outDir: out, container: reg, backend: 'cpu', signal: controller.signal, attach }), (e: unknown) => isBclError(e) && e.code === 'INTERRUPTED');
  const partial = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { cells: { dir: string; status: string; label: string }[] };
  // Order: (perm 0, seed 0): 2 floors, 2 methods; (perm 0, seed 1): 2 floors, then the interrupted cell.
  assert.deepEqual(partial.cells.map((c) => c.status).slice(0, 7), ['evaluated', 'evaluated', 'trained', 'trained', 'evaluated', 'evaluated', 'pending']);
  const interruptedDir = partial.cells[6].dir;
  assert.equal(path.basename(interruptedDir), 'simclr_p0_s1');
  assert.ok(fs.readdirSync(path.join(interruptedDir, 'checkpoints')).length > 0, 'the interrupted cell left a checkpoint');
  assert.equal(readEvalReport(interruptedDir), undefined);
  assert.match(fs.readFileSync(path.join(out, 'table.md'), 'utf8'), /Pending \(10 of 16\)/);
  const firstEval = fs.readFileSync(path.join(out, 'runs', 'simclr_p0_s0', 'eval.json'), 'utf8');

  const lines: string[] = [];
  const outcome: StudyOutcome = await runStudy({ file: studyFile, outDir: out, container: reg, backend: 'cpu', log: (l) => lines.push(l) });
  const status = new Map(outcome.cells.map((c) => [path.basename(c.cell.dir), c.status]));
  assert.equal(status.get('simclr_p0_s0'), 'reused');
  assert.equal(status.get('raw-pixels_p0_s0'), 'reused');
  assert.equal(status.get('simclr_p0_s1'), 'resumed');
  assert.equal(status.get('bcl-simclr_p1_s1'), 'trained');
  assert.equal(outcome.cells.length, 16);
  assert.equal(fs.readFileSync(path.join(out, 'runs', 'simclr_p0_s0', 'eval.json'), 'utf8'), firstEval, 'a finished cell is not evaluated again');
  const resumed = readEvalReport(interruptedDir)!;
  assert.equal(resumed.run.epochs, 2);
  assert.ok(lines.some((l) => /simclr perm 0 seed 1: resuming from epoch 0 batch 3/.test(l)), lines.join('\n'));

  // Each permutation puts the head (12 images) on another class; the training counts say which.
  const p0 = readEvalReport(path.join(out, 'runs', 'simclr_p0_s0'))!.data.train.classCounts;
  const p1 = readEvalReport(path.join(out, 'runs', 'simclr_p1_s0'))!.data.train.classCounts;
  assert.notDeepEqual(p0, p1);
  assert.deepEqual([...p0].sort((a, b) => b - a), [...p1].sort((a, b) => b - a));

  // The table: every method and floor has n = 4 cells; the paired kNN difference is recomputed by
  // hand from the eval.json files: d_i = bcl - simclr per (perm, seed); mean ± t(0.975, 3) s / 2.
  const knn = outcome.table.protocols.find((p) => p.protocol === 'kNN')!;
  assert.deepEqual(knn.rows.map((r) => [r.label, r.n]), [['simclr', 4], ['bcl-simclr', 4], ['floor:raw-pixels', 4], ['floor:random-init', 4]]);
  const d: number[] = [];
  for (const perm of [0, 1]) {
    for (const seed of [0, 1]) {
      const top1 = (label: string) => protocolValues(readEvalReport(path.join(out, 'runs', `${label}_p${perm}_s${seed}`))!).get('kNN')!.top1!;
      d.push(top1('bcl-simclr') - top1('simclr'));
    }
  }
  const mean = d.reduce((a, b) => a + b) / 4;
  const s = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / 3);
  const paired = knn.paired.find((p) => p.label === 'bcl-simclr')!.metrics.top1!;
  assert.ok(Math.abs(paired.mean - mean) < 1e-9);
  assert.ok(Math.abs(paired.high! - (mean + (3.1824463052837078 * s) / 2)) < 1e-6);
  assert.ok(outcome.table.protocols.some((p) => p.protocol === 'linear full-shot'));
  assert.ok(outcome.table.protocols.some((p) => p.protocol === 'linear 2-shot'));
  const markdown = fs.readFileSync(path.join(out, 'table.md'), 'utf8');
  assert.match(markdown, /Paired differences vs simclr/);
  assert.doesNotMatch(markdown, /Pending/);
  assert.ok(outcome.report && fs.existsSync(outcome.report));
  // The raw-pixel floor probes 12 x 12 = 144-dimensional features and has no checkpoint.
  assert.equal(readEvalReport(path.join(out, 'floors', 'raw-pixels_p1_s1'))!.run.method, 'floor:raw-pixels');

  // A third run does nothing but reuse.
  const again = await runStudy({ file: studyFile, outDir: out, container: reg, backend: 'cpu' });
  assert.ok(again.cells.every((c) => c.status === 'reused'));
});

test('bcl study refuses bad study files and permutations of a fixed dataset, naming the field', async () => {
  const reg = registry();
  const write = (name: string, value: unknown) => {
    const file = path.join(root, name);
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
  };
  const bad = write('bad.json', { ...study, baseline: 'nope', seeds: [0, 0] });
  await assert.rejects(runStudy({ file: bad, outDir: path.join(root, 'bad'), container: reg }), (e: unknown) => isBclError(e) && e.code === 'RECIPE_INVALID' && /study\.baseline must be one of the method labels \(simclr, bcl-simclr\)/.test(e.message) && /study\.seeds lists 0 twice/.test(e.message));
  fs.writeFileSync(path.join(root, 'embedded.json'), JSON.stringify({ ...base, data: { dataset: { type: 'embedded-fashion-mnist-lt' }, batchSize: 8 } }));
  const fixed = write('fixed.json', { methods: [{ label: 'e', recipe: './embedded.json' }], seeds: [0], classPermutations: [1] });
  await assert.rejects(runStudy({ file: fixed, outDir: path.join(root, 'fixed'), container: reg }), (e: unknown) => isBclError(e) && e.code === 'RECIPE_INVALID' && /classPermutations needs a long-tailed dataset built from a balanced source/.test(e.message));
  await assert.rejects(runStudy({ file: path.join(root, 'missing.json'), container: reg }), (e: unknown) => isBclError(e) && e.code === 'USAGE' && /does not exist/.test(e.message));
});

test('bcl study with a DnC method: the cell runs every DnC stage on the permuted data and evaluates the student, then reuses it', { timeout: 300_000 }, async () => {
  const reg = registry();
  registerDnc(reg);
  fs.writeFileSync(path.join(root, 'dnc.json'), JSON.stringify({ recipe: './simclr.json', clusters: 2, stages: { base: { overrides: { epochs: 1 } }, experts: { overrides: { epochs: 1, data: { batchSize: 4 } } }, distill: { overrides: { epochs: 1 } } } }));
  const file = path.join(root, 'study-dnc.json');
  fs.writeFileSync(file, JSON.stringify({ methods: [{ label: 'simclr', recipe: './simclr.json' }, { label: 'dnc', dnc: './dnc.json' }], seeds: [0], classPermutations: [1], floors: [], report: false, eval: { shots: [2], seeds: 1, epochs: 5, knnK: 5 } }));
  const out = path.join(root, 'out-dnc');
  const first = await runStudy({ file, outDir: out, container: reg, backend: 'cpu' });
  assert.deepEqual(first.cells.map((c) => [c.cell.label, c.status]), [['simclr', 'trained'], ['dnc', 'trained']]);
  const student = path.join(out, 'runs', 'dnc_p1_s0', 'distill');
  const report = readEvalReport(student)!;
  assert.equal(report.run.method, 'dnc-distill');
  // The permutation reached every stage: the base and the student train on the same permuted counts as the SimCLR cell.
  assert.deepEqual(report.data.train.classCounts, readEvalReport(path.join(out, 'runs', 'simclr_p1_s0'))!.data.train.classCounts);
  const expert = JSON.parse(fs.readFileSync(path.join(out, 'runs', 'dnc_p1_s0', 'experts', 'e0', 'recipe.json'), 'utf8')) as { seed: number; data: { dataset: { classPermutationSeed: number } } };
  assert.deepEqual([expert.seed, expert.data.dataset.classPermutationSeed], [0, 1]);
  assert.ok(first.table.protocols.find((p) => p.protocol === 'kNN')!.rows.some((r) => r.label === 'dnc' && r.n === 1));
  const again = await runStudy({ file, outDir: out, container: reg, backend: 'cpu' });
  assert.ok(again.cells.every((c) => c.status === 'reused'), JSON.stringify(again.cells.map((c) => c.status)));
  const both = path.join(root, 'study-both.json');
  fs.writeFileSync(both, JSON.stringify({ methods: [{ label: 'x', recipe: './simclr.json', dnc: './dnc.json' }], seeds: [0] }));
  assert.throws(() => readStudySpec(both), /study\.methods\[0\] \(x\) needs exactly one of "recipe"/);
});

test('the shipped study files plan: every cell a valid recipe on a permuted long-tailed Fashion-MNIST', () => {
  const reg = container.createChildContainer();
  registerBuiltinPlugins(reg);
  const dir = path.join(__dirname, '..', '..', 'recipes', 'studies');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 2);
  for (const file of files) {
    const spec = readStudySpec(path.join(dir, file));
    const cells = planStudy(spec, path.join(dir, file), path.join(root, 'plan'), reg);
    assert.equal(cells.length, (spec.methods.length + spec.floors.length) * spec.seeds.length * spec.classPermutations.length, file);
    for (const cell of cells) {
      // A DnC cell's stages share the budget: base + one expert pass over the data + student = 100 epochs.
      const recipes = cell.dnc ? [cell.dnc.base, ...cell.dnc.experts, cell.dnc.distill] : [cell.recipe];
      assert.equal(cell.dnc ? cell.dnc.base.epochs + cell.dnc.experts[0].epochs + cell.dnc.distill.epochs : cell.recipe.epochs, 100, file);
      for (const recipe of recipes) {
        const dataset = recipe.data.dataset;
        assert.equal(dataset.type, 'fashion-mnist');
        assert.equal(dataset.type === 'fashion-mnist' ? dataset.classPermutationSeed : undefined, cell.permutation);
        assert.equal(recipe.seed, cell.seed);
      }
    }
  }
});
