import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { kMeans } from './kmeans';
import type { BackendName } from '../backends/select-backend';
import { writeFileAtomic } from '../checkpoint/atomic-write';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import type { DecodedCheckpoint } from '../checkpoint/checkpoint-format';
import type { RunCheckpointMeta } from '../checkpoint/run-checkpoint';
import { encodeNpyIndices } from '../data/datasets/npy-writer';
import { BclError } from '../errors';
import { unitFeaturesOfRun } from './dnc-features';

/** `<out>/clusters.json`: the k-means of the base model's features, and what it was made from. */
export interface ClusterFile {
  readonly format: 'bcl-ssl/dnc-clusters/v1';
  /** What decides the clustering; a rerun whose settings differ is refused. */
  readonly settings: { readonly k: number; readonly seed: number; readonly iterations: number; readonly restarts: number; readonly baseCheckpoint: string; readonly datasetFingerprint: string };
  readonly sizes: number[];
  readonly inertia: number;
  readonly iterations: number;
  /** `classCounts[c][y]`: training samples of class y in cluster c (labels are used for this report only). */
  readonly classCounts: number[][];
  /** `assignment[i]`: the cluster of training sample i. */
  readonly assignment: number[];
  /** `files[c]`: the `.npy` index list of cluster c, relative to the DnC folder. */
  readonly files: string[];
}

/** Options of {@link clusterStage}. */
export interface ClusterStageOptions {
  readonly outDir: string;
  readonly baseDir: string;
  readonly k: number;
  readonly seed: number;
  readonly iterations: number;
  readonly restarts: number;
  readonly container?: DependencyContainer;
  readonly backend?: BackendName;
}

/**
 * Stage 2 of DnC: k-means of the base model's unit-length backbone features into K clusters,
 * written as `<out>/clusters.json` and one `.npy` index list per cluster (what the experts train
 * on). Reused when it exists and was made from the same base checkpoint with the same settings.
 */
export async function clusterStage(options: ClusterStageOptions): Promise<{ clusters: ClusterFile; status: 'complete' | 'made' }> {
  const file = path.join(options.outDir, 'clusters.json');
  const base = newestCheckpoint(options.baseDir);
  const settings = { k: options.k, seed: options.seed, iterations: options.iterations, restarts: options.restarts, baseCheckpoint: path.relative(options.outDir, base.file), datasetFingerprint: base.checkpoint.meta.datasetFingerprint };
  if (fs.existsSync(file)) {
    const existing = JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterFile;
    const changed = (Object.keys(settings) as (keyof typeof settings)[]).filter((key) => existing.settings?.[key] !== settings[key]);
    if (changed.length === 0 && existing.files.every((f) => fs.existsSync(path.join(options.outDir, f)))) return { clusters: existing, status: 'complete' };
    throw new BclError('RESUME_MISMATCH', `${file} was made with other settings than this job's: ${changed.map((key) => `${key} ${JSON.stringify(existing.settings?.[key])} -> ${JSON.stringify(settings[key])}`).join(', ') || 'cluster files missing'}; the experts trained on those clusters would no longer match.`, {
      hint: 'Restore the DnC file, or run the changed job with another --out folder.',
    });
  }
  const features = await unitFeaturesOfRun(options.baseDir, { ...options, checkpoint: base.file });
  if (options.k > features.size) {
    throw new BclError('RECIPE_INVALID', `dnc.clusters must be at most the training set's size, ${features.size}, but got ${options.k}.`, { hint: 'Use fewer clusters.' });
  }
  const result = kMeans(features.features, features.size, features.dim, { k: options.k, seed: options.seed, iterations: options.iterations, restarts: options.restarts });
  // A loop, not Math.max(...labels): spreading 100 000+ labels overflows the call stack.
  const numClasses = features.labels.reduce((most, label) => Math.max(most, label), -1) + 1;
  const classCounts = Array.from({ length: options.k }, () => new Array<number>(numClasses).fill(0));
  features.labels.forEach((label, i) => {
    if (label >= 0) classCounts[result.assignment[i]][label]++;
  });
  fs.mkdirSync(path.join(options.outDir, 'clusters'), { recursive: true });
  const files = Array.from({ length: options.k }, (_, c) => path.join('clusters', `c${c}.npy`));
  files.forEach((f, c) => {
    const members: number[] = [];
    result.assignment.forEach((cluster, i) => cluster === c && members.push(i));
    writeFileAtomic(path.join(options.outDir, f), encodeNpyIndices(Int32Array.from(members)));
  });
  const clusters: ClusterFile = { format: 'bcl-ssl/dnc-clusters/v1', settings, sizes: [...result.sizes], inertia: result.inertia, iterations: result.iterations, classCounts, assignment: [...result.assignment], files };
  // Written last: its presence says every cluster file is complete.
  writeFileAtomic(file, Buffer.from(JSON.stringify(clusters) + '\n'));
  return { clusters, status: 'made' };
}

/** A run folder's newest valid checkpoint (the stage before made sure there is one). */
export function newestCheckpoint(dir: string): { file: string; checkpoint: DecodedCheckpoint<RunCheckpointMeta> } {
  const found = new CheckpointStore(path.join(dir, 'checkpoints')).loadNewestValid<RunCheckpointMeta>(() => undefined);
  if (!found) throw new BclError('CHECKPOINT_INVALID', `${dir} has no valid checkpoint.`, { hint: 'Run the same bcl dnc command again: it retrains that stage.' });
  return found;
}
