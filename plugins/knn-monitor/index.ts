import type { DependencyContainer } from 'tsyringe';
import { BclError, definePlugin, loadDataset, registerPlugin, RunEvents, RunMethod, RunRecipe, TrainingDataset, z, type IndexedDataset } from '../../core/index';
import { measureKnn } from './knn-monitor';

export { measureKnn, type KnnMonitorParts, type KnnMonitorSettings } from './knn-monitor';

/** Options of the kNN monitor (recipe `plugins: [{ "name": "knn-monitor", ... }]`). */
export interface KnnMonitorOptions {
  /** Measure after every N-th epoch (and always after the last). Default 1. */
  readonly everyEpochs: number;
  /** Neighbours that vote. Default 200 (InstDisc / SimCLR monitor). */
  readonly k: number;
  /** Vote weight exp(cosine / temperature). Default 0.1. */
  readonly temperature: number;
  /** Images per forward pass while encoding. Default 256. */
  readonly batchSize: number;
}

/** Schema of {@link KnnMonitorOptions}, with the defaults. */
export const KnnMonitorOptionsSchema = z.strictObject({
  everyEpochs: z.number().int().min(1).default(1),
  k: z.number().int().min(1).default(200),
  temperature: z.number().gt(0).default(0.1),
  batchSize: z.number().int().min(1).default(256),
});

/**
 * kNN monitor: after every `everyEpochs` epochs, encodes the training set (the bank) and the
 * recipe's test split with the method's current backbone and logs the weighted kNN accuracy as
 * epoch metrics `knn/top1` and `knn/top5` (percent). Watches only: it changes no weight and draws
 * no random number, so a run with it trains exactly as without.
 */
export const knnMonitorPlugin = definePlugin<KnnMonitorOptions>({
  name: 'knn-monitor',
  kind: 'addon',
  description: 'kNN accuracy on the test split every N epochs, logged as knn/top1 (InstDisc / SimCLR monitor)',
  options: KnnMonitorOptionsSchema,
  create({ options, resolve }) {
    const method = resolve(RunMethod);
    const recipe = resolve(RunRecipe);
    const train = resolve(TrainingDataset);
    const events = resolve(RunEvents);
    if (train.numClasses === 0) {
      throw new BclError('PLUGIN_FAILED', `needs a labelled training set, but ${train.name} has no labels.`, { plugin: 'knn-monitor', hook: 'create', hint: 'Remove knn-monitor from this recipe.' });
    }
    let test: IndexedDataset | undefined;
    return {
      hooks: {
        onTrainStart: async () => {
          test = await loadDataset(recipe.data.dataset, recipe.seed, 'test');
        },
        onEpochEnd: async ({ run, epoch }) => {
          if (epoch % options.everyEpochs !== 0 && epoch !== run.epochs) return;
          test ??= await loadDataset(recipe.data.dataset, recipe.seed, 'test');
          const parts = { encode: (x: Parameters<RunMethod['encode']>[0]) => method.encode(x), train, test, mean: recipe.data.mean, std: recipe.data.std };
          const { top1, top5 } = await measureKnn(parts, options);
          events.emit('metrics', { scope: 'epoch', epoch, step: epoch * run.stepsPerEpoch - 1, values: { 'knn/top1': top1, 'knn/top5': top5 } });
        },
      },
    };
  },
});

/** Makes `"knn-monitor"` available to recipes (in the root container unless `target` is given). */
export function registerKnnMonitor(target?: DependencyContainer): void {
  registerPlugin(knnMonitorPlugin, target);
}
