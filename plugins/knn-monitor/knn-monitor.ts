import { extractFeatures, knnScores, rankOfLabel, type Encode, type IndexedDataset } from '../../core/index';

/** What the monitor measures with: the run's encoder, its training set (the bank) and a test set. */
export interface KnnMonitorParts {
  /** Backbone features in eval mode (`SslMethod.encode`); the caller owns the result. */
  readonly encode: Encode;
  /** Labelled bank: the run's training set. */
  readonly train: IndexedDataset;
  /** Labelled queries: the recipe's test split. */
  readonly test: IndexedDataset;
  /** The recipe's normalisation (`data.mean`, `data.std`). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Settings of one measurement. */
export interface KnnMonitorSettings {
  readonly k: number;
  readonly temperature: number;
  readonly batchSize: number;
}

/**
 * Weighted kNN accuracy of the current encoder: the training set's features are the bank, the test
 * set's are the queries (InstDisc / SimCLR kNN monitor). Reads features to the host once per
 * batch; leaves no tensor behind. Returns top-1 and top-5 in percent.
 */
export async function measureKnn(parts: KnnMonitorParts, settings: KnnMonitorSettings): Promise<{ top1: number; top5: number }> {
  const { encode, train, test, mean, std } = parts;
  const bank = await extractFeatures(encode, train, { mean, std, batchSize: settings.batchSize });
  const queries = await extractFeatures(encode, test, { mean, std, batchSize: settings.batchSize });
  const numClasses = train.numClasses;
  const scores = await knnScores(bank, queries, numClasses, { k: settings.k, temperature: settings.temperature });
  let top1 = 0;
  let top5 = 0;
  for (let i = 0; i < queries.size; i++) {
    const rank = rankOfLabel(scores, i * numClasses, numClasses, queries.labels[i]);
    if (rank === 0) top1++;
    if (rank < 5) top5++;
  }
  return { top1: (100 * top1) / queries.size, top5: (100 * top5) / queries.size };
}
