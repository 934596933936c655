import type { IndexedDataset } from '../data/dataset';
import type { SubsetDataset } from '../data/datasets/subset';
import type { DatasetSpec } from '../recipes/recipe-schema';
import type { EvalReport, KnnEntry, LinearEntry } from './eval-report';
import { extractFeatures, selectRows, type Encode, type FeatureSet } from './features';
import { knnScores, type KnnOptions } from './knn';
import { linearScores, trainLinearProbe } from './linear-probe';
import { accuracySpread, probeAccuracy, type ProbeAccuracy } from './long-tail-metrics';
import { balancedTrainSource, groupsFor, kShotSet, type GroupRuleName, type Shots } from './probe-sets';

/** Which probes to run. */
export type ProbeChoice = 'linear' | 'knn' | 'all';

/** Options of {@link runProbes} (and `bcl eval`), with the defaults documented in docs/evaluation.md. */
export interface ProbeOptions {
  /** Default `all`. */
  readonly probe?: ProbeChoice;
  /** Linear-probe protocols. Default `['full', 100, 50]` (the BCL paper's columns). */
  readonly shots?: readonly Shots[];
  /** Seeds per k-shot protocol (full-shot runs once, seed 0). Default 3. */
  readonly seeds?: number;
  /** Linear-probe epochs. Default 500 (the authors). */
  readonly epochs?: number;
  /** Many / Medium / Few rule. Default `auto`. */
  readonly groups?: GroupRuleName;
  readonly knn?: KnnOptions;
  /** Images per forward pass when encoding. Default 256. */
  readonly batchSize?: number;
}

/** What the probes need from a run. */
export interface ProbeInputs {
  readonly encode: Encode;
  /** Normalisation of the run's recipe (`data.mean`, `data.std`). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** The recipe's dataset, to find a balanced training split for the linear probe. */
  readonly spec: DatasetSpec;
  /** The run's (long-tailed) training set: kNN bank, class groups, k-shot source. */
  readonly train: IndexedDataset;
  /** The balanced test set. */
  readonly test: IndexedDataset;
  /** Progress lines for people (stderr in the CLI). */
  readonly log?: (line: string) => void;
}

/** The probe part of `eval.json`. */
export type ProbeResults = Pick<EvalReport, 'groups' | 'knn' | 'linear' | 'skipped'>;

/**
 * Runs the kNN and linear probes on frozen features of a trained encoder and scores them with
 * long-tail metrics. Each image is encoded at most once (k-shot subsets reuse the rows of a
 * dataset already encoded). Returns plain numbers only.
 */
