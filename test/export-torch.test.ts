import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { exportBackbone, extractFeatures, loadRun, train, type BackboneArchitecture } from '../core/index';
import { registerMoco } from '../plugins/moco/index';
import { writeNpyUint8 } from './support/npy';
import { pythonSkipReason, runPythonScript } from './support/python';
import { tinySetup } from './support/tiny-run';

/**
 * `bcl export --format safetensors` against PyTorch: test/support/torchvision-resnet.py builds a
 * torchvision-style ResNet from the exported architecture JSON (Debian's python3-torch, no
 * torchvision), loads the weights with strict=True through its own safetensors reader, and
 * encodes the run's training images; the features must equal ours (`method.encode`, eval mode)
 * within 1e-4 relative.
 */

const skip = pythonSkipReason(['torch', 'numpy'], 'python3-torch');
const CLI = path.join(__dirname, '..', 'core', 'cli', 'main.js');
const TOLERANCE = 1e-4;

interface TorchFeatures {
  float32: number[][];
  float64: number[][];
  keys: number;
  parameters: number;
  batches_tracked: number[];
}

/** Largest per-image relative difference: max |ours - torch| over the image's features / max |torch|. */
function maxRelativeDifference(ours: Float32Array, dim: number, theirs: number[][]): number {
  let worst = 0;
  theirs.forEach((row, i) => {
    assert.equal(row.length, dim);
    const scale = Math.max(...row.map(Math.abs));
    assert.ok(scale > 0, `image ${i}: all-zero torch features prove nothing`);
    const diff = Math.max(...row.map((v, j) => Math.abs(ours[i * dim + j] - v)));
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

async function compareWithTorch(t: TestContext, extra: Record<string, unknown>, viaCli: boolean, register?: (c: DependencyContainer) => void): Promise<BackboneArchitecture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-export-'));
  const { registry, recipe } = tinySetup(extra, register);
  await train({ recipe, backend: 'cpu', container: registry, outDir: dir });
  let weights = path.join(dir, 'backbone.safetensors');
  let architectureFile = path.join(dir, 'backbone.json');
  if (viaCli) {
    const result = spawnSync(process.execPath, [CLI, 'export', dir, '--format', 'safetensors', '--backend', 'cpu'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /wrote .*backbone\.safetensors \(\d+ tensors, \d+ parameters: ResNet-\d+.* and .*backbone\.json/);
  } else {
    weights = path.join(dir, 'elsewhere', 'r50.safetensors');
    fs.mkdirSync(path.dirname(weights));
    const written = await exportBackbone(dir, { out: weights, container: registry, backend: 'cpu' });
    architectureFile = path.join(dir, 'elsewhere', 'r50.json');
    assert.equal(written.architectureFile, architectureFile);
  }
  const architecture = JSON.parse(fs.readFileSync(architectureFile, 'utf8')) as BackboneArchitecture;

  const run = await loadRun(dir, { container: registry, backend: 'cpu' });
  try {
    const { height, width, channels } = run.dataset.imageShape;
    const pixels = new Uint8Array(run.dataset.size * height * width * channels);
    for (let i = 0; i < run.dataset.size; i++) pixels.set(run.dataset.image(i).data, i * height * width * channels);
    const images = path.join(dir, 'images.npy');
    writeNpyUint8(images, [run.dataset.size, height, width, channels], pixels);
    const ours = await extractFeatures((x) => run.method.encode(x), run.dataset, { mean: recipe.data.mean, std: recipe.data.std });
    assert.equal(ours.dim, architecture.featureDim);

    const torch = JSON.parse(runPythonScript('torchvision-resnet.py', [weights, architectureFile, images])) as TorchFeatures;
    assert.equal(torch.keys, architecture.tensors);
    assert.equal(torch.parameters, architecture.parameters);
    assert.deepEqual(torch.batches_tracked, [run.checkpointMeta.step]);
    const rel32 = maxRelativeDifference(ours.features, ours.dim, torch.float32);
    const rel64 = maxRelativeDifference(ours.features, ours.dim, torch.float64);
    t.diagnostic(`ResNet-${architecture.depth} ${architecture.stem} stem, width ${architecture.baseWidth}, ${channels}x${height}x${width}: max relative feature difference vs PyTorch float32 ${rel32.toExponential(2)}, vs float64 ${rel64.toExponential(2)}`);
    assert.ok(rel32 <= TOLERANCE, `vs PyTorch float32: ${rel32}`);
    assert.ok(rel64 <= TOLERANCE, `vs PyTorch float64: ${rel64}`);
    return architecture;
  } finally {
    run.dispose();
  }
}

test('bcl export: a ResNet-18 (CIFAR stem) gives PyTorch the features it gives us, within 1e-4 relative', { skip }, async (t) => {
  await compareWithTorch(t, { backbone: { depth: 18, width: 4 }, data: { dataset: { type: 'synthetic', size: 8, height: 16, width: 16, channels: 3, numClasses: 2 }, batchSize: 4, mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] } }, true);
});

test('exportBackbone: a ResNet-50 (ImageNet stem, max-pool, bottlenecks) on grey images, to a chosen file, matches PyTorch', { skip }, async (t) => {
  // 12 steps: with fewer, eval-mode BatchNorm (running statistics still near their init) blows
  // 16 bottlenecks' activations past float32's range, in PyTorch as in tfjs.
  await compareWithTorch(t, { backbone: { depth: 50, width: 2, stem: 'imagenet' }, epochs: 1, data: { dataset: { type: 'synthetic', size: 48, height: 20, width: 20, channels: 1, numClasses: 2 }, batchSize: 4 } }, false);
});

test('exportBackbone of a MoCo run writes the trained query encoder (not the momentum key copy), which encode uses', { skip }, async (t) => {
  const architecture = await compareWithTorch(t, { method: { name: 'moco', queueSize: 16, projectionDim: 8 }, backbone: { depth: 18, width: 2 } }, false, (c) => registerMoco(c));
  assert.equal(architecture.source.backbone, 'moco/query/backbone');
  assert.equal(architecture.source.method, 'moco');
});

test('bcl export names a missing run folder and an unknown format', () => {
  const missing = spawnSync(process.execPath, [CLI, 'export', path.join(os.tmpdir(), 'no-such-run-folder')], { encoding: 'utf8' });
  assert.equal(missing.status, 12);
  assert.match(missing.stderr, /run folder .*no-such-run-folder does not exist/);
  const format = spawnSync(process.execPath, [CLI, 'export', os.tmpdir(), '--format', 'onnx'], { encoding: 'utf8' });
  assert.equal(format.status, 12);
  assert.match(format.stderr, /argument 'onnx' is invalid\. Allowed choices are safetensors/);
});
