import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventBus } from '../events/event-bus';
import { isBclError } from '../errors';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { train } from '../run/train';

/** One sample per epoch end. */
export interface SoakSample {
  readonly epoch: number;
  readonly seconds: number;
  readonly rssMiB: number;
  readonly heapMiB: number;
  readonly tensors: number;
  readonly tensorMiB: number;
}

/** What a soak run measured. */
export interface SoakResult {
  readonly samples: SoakSample[];
  readonly warmupEpochs: number;
  /** RSS at the last sample relative to the first sample after warm-up (0.03 = +3 %). */
  readonly rssGrowth: number;
  /** Range of tf.memory().numTensors over the samples after warm-up. */
  readonly tensorRange: readonly [number, number];
  readonly stoppedBy: 'epochs' | 'time';
}

/**
 * Trains `recipe` for `epochs` epochs, or until `minutes` have passed (the run stops after the
 * current step, as Ctrl-C does), into a temporary run folder, sampling RSS and tf.memory() at every
 * epoch end. The growth figure starts after `warmupEpochs`, once tfjs's and the allocator's pools
 * have filled.
 */
export async function soak(recipe: ResolvedRecipe, options: { epochs: number; minutes: number; warmupEpochs: number }): Promise<SoakResult> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-soak-'));
  const events = new EventBus();
  const samples: SoakSample[] = [];
  const start = performance.now();
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), options.minutes * 60_000);
  events.on('metrics', (event) => {
    if (event.scope !== 'epoch') return;
    const memory = process.memoryUsage();
    const tensors = tf.memory();
    const sample = { epoch: event.epoch, seconds: (performance.now() - start) / 1000, rssMiB: memory.rss / 2 ** 20, heapMiB: memory.heapUsed / 2 ** 20, tensors: tensors.numTensors, tensorMiB: tensors.numBytes / 2 ** 20 };
    samples.push(sample);
    process.stderr.write(`epoch ${sample.epoch}: ${sample.seconds.toFixed(0)} s, RSS ${sample.rssMiB.toFixed(1)} MiB, heap ${sample.heapMiB.toFixed(1)} MiB, ${sample.tensors} tensors (${sample.tensorMiB.toFixed(2)} MiB)\n`);
  });
  let stoppedBy: SoakResult['stoppedBy'] = 'epochs';
  try {
    await train({ recipe: { ...recipe, epochs: options.epochs }, outDir, events, signal: stop.signal });
  } catch (error) {
    if (!(isBclError(error) && error.code === 'INTERRUPTED')) throw error;
    stoppedBy = 'time';
  } finally {
    clearTimeout(timer);
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  const after = samples.slice(Math.min(options.warmupEpochs, Math.max(0, samples.length - 2)));
  const first = after[0];
  const last = after.at(-1);
  const counts = after.map((s) => s.tensors);
  return {
    samples,
    warmupEpochs: options.warmupEpochs,
    rssGrowth: first && last ? last.rssMiB / first.rssMiB - 1 : NaN,
    tensorRange: [Math.min(...counts), Math.max(...counts)],
    stoppedBy,
  };
}
