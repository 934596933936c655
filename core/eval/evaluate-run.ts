import * as tf from '@tensorflow/tfjs';
import type { DependencyContainer } from 'tsyringe';
import type { BackendName } from '../backends/select-backend';
import { FASHION_MNIST_CLASSES } from '../data/datasets/fashion-mnist';
import { loadDataset } from '../data/load-dataset';
import { BclError } from '../errors';
import type { IndexedDataset } from '../data/dataset';
import type { DatasetSpec } from '../recipes/recipe-schema';
import { loadRun } from '../run/load-run';
import { EVAL_FORMAT, readEvalReport, writeEvalReport, type EvalReport } from './eval-report';
import { runProbes, type ProbeOptions } from './run-probes';

/** Options of {@link evaluateRun}: the probe options plus where and how to load the run. */
export interface EvaluateRunOptions extends ProbeOptions {
  /** Tensor backend; default: BCL_BACKEND or the best available. */
  readonly backend?: BackendName;
  /** Container holding the plugin registrations (default: tsyringe's root container). */
  readonly container?: DependencyContainer;
  /** A checkpoint file instead of the run's newest valid one. */
  readonly checkpoint?: string;
  /** Write `eval.json` into the run folder. Default true. */
  readonly write?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Evaluates a trained run folder: loads its method with the checkpoint's weights, runs the probes
 * on the recipe's test split and writes `<dir>/eval.json` (see docs/evaluation.md). Frees every
 * tensor it made before returning.
 */
export async function evaluateRun(dir: string, options: EvaluateRunOptions = {}): Promise<EvalReport> {
  const started = Date.now();
  const run = await loadRun(dir, { backend: options.backend, container: options.container, checkpoint: options.checkpoint });
  try {
    const { recipe, dataset: train } = run;
    if (train.numClasses === 0 || train.classCounts().length === 0) {
      throw new BclError('USAGE', `${dir}: the training set ${train.name} has no labels, so there is nothing to evaluate against.`, {
        hint: 'Evaluation needs a labelled dataset (the embedded Fashion-MNIST-LT set, Fashion-MNIST, CIFAR or synthetic data).',
      });
    }
    const test = await loadDataset(recipe.data.dataset, recipe.seed, 'test');
    options.log?.(`evaluating ${dir} (${recipe.method.name}${recipe.plugins.length ? ' + ' + recipe.plugins.map((p) => p.name).join(' + ') : ''}, epoch ${run.checkpointMeta.epoch}) on ${tf.getBackend()}`);
    const probes = await runProbes(
      {
        encode: (images) => run.method.encode(images),
        mean: recipe.data.mean,
        std: recipe.data.std,
        spec: recipe.data.dataset,
        train,
        test,
        log: options.log,
      },
      options,
    );
    const report: EvalReport = {
      format: EVAL_FORMAT,
      createdAt: new Date().toISOString(),
      run: {
        dir,
        method: recipe.method.name,
        plugins: recipe.plugins.map((p) => p.name),
        checkpoint: run.checkpoint,
        epochs: run.checkpointMeta.epoch,
        step: run.checkpointMeta.step,
      },
      backend: tf.getBackend(),
      data: evalDataSection(recipe.data.dataset, train, test),
      ...probes,
      seconds: (Date.now() - started) / 1000,
    };
    if (options.write ?? true) {
      // bcl finetune's and bcl transfer's results live in the same file; a new probe evaluation keeps them.
      const { finetune, transfer } = readKept(dir);
      writeEvalReport(dir, { ...report, ...(finetune ? { finetune } : {}), ...(transfer ? { transfer } : {}) });
    }
    return report;
  } finally {
    run.dispose();
  }
}

function readKept(dir: string): Pick<EvalReport, 'finetune' | 'transfer'> {
  try {
    const old = readEvalReport(dir);
    return { finetune: old?.finetune, transfer: old?.transfer };
  } catch {
    return {}; // an unreadable old file is replaced whole
  }
}

/** eval.json's `data`: the probe's training and test sets with their class counts, and the class names. */
export function evalDataSection(spec: DatasetSpec, train: IndexedDataset, test: IndexedDataset): EvalReport['data'] {
  return {
    train: { name: train.name, size: train.size, classCounts: Array.from(train.classCounts()) },
    test: { name: test.name, size: test.size, classCounts: Array.from(test.classCounts()) },
    classNames: classNames(spec, train.numClasses),
  };
}

/** Class names for a dataset spec: Fashion-MNIST's names when they apply, else the class ids. */
export function classNames(spec: DatasetSpec, numClasses: number): string[] {
  if ((spec.type === 'embedded-fashion-mnist-lt' || spec.type === 'fashion-mnist') && numClasses === FASHION_MNIST_CLASSES.length) {
    return [...FASHION_MNIST_CLASSES];
  }
  return Array.from({ length: numClasses }, (_, c) => String(c));
}
