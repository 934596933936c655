import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createViewPipeline, defaultDataWorkers } from '../data/create-view-pipeline';
import type { IndexedDataset } from '../data/dataset';
import type { AugmentationPolicy } from '../hooks/contexts';
import { deriveSeed, Rng } from '../random/rng';
import { RecipeSchema } from '../recipes/recipe-schema';
import { emptyPolicy, extendPolicy } from '../data/augmentation-policy';

/** One measured data-pipeline case. */
export interface DataThroughput {
  readonly pipeline: string;
  /** Image side (square RGB). */
  readonly size: number;
  readonly batchSize: number;
  /** Views (augmented images) per wall-clock second, 2 views per sample, on this thread only. */
  readonly syncViewsPerSecond: number;
  /** The same with `workers` worker threads preparing the next batch's base views, as the trainer does. */
  readonly workerViewsPerSecond: number;
  readonly workers: number;
}

/** Options of `measureDataThroughput`. */
export interface DataBenchOptions {
  /** Seconds per case and mode (default 3). */
  readonly seconds?: number;
  /** Worker threads for the parallel mode (default `defaultDataWorkers()`, at least 1). */
  readonly workers?: number;
  /** Samples per batch at 32x32 and at 224x224 (default 128 and 16). */
  readonly batch32?: number;
  readonly batch224?: number;
}

const VIEWS = 2;

/** Smooth gradients plus noise (as augment-bench does), so crops and histogram ops see realistic content. */
/** `count` synthetic size x size images with `channels` channels: smooth gradients plus noise. */
export function gradientDataset(size: number, count: number, channels = 3): IndexedDataset {
  const pixels = size * size * channels;
  const data = new Uint8Array(count * pixels);
  const rng = new Rng(deriveSeed(0xda7a, size));
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < channels; c++) {
          const v = 128 + 90 * Math.sin((x * (32 / size) + 13 * c + n) / 9) * Math.cos((y * (32 / size) - 7 * c) / 11) + 20 * rng.normal();
          data[n * pixels + (y * size + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
  }
  return {
    name: `gradients(${count}x${size}x${size}x${channels})`,
    size: count,
    imageShape: { height: size, width: size, channels },
    numClasses: 0,
    fingerprint: `gradients-${size}-${count}-${channels}`,
    image: (i) => ({ data: data.subarray(i * pixels, (i + 1) * pixels), height: size, width: size, channels }),
    label: () => -1,
    classCounts: () => new Int32Array(0),
  };
}

/** BCL's policy: per sample a memorization M in [0, 1), each of k ops applied with probability M at magnitude U[0, 30 M]. */
function bclPolicy(indices: Int32Array, k: number): AugmentationPolicy {
  const rng = new Rng(indices[0] + 1);
  const m = Float32Array.from(indices, () => rng.next());
  return extendPolicy(emptyPolicy(indices), (i) => ({ append: [{ op: 'RandAugment', k, probability: m[i], magnitude: [0, 30 * m[i]] }] }));
}

/** Runs batches for `seconds` and returns views per second; `workers` 0 is the synchronous path. */
async function timeBatches(dataset: IndexedDataset, batchSize: number, workers: number, policyFor: (indices: Int32Array) => AugmentationPolicy, seconds: number): Promise<number> {
  const recipe = RecipeSchema.parse({ method: { name: 'simclr' }, data: { dataset: { type: 'synthetic' }, workers } });
  const pipeline = createViewPipeline(dataset, recipe);
  const batches = Math.floor(dataset.size / batchSize);
  const batch = (k: number): Int32Array => Int32Array.from({ length: batchSize }, (_, i) => ((k % batches) * batchSize + i) % dataset.size);
  try {
    // Untimed first batch: worker start-up and JIT warm-up.
    tf.dispose(await pipeline.viewsAsync(batch(0), 0, VIEWS, policyFor(batch(0))));
    const start = performance.now();
    let k = 0;
    while (performance.now() - start < seconds * 1000) {
      const epoch = 1 + Math.floor(k / batches);
      // As the trainer does: the current batch (already prefetched after the first) and the next one.
      pipeline.prefetch(batch(k), epoch, VIEWS);
      pipeline.prefetch(batch(k + 1), 1 + Math.floor((k + 1) / batches), VIEWS);
      tf.dispose(await pipeline.viewsAsync(batch(k), epoch, VIEWS, policyFor(batch(k))));
      k++;
    }
    return (k * batchSize * VIEWS * 1000) / (performance.now() - start);
  } finally {
    await pipeline.dispose();
  }
}

/**
 * Views per second of the recipe pipeline (SimCLR base; BCL's RandAugment k=1 and k=2 with
 * per-sample probability and magnitude; normalisation into a tensor) on 32x32 and 224x224 RGB,
 * synchronously and with worker threads, with no training step competing for the main thread.
 */
export async function measureDataThroughput(options: DataBenchOptions = {}, progress: (line: string) => void = () => undefined): Promise<DataThroughput[]> {
  const seconds = options.seconds ?? 3;
  const workers = options.workers ?? Math.max(1, defaultDataWorkers());
  const policies: [string, (indices: Int32Array) => AugmentationPolicy][] = [
    ['SimCLR base', emptyPolicy],
    ['SimCLR + BCL RandAugment k=1', (i) => bclPolicy(i, 1)],
    ['SimCLR + BCL RandAugment k=2', (i) => bclPolicy(i, 2)],
  ];
  const rows: DataThroughput[] = [];
  for (const [size, batchSize] of [[32, options.batch32 ?? 128], [224, options.batch224 ?? 16]] as const) {
    const dataset = gradientDataset(size, batchSize * 4);
    for (const [pipeline, policyFor] of policies) {
      progress(`${pipeline} at ${size}x${size} ...`);
      const syncViewsPerSecond = await timeBatches(dataset, batchSize, 0, policyFor, seconds);
      const workerViewsPerSecond = await timeBatches(dataset, batchSize, workers, policyFor, seconds);
      rows.push({ pipeline, size, batchSize, syncViewsPerSecond, workerViewsPerSecond, workers });
    }
  }
  return rows;
}

/** The table `bench data` prints. */
export function dataTable(rows: readonly DataThroughput[]): string {
  const workers = rows[0]?.workers ?? 0;
  const lines = [
    `data pipeline: views/s (wall), 2 views per sample, ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`,
    `pipeline                        size      batch   sync views/s   ${workers} worker${workers > 1 ? 's' : ' '} views/s   speed-up`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.pipeline.padEnd(31)} ${`${r.size}x${r.size}`.padEnd(9)} ${String(r.batchSize).padStart(5)} ${r.syncViewsPerSecond.toFixed(0).padStart(14)} ${r.workerViewsPerSecond.toFixed(0).padStart(17)} ${(r.workerViewsPerSecond / r.syncViewsPerSecond).toFixed(2).padStart(9)}x`,
    );
  }
  return lines.join('\n');
}
