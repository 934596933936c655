import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DependencyContainer } from 'tsyringe';
import type { BackendName } from '../backends/select-backend';
import { atomicWriteOrFail } from './write-weights';
import { decodeCheckpoint } from '../checkpoint/checkpoint-format';
import type { IndexedDataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { BclError } from '../errors';
import { EVAL_FORMAT, readEvalReport, writeEvalReport, type EvalReport, type FinetuneEntry } from '../eval/eval-report';
import { classNames } from '../eval/evaluate-run';
import { extractFeatures, type FeatureSet } from '../eval/features';
import { probeAccuracy, type ProbeAccuracy } from '../eval/long-tail-metrics';
import { groupsFor, type GroupRuleName } from '../eval/probe-sets';
import { createLinear } from '../models/linear';
import type { Module } from '../models/module';
import type { ResNet } from '../models/resnet';
import { deriveSeed, Rng } from '../random/rng';
import { loadRun } from '../run/load-run';
import { backboneFromMethod } from './backbone-from-run';
import { finetuneLr, resolveFinetuneOptions, type FinetuneMethod, type FinetuneOptions } from './finetune-options';
import { trainClassifierBalanced, trainNetwork } from './train-classifier';

/** Options of {@link finetuneRun}. */
export interface FinetuneRunOptions extends FinetuneOptions {
  readonly container?: DependencyContainer;
  readonly backend?: BackendName;
  /** Many / Medium / Few rule. Default `auto`. */
  readonly groups?: GroupRuleName;
  /** Write the entries into `<dir>/eval.json` (and the CE weights to `<dir>/finetune/ce.ckpt`). Default true. */
  readonly write?: boolean;
  readonly log?: (line: string) => void;
}

/** File holding the CE stage's backbone, which cRT starts from. */
export function ceWeightsFile(dir: string): string {
  return path.join(dir, 'finetune', 'ce.ckpt');
}

const BACKBONE = 'finetune/backbone';

/**
 * Supervised long-tailed classification from a pretrained run (BCL's Table 3): `ce`, `la`, or
 * `crt` (which needs the CE backbone: it reuses `<dir>/finetune/ce.ckpt` when that was trained
 * from the same checkpoint with the same options, else trains CE first and reports both). Scores
 * each on the balanced test set with Many / Medium / Few and merges the entries into
 * `<dir>/eval.json`. Frees every tensor it made.
 */
export async function finetuneRun(dir: string, method: FinetuneMethod, options: FinetuneRunOptions = {}): Promise<FinetuneEntry[]> {
  const resolved = resolveFinetuneOptions(options);
  const log = options.log ?? (() => undefined);
  const run = await loadRun(dir, { container: options.container, backend: options.backend });
  const { recipe, dataset: train, checkpoint } = run;
  let backbone: ResNet;
  try {
    if (train.numClasses < 2 || train.classCounts().length === 0) {
      throw new BclError('USAGE', `${dir}: the training set ${train.name} has no labels, so there is nothing to fine-tune on.`, { hint: 'bcl finetune needs a labelled long-tailed dataset.' });
    }
    backbone = backboneFromMethod(run.method, recipe, train.imageShape.channels as 1 | 3, BACKBONE);
  } finally {
    run.dispose();
  }
  const test = await loadDataset(recipe.data.dataset, recipe.seed, 'test');
  const { groups } = groupsFor(train, options.groups);
  const norm = { mean: recipe.data.mean, std: recipe.data.std };
  const score = async (classifier: Module): Promise<ProbeAccuracy> => {
    const features = await encodeFrozen(backbone, test, norm);
    return probeAccuracy(await logits(classifier, features), features.labels, train.numClasses, groups);
  };
  const entries: FinetuneEntry[] = [];
  const ceMeta = { checkpoint, options: pick(resolved, ['epochs', 'batchSize', 'lr', 'weightDecay', 'warmupEpochs', 'cropPadding', 'flip', 'seed']) };
  try {
    if (method === 'ce' || method === 'la' || !reuseCeWeights(dir, backbone, ceMeta)) {
      const stage = method === 'la' ? 'la' : 'ce';
      const started = Date.now();
      const classifier = createLinear({ name: 'finetune/classifier', rng: new Rng(deriveSeed(resolved.seed, 0xc1a5)), inFeatures: backbone.featureDim, outFeatures: train.numClasses });
      try {
        log(`${stage.toUpperCase()}: ${resolved.epochs} epochs of the whole network on ${train.name} (${train.size} images)`);
        const history = await trainNetwork(backbone, classifier, { dataset: train, ...norm, rng: new Rng(deriveSeed(resolved.seed, 0x5a3e)), log }, {
          epochs: resolved.epochs,
          batchSize: resolved.batchSize,
          weightDecay: resolved.weightDecay,
          cropPadding: resolved.cropPadding,
          flip: resolved.flip,
          lrAt: (epoch) => finetuneLr(epoch, resolved),
          adjustment: stage === 'la' ? logPrior(train, resolved.tau) : undefined,
        });
        const accuracy = await score(classifier);
        const stageOptions = stage === 'la' ? { ...ceMeta.options, tau: resolved.tau } : ceMeta.options;
        entries.push({ method: stage, options: stageOptions, source: train.name, trainSize: train.size, finalLoss: history.at(-1)?.loss ?? NaN, seconds: (Date.now() - started) / 1000, accuracy });
        log(`${stage.toUpperCase()}: top-1 ${accuracy.top1.toFixed(2)}, many ${fmt(accuracy.many)} medium ${fmt(accuracy.medium)} few ${fmt(accuracy.few)}`);
        if (stage === 'ce' && (options.write ?? true)) await saveCeWeights(dir, backbone, ceMeta);
      } finally {
        classifier.dispose();
      }
    }
    if (method === 'crt') {
      const started = Date.now();
      log(`cRT: ${resolved.crtEpochs} epochs of a new classifier on the frozen CE backbone, class-balanced sampling`);
      const features = await encodeFrozen(backbone, train, norm);
      const classifier = createLinear({ name: 'finetune/crt-classifier', rng: new Rng(deriveSeed(resolved.seed, 0xc27)), inFeatures: backbone.featureDim, outFeatures: train.numClasses });
      try {
        const history = await trainClassifierBalanced(classifier, features, train.numClasses, new Rng(deriveSeed(resolved.seed, 0xba1)), {
          epochs: resolved.crtEpochs,
          batchSize: resolved.batchSize,
          lr: resolved.crtLr,
          weightDecay: 5e-4,
          log,
        });
        const accuracy = await score(classifier);
        entries.push({ method: 'crt', options: { ...ceMeta.options, crtEpochs: resolved.crtEpochs, crtLr: resolved.crtLr }, source: train.name, trainSize: train.size, finalLoss: history.at(-1)?.loss ?? NaN, seconds: (Date.now() - started) / 1000, accuracy });
        log(`cRT: top-1 ${accuracy.top1.toFixed(2)}, many ${fmt(accuracy.many)} medium ${fmt(accuracy.medium)} few ${fmt(accuracy.few)}`);
      } finally {
        classifier.dispose();
      }
    }
  } finally {
    backbone.dispose();
  }
  if (options.write ?? true) mergeIntoEvalReport(dir, entries, { train, test, recipe, checkpoint });
  return entries;
}

/** tau * log(n_c / n): Menon et al.'s adjustment, added to the logits in the loss only. */
export function logPrior(train: IndexedDataset, tau: number): Float32Array {
  const counts = train.classCounts();
  const total = counts.reduce((a, b) => a + b, 0);
  const missing = counts.findIndex((n) => n === 0);
  if (missing >= 0) throw new BclError('USAGE', `logit adjustment needs every class in the training set, but class ${missing} of ${train.name} has no image.`);
  return Float32Array.from(counts, (n) => tau * Math.log(n / total));
}

async function encodeFrozen(backbone: ResNet, dataset: IndexedDataset, norm: { mean: readonly number[]; std: readonly number[] }): Promise<FeatureSet> {
  return extractFeatures((images) => backbone.apply(images, { training: false }) as tf.Tensor2D, dataset, norm);
}

async function logits(classifier: Module, set: FeatureSet): Promise<Float32Array> {
  const out = tf.tidy(() => classifier.apply(tf.tensor2d(set.features, [set.size, set.dim]), { training: false }));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

async function saveCeWeights(dir: string, backbone: ResNet, meta: unknown): Promise<void> {
  const arrays = [];
  for (const v of [...backbone.trainableVariables(), ...backbone.stateVariables()]) arrays.push({ name: v.name, shape: v.shape, data: (await v.data()) as Float32Array });
  atomicWriteOrFail(ceWeightsFile(dir), meta, arrays);
}

/** Loads the saved CE backbone when it was trained from the same run checkpoint with the same options. */
function reuseCeWeights(dir: string, backbone: ResNet, meta: { checkpoint: string; options: Record<string, number> }): boolean {
  const file = ceWeightsFile(dir);
  if (!fs.existsSync(file)) return false;
  const saved = decodeCheckpoint<typeof meta>(fs.readFileSync(file), file);
  if (JSON.stringify(saved.meta) !== JSON.stringify(meta)) return false;
  for (const v of [...backbone.trainableVariables(), ...backbone.stateVariables()]) {
    const array = saved.arrays.get(v.name);
    if (!array || array.shape.join() !== v.shape.join()) return false;
  }
  for (const v of [...backbone.trainableVariables(), ...backbone.stateVariables()]) {
    const array = saved.arrays.get(v.name)!;
    tf.tidy(() => v.assign(tf.tensor(array.data as Float32Array, v.shape)));
  }
  return true;
}

function mergeIntoEvalReport(dir: string, entries: FinetuneEntry[], context: { train: IndexedDataset; test: IndexedDataset; recipe: { method: { name: string }; plugins: { name: string }[]; data: { dataset: Parameters<typeof classNames>[0] } }; checkpoint: string }): void {
  const existing = readEvalReport(dir);
  const { train, test, recipe } = context;
  const base: EvalReport = existing ?? {
    format: EVAL_FORMAT,
    createdAt: new Date().toISOString(),
    run: { dir, method: recipe.method.name, plugins: recipe.plugins.map((p) => p.name), checkpoint: context.checkpoint, epochs: 0, step: 0 },
    backend: tf.getBackend(),
    data: {
      train: { name: train.name, size: train.size, classCounts: Array.from(train.classCounts()) },
      test: { name: test.name, size: test.size, classCounts: Array.from(test.classCounts()) },
      classNames: classNames(recipe.data.dataset, train.numClasses),
    },
    groups: { rule: 'thirds', many: [], medium: [], few: [] },
    knn: null,
    linear: [],
    skipped: [],
    seconds: 0,
  };
  const kept = (base.finetune ?? []).filter((old) => !entries.some((e) => e.method === old.method));
  writeEvalReport(dir, { ...base, finetune: [...kept, ...entries] });
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, from[k]])) as Record<string, number>;
}

function fmt(x: number | null): string {
  return x === null ? '-' : x.toFixed(2);
}

