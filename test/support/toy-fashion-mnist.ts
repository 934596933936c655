import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeIdxImages, encodeIdxLabels } from '../../core/data/datasets/idx-writer';
import { Rng } from '../../core/random/rng';

/**
 * Writes a Fashion-MNIST-shaped folder (the four IDX files) of `side x side` grey images, 10
 * classes, `trainPerClass` / `testPerClass` images each, labels interleaved (image i has class
 * i % 10). Each class is a bright square at its own place plus seeded noise, so a probe can learn
 * it and a long-tailed subset of it is a real (if easy) long-tailed problem. Returns `dir`.
 */
export function writeToyFashionMnist(dir: string, options: { side?: number; trainPerClass: number; testPerClass: number; seed?: number }): string {
  const side = options.side ?? 12;
  const rng = new Rng(options.seed ?? 1);
  fs.mkdirSync(dir, { recursive: true });
  for (const [prefix, perClass] of [['train', options.trainPerClass], ['t10k', options.testPerClass]] as const) {
    const size = perClass * 10;
    const pixels = new Uint8Array(size * side * side);
    const labels = Array.from({ length: size }, (_, i) => i % 10);
    for (let i = 0; i < size; i++) {
      const c = labels[i];
      const top = (c % 4) * Math.floor(side / 4);
      const left = Math.floor(c / 4) * Math.floor(side / 3);
      for (let p = 0; p < side * side; p++) {
        const y = Math.floor(p / side);
        const x = p % side;
        const inSquare = y >= top && y < top + Math.floor(side / 4) && x >= left && x < left + Math.floor(side / 3);
        pixels[i * side * side + p] = Math.min(255, (inSquare ? 160 : 20) + rng.int(80));
      }
    }
    fs.writeFileSync(path.join(dir, `${prefix}-images-idx3-ubyte`), encodeIdxImages(pixels, side, side));
    fs.writeFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdxLabels(labels));
  }
  return dir;
}