export async function runProbes(inputs: ProbeInputs, options: ProbeOptions = {}): Promise<ProbeResults> {
  const { encode, mean, std, spec, train, test } = inputs;
  const log = inputs.log ?? (() => undefined);
  const probe = options.probe ?? 'all';
  const shots = options.shots ?? ['full', 100, 50];
  const seedCount = options.seeds ?? 3;
  const epochs = options.epochs ?? 500;
  const numClasses = train.numClasses;
  const { rule, groups } = groupsFor(train, options.groups);
  const cache = new Map<IndexedDataset, FeatureSet>();
  const featuresOf = async (dataset: IndexedDataset, role: string): Promise<FeatureSet> => {
    let set = cache.get(dataset);
    if (!set) {
      const started = Date.now();
      set = await extractFeatures(encode, dataset, { mean, std, batchSize: options.batchSize });
      log(`encoded the ${role} ${dataset.name} (${dataset.size} images) in ${seconds(started)} s`);
      cache.set(dataset, set);
    }
    return set;
  };
  const featuresOfSubset = async (subset: SubsetDataset): Promise<FeatureSet> => {
    const parent = cache.get(subset.parent);
    if (parent) return selectRows(parent, subset.indices);
    return extractFeatures(encode, subset.parent, { mean, std, batchSize: options.batchSize, indices: subset.indices });
  };
  const score = (scores: Float32Array, set: FeatureSet): ProbeAccuracy => probeAccuracy(scores, set.labels, numClasses, groups);

  const testFeatures = await featuresOf(test, 'test set');
  const skipped: ProbeResults['skipped'] = [];
  let knn: KnnEntry | null = null;
  if (probe !== 'linear') {
    const started = Date.now();
    const bank = await featuresOf(train, 'training set');
    const k = Math.min(options.knn?.k ?? 200, bank.size);
    const temperature = options.knn?.temperature ?? 0.1;
    const accuracy = score(await knnScores(bank, testFeatures, numClasses, { ...options.knn, k, temperature }), testFeatures);
    knn = { k, temperature, bank: { name: train.name, size: train.size }, accuracy };
    log(`kNN (k ${k}, T ${temperature}): top-1 ${accuracy.top1.toFixed(2)} in ${seconds(started)} s`);
  }

  const linear: LinearEntry[] = [];
  if (probe !== 'knn') {
    let balanced: Awaited<ReturnType<typeof balancedTrainSource>> | undefined;
    const balancedSet = async (): Promise<IndexedDataset | undefined> => {
      balanced ??= await balancedTrainSource(spec, train);
      return 'dataset' in balanced ? balanced.dataset : undefined;
    };
    // Full-shot first: its features, once encoded, serve the k-shot subsets of the same split.
    const ordered = [...shots].sort((a, b) => (a === 'full' ? -1 : b === 'full' ? 1 : 0));
    for (const protocol of ordered) {
      const started = Date.now();
      const runs: ProbeAccuracy[] = [];
      const seeds: number[] = [];
      let source = '';
      let trainSize = 0;
      if (protocol === 'full') {
        const dataset = await balancedSet();
        if (!dataset) {
          skipped.push({ probe: 'linear', shots: 'full', reason: (balanced as { reason: string }).reason });
          log(`linear full-shot skipped: ${(balanced as { reason: string }).reason}`);
          continue;
        }
        const features = await featuresOf(dataset, 'full-shot set');
        runs.push(score(await linearScores(await trainLinearProbe(features, numClasses, { epochs, seed: 0 }), testFeatures), testFeatures));
        seeds.push(0);
        source = dataset.name;
        trainSize = dataset.size;
      } else {
        const trainFits = kShotSet(protocol, 0, train, undefined) !== undefined;
        const fallback = trainFits ? undefined : await balancedSet();
        for (let seed = 0; seed < seedCount; seed++) {
          const subset = kShotSet(protocol, seed, train, fallback);
          if (!subset) break;
          const features = await featuresOfSubset(subset);
          runs.push(score(await linearScores(await trainLinearProbe(features, numClasses, { epochs, seed }), testFeatures), testFeatures));
          seeds.push(seed);
          source = subset.parent.name;
          trainSize = subset.size;
        }
        if (runs.length === 0) {
          const smallest = Math.min(...train.classCounts());
          const reason = `needs ${protocol} images of every class: ${train.name} has ${smallest} of its rarest class${balanced && 'reason' in balanced ? `, and the balanced split ${balanced.reason.replace(/^needs /, 'would need ')}` : ''}`;
          skipped.push({ probe: 'linear', shots: protocol, reason });
          log(`linear ${protocol}-shot skipped: ${reason}`);
          continue;
        }
      }
      const summary = accuracySpread(runs);
      linear.push({ shots: protocol, source, trainSize, epochs, seeds, runs, summary });
      log(`linear ${protocol === 'full' ? 'full-shot' : `${protocol}-shot`} on ${source} (${runs.length} seed${runs.length > 1 ? 's' : ''}): top-1 ${summary.mean.top1.toFixed(2)} in ${seconds(started)} s`);
    }
  }
  return { groups: { rule: rule.kind, many: groups.many, medium: groups.medium, few: groups.few }, knn, linear, skipped };
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}
