/**
 * Throughput of the augmentation pipelines, single-threaded: images/second of the SimCLR base
 * pipeline (sample + apply) and of RandAugment (k=2, p=1, magnitude 10 and the BCL variant at
 * M = 1) on random RGB images. Run after a build:
 * `node dist/core/bench/augment-bench.js [seconds-per-case]`.
 */
import { deriveSeed, Rng } from '../random/rng';
import type { Image } from '../data/image';
import { applyRandAugment, sampleRandAugment, type RandAugmentSettings } from '../data/augment/rand-augment';
import { applySimclr, sampleSimclrParams } from '../data/augment/simclr';
import { simclrOptions } from '../data/augment/simclr-options';

/** One measured pipeline at one image size. */
export interface ThroughputResult {
  readonly pipeline: string;
  readonly size: number;
  /** Images per wall-clock second (one thread). */
  readonly imagesPerSecond: number;
  /** Images per second of this process's CPU time: steadier than wall time on a shared machine. */
  readonly imagesPerCpuSecond: number;
}

function randomImage(size: number, seed: number): Image {
  const rng = new Rng(seed);
  const data = new Uint8Array(size * size * 3);
  // Smooth gradients plus noise, so histogram ops and crops see realistic content.
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        const v = 128 + 90 * Math.sin((x + 13 * c) / 9) * Math.cos((y - 7 * c) / 11) + 20 * rng.normal();
        data[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { data, height: size, width: size, channels: 3 };
}

function measure(seconds: number, augment: (image: Image, rng: Rng) => Image, images: readonly Image[]): [number, number] {
  // Warm up so the JIT has compiled the hot loops before timing.
  for (let i = 0; i < 50; i++) augment(images[i % images.length], new Rng(deriveSeed(1, i)));
  let count = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 10; i++, count++) augment(images[count % images.length], new Rng(deriveSeed(2, count)));
    elapsed = process.hrtime.bigint() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return [count / (Number(elapsed) / 1e9), count / ((cpu.user + cpu.system) / 1e6)];
}

/** Measures every pipeline at 32x32 and 224x224. */
export function measureThroughput(secondsPerCase = 2): ThroughputResult[] {
  const options = simclrOptions();
  const fixed: RandAugmentSettings = { k: 2, probability: 1, magnitude: 10 };
  // BCL at M = 1 with random strength: every op applies, magnitude ~ U[0, 30].
  const bcl: RandAugmentSettings = { k: 2, probability: 1, magnitude: [0, 30] };
  const pipelines: [string, (image: Image, rng: Rng) => Image][] = [
    ['applySimclr (sample + apply)', (image, rng) => applySimclr(image, sampleSimclrParams(rng, image, options))],
    ['RandAugment k=2, p=1, m=10', (image, rng) => applyRandAugment(image, sampleRandAugment(rng, image, fixed))],
    ['RandAugment k=2, BCL M=1 (p=1, m~U[0,30])', (image, rng) => applyRandAugment(image, sampleRandAugment(rng, image, bcl))],
  ];
  const results: ThroughputResult[] = [];
  for (const size of [32, 224]) {
    const images = Array.from({ length: 8 }, (_, i) => randomImage(size, i));
    for (const [pipeline, augment] of pipelines) {
      const [imagesPerSecond, imagesPerCpuSecond] = measure(secondsPerCase, augment, images);
      results.push({ pipeline, size, imagesPerSecond, imagesPerCpuSecond });
    }
  }
  return results;
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 2);
  for (const r of measureThroughput(seconds)) {
    const size = `${r.size}x${r.size}`.padStart(7);
    console.log(`${r.pipeline.padEnd(44)} ${size}  ${Math.round(r.imagesPerSecond)} images/s wall, ${Math.round(r.imagesPerCpuSecond)} per CPU-second`);
  }
}
