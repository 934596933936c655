/**
 * Builds the embedded long-tailed Fashion-MNIST set committed in this folder.
 *
 *   npx tsc -p tsconfig.json --outDir dist   # compiles this file with the rest of core/
 *   node dist/core/data/embedded/make-embedded.js [--source /usr/share/datasets/fashion-mnist] [--out core/data/embedded]
 *
 * Deterministic: the same Fashion-MNIST files give byte-identical outputs (seeded choice, gzip
 * with a zero timestamp), and the manifest's fingerprints let anyone check that.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { IndexedDataset } from '../dataset';
import { makeLongTailed } from '../datasets/long-tail';
import { balancedKShot } from '../datasets/k-shot';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DEFAULT_DIR, loadFashionMnist } from '../datasets/fashion-mnist';
import { encodeIdxImages, encodeIdxLabels } from '../datasets/idx-writer';
import {
  EMBEDDED_BASE_NAME,
  embeddedDir,
  type EmbeddedManifest,
  type EmbeddedSplitManifest,
} from '../datasets/embedded-fashion-mnist-lt';

/**
 * The recipe of the committed set. nMax = 1000 keeps the committed files near 1.3 MB (the budget
 * is 3 MB) while the tail class still has 10 images, enough to measure per-class accuracy.
 */
export const EMBEDDED_RECIPE = { ratio: 100, nMax: 1000, trainSeed: 1, k: 100, testSeed: 2 } as const;

/** The two splits of the embedded set, as views of the full Fashion-MNIST. */
export interface EmbeddedSplits {
  readonly train: IndexedDataset;
  readonly test: IndexedDataset;
}

/** Draws the embedded splits from the Fashion-MNIST files in `sourceDir`. */
export async function buildEmbedded(sourceDir: string = FASHION_MNIST_DEFAULT_DIR): Promise<EmbeddedSplits> {
  const [fullTrain, fullTest] = await Promise.all([
    loadFashionMnist({ dir: sourceDir, split: 'train' }),
    loadFashionMnist({ dir: sourceDir, split: 'test' }),
  ]);
  const { ratio, nMax, trainSeed, k, testSeed } = EMBEDDED_RECIPE;
  return {
    train: makeLongTailed(fullTrain, { ratio, nMax, seed: trainSeed, name: `${EMBEDDED_BASE_NAME}(r=${ratio})` }),
    test: balancedKShot(fullTest, { k, seed: testSeed, name: `${EMBEDDED_BASE_NAME}-test` }),
  };
}

/** Writes the four gzipped IDX files and the manifest to `outDir`; returns the manifest. */
export async function writeEmbedded(sourceDir: string, outDir: string): Promise<EmbeddedManifest> {
  const splits = await buildEmbedded(sourceDir);
  mkdirSync(outDir, { recursive: true });
  const { ratio, nMax, trainSeed, k, testSeed } = EMBEDDED_RECIPE;
  const describe = (split: 'train' | 'test', extra: Partial<EmbeddedSplitManifest>): EmbeddedSplitManifest => {
    const dataset = splits[split];
    writeSplit(dataset, join(outDir, `${EMBEDDED_BASE_NAME}-${split}`));
    return {
      name: dataset.name,
      sourceSplit: split,
      seed: split === 'train' ? trainSeed : testSeed,
      size: dataset.size,
      classCounts: [...dataset.classCounts()],
      fingerprint: dataset.fingerprint,
      ...extra,
    };
  };
  const manifest: EmbeddedManifest = {
    source: `Fashion-MNIST (Xiao, Rasul & Vollgraf 2017), read from ${sourceDir}`,
    licence: 'MIT (Copyright (c) 2017 Zalando SE)',
    classes: [...FASHION_MNIST_CLASSES],
    train: describe('train', { ratio, nMax }),
    test: describe('test', { k }),
  };
  writeFileSync(join(outDir, `${EMBEDDED_BASE_NAME}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Copies a view's records into contiguous IDX files (`<prefix>-images-idx3-ubyte.gz`, labels likewise). */
function writeSplit(dataset: IndexedDataset, prefix: string): void {
  const { height, width, channels } = dataset.imageShape;
  if (channels !== 1) throw new Error(`IDX images are single-channel, but ${dataset.name} has ${channels}`);
  const pixels = new Uint8Array(dataset.size * height * width);
  const labels = new Array<number>(dataset.size);
  for (let i = 0; i < dataset.size; i++) {
    pixels.set(dataset.image(i).data, i * height * width);
    labels[i] = dataset.label(i);
  }
  // Level 9: the files are committed, so a smaller repo is worth the one-off extra CPU.
  writeFileSync(`${prefix}-images-idx3-ubyte.gz`, gzipSync(encodeIdxImages(pixels, height, width), { level: 9 }));
  writeFileSync(`${prefix}-labels-idx1-ubyte.gz`, gzipSync(encodeIdxLabels(labels), { level: 9 }));
}

/** `--name value` from argv, or the fallback. */
function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

if (require.main === module) {
  const sourceDir = argument('source', FASHION_MNIST_DEFAULT_DIR);
  const outDir = argument('out', embeddedDir());
  writeEmbedded(sourceDir, outDir).then(
    (manifest) => {
      for (const split of ['train', 'test'] as const) {
        const { size, classCounts, fingerprint } = manifest[split];
        console.log(`${split}: ${size} images, counts [${classCounts.join(', ')}], sha256 ${fingerprint}`);
      }
      console.log(`wrote ${outDir}`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
