import * as tf from '@tensorflow/tfjs';
import type { DependencyContainer } from 'tsyringe';
import type { BackendName } from '../backends/select-backend';
import { loadImageList } from '../data/datasets/image-list';
import { BclError } from '../errors';
import { loadRun } from '../run/load-run';
import { EVAL_FORMAT, readEvalReport, writeEvalReport, type EvalReport, type TransferEntry } from './eval-report';
import { evalDataSection } from './evaluate-run';
import { extractFeatures } from './features';
import { linearScores, trainLinearProbe } from './linear-probe';
import { probeAccuracy } from './long-tail-metrics';

/** Options of {@link transferProbe}. */
export interface TransferProbeOptions {
  /** `relative/path label` list of the target dataset's training images. */
  readonly trainList: string;
  /** The target's test list. */
  readonly testList: string;
  /** Folder both lists' paths are relative to. */
  readonly root: string;
  /** Name of the target in eval.json and the report. Default: the train list's base name. */
  readonly name?: string;
  /** Linear-probe epochs. Default 500 (the authors' eval_sgd). */
  readonly epochs?: number;
  /** Seeds the probe. Default 0. */
  readonly seed?: number;
  readonly container?: DependencyContainer;
  readonly backend?: BackendName;
  /** Merge the entry into `<dir>/eval.json`. Default true. */
  readonly write?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * The transfer protocol of BCL's Table 4: the run's frozen backbone is probed on another dataset.
 * Both lists' images are resized (cover, centre crop) to the run's image size and converted to
 * its channel count, normalised with the run's mean / std, encoded, and a linear probe (the
 * authors' `eval_sgd`) trains on the train list's features; top-1 and top-5 on the test list go
 * into `eval.json` as `transfer[]` (replacing an entry of the same name). Frees every tensor.
 */
export async function transferProbe(dir: string, options: TransferProbeOptions): Promise<TransferEntry> {
  const started = Date.now();
  const run = await loadRun(dir, { container: options.container, backend: options.backend });
  try {
    const { height, width, channels } = run.dataset.imageShape;
    if (channels !== 1 && channels !== 3) throw new BclError('USAGE', `${dir}: the run's images have ${channels} channels; transfer needs 1 or 3.`);
    const load = (listFile: string, numClasses?: number) => loadImageList({ listFile, root: options.root, size: [height, width], fit: 'cover', channels, numClasses });
    const train = await load(options.trainList);
    const test = await load(options.testList, train.numClasses);
    if (test.numClasses !== train.numClasses) {
      throw new BclError('USAGE', `${options.testList} has labels up to ${test.numClasses - 1}, but ${options.trainList} only up to ${train.numClasses - 1}.`, { hint: 'Both lists must use the same label ids.' });
    }
    const norm = { mean: run.recipe.data.mean, std: run.recipe.data.std };
    const encode = (images: tf.Tensor4D) => run.method.encode(images);
    options.log?.(`transfer to ${train.name}: encoding ${train.size} + ${test.size} images at ${height}x${width}x${channels}`);
    const trainFeatures = await extractFeatures(encode, train, norm);
    const testFeatures = await extractFeatures(encode, test, norm);
    const epochs = options.epochs ?? 500;
    const probe = await trainLinearProbe(trainFeatures, train.numClasses, { epochs, seed: options.seed ?? 0 });
    const accuracy = probeAccuracy(await linearScores(probe, testFeatures), testFeatures.labels, train.numClasses, { many: [], medium: [], few: [], groupOf: [] });
    const entry: TransferEntry = {
      name: options.name ?? train.name,
      trainList: options.trainList,
      testList: options.testList,
      trainSize: train.size,
      testSize: test.size,
      numClasses: train.numClasses,
      epochs,
      seed: options.seed ?? 0,
      seconds: (Date.now() - started) / 1000,
      accuracy,
    };
    options.log?.(`transfer to ${entry.name}: top-1 ${accuracy.top1.toFixed(2)}, top-5 ${accuracy.top5.toFixed(2)}`);
    if (options.write ?? true) {
      const base: EvalReport = readEvalReport(dir) ?? {
        format: EVAL_FORMAT,
        createdAt: new Date().toISOString(),
        run: { dir, method: run.recipe.method.name, plugins: run.recipe.plugins.map((p) => p.name), checkpoint: run.checkpoint, epochs: run.checkpointMeta.epoch, step: run.checkpointMeta.step },
        backend: tf.getBackend(),
        data: evalDataSection(run.recipe.data.dataset, run.dataset, test),
        groups: { rule: 'thirds', many: [], medium: [], few: [] },
        knn: null,
        linear: [],
        skipped: [],
        seconds: 0,
      };
      writeEvalReport(dir, { ...base, transfer: [...(base.transfer ?? []).filter((t) => t.name !== entry.name), entry] });
    }
    return entry;
  } finally {
    run.dispose();
  }
}
