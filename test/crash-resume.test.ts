import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeCheckpoint } from '../core/checkpoint/checkpoint-format';
import { readMetricsLog } from '../core/run/metrics-log';
import { Rng } from '../core/random/rng';

/**
 * Crash safety with real processes: `bcl train` is killed with SIGKILL at seeded moments (between
 * steps and in the middle of checkpoint writes), resumed, and compared with an uninterrupted run.
 */
const CLI = path.join(__dirname, '..', 'core', 'cli', 'main.js');
const STEPS = 6;
const recipe = {
  method: { name: 'simclr', projectionDim: 8 },
  plugins: [{ name: 'bcl' }],
  backbone: { width: 4 },
  data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8 }, batchSize: 4 },
  epochs: 3,
  schedule: { warmupEpochs: 1 },
  checkpoint: { everySteps: 1, keepLast: 2 },
  logging: { everySteps: 1 },
};

function setup(): { dir: string; recipeFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-crash-'));
  const recipeFile = path.join(dir, 'recipe-in.json');
  fs.writeFileSync(recipeFile, JSON.stringify(recipe));
  return { dir, recipeFile };
}

function trainArgs(recipeFile: string, out: string, resume: boolean): string[] {
  return [CLI, 'train', '--recipe', recipeFile, '--backend', 'cpu', '--out', out, ...(resume ? ['--resume'] : [])];
}

/** Starts training and SIGKILLs it `extraMs` after the `afterCheckpoints`-th checkpoint line. */
function trainAndKill(recipeFile: string, out: string, resume: boolean, afterCheckpoints: number, extraMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, trainArgs(recipeFile, out, resume), { stdio: ['ignore', 'ignore', 'pipe'] });
    let seen = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      seen += (chunk.toString().match(/^checkpoint /gm) ?? []).length;
      if (seen >= afterCheckpoints) setTimeout(() => child.kill('SIGKILL'), extraMs);
    });
    child.on('exit', () => resolve());
  });
}

function finish(recipeFile: string, out: string): void {
  const resume = fs.existsSync(path.join(out, 'checkpoints')) && fs.readdirSync(path.join(out, 'checkpoints')).some((f) => f.endsWith('.ckpt'));
  const result = spawnSync(process.execPath, trainArgs(recipeFile, out, resume), { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
}

/** Every array of the final checkpoint (weights, BN statistics, optimizer buffers, plugin state). */
function finalArrays(out: string): Map<string, Buffer> {
  const file = path.join(out, 'checkpoints', `step-${String(STEPS).padStart(9, '0')}.ckpt`);
  const decoded = decodeCheckpoint(fs.readFileSync(file), file);
  return new Map([...decoded.arrays].map(([name, a]) => [name, Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)]));
}

function stepLosses(out: string): number[] {
  return readMetricsLog(path.join(out, 'metrics.jsonl'))
    .filter((e) => e.scope === 'step')
    .map((e) => e.values.loss as number);
}

test('SIGKILL at 10 seeded points, then --resume: bit-identical final state and per-step losses', { timeout: 600_000 }, async () => {
  const { dir, recipeFile } = setup();
  const reference = path.join(dir, 'reference');
  finish(recipeFile, reference);
  const expected = finalArrays(reference);
  const expectedLosses = stepLosses(reference);
  assert.equal(expectedLosses.length, STEPS);
  const rng = new Rng(2026);
  for (let k = 0; k < 10; k++) {
    const out = path.join(dir, `killed-${k}`);
    await trainAndKill(recipeFile, out, false, 1 + rng.int(STEPS - 1), rng.int(400));
    finish(recipeFile, out);
    const got = finalArrays(out);
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort());
    for (const [name, bytes] of expected) assert.ok(bytes.equals(got.get(name)!), `kill ${k}: ${name} differs`);
    assert.deepEqual(stepLosses(out), expectedLosses, `kill ${k}: per-step losses (each step logged once)`);
  }
});

test('20 SIGKILLs, many during checkpoint writes: every checkpoint on disk stays valid and resume always works', { timeout: 600_000 }, async () => {
  const { dir, recipeFile } = setup();
  const out = path.join(dir, 'run');
  const rng = new Rng(7);
  for (let k = 0; k < 20; k++) {
    const hasCheckpoint = fs.existsSync(path.join(out, 'checkpoints')) && fs.readdirSync(path.join(out, 'checkpoints')).some((f) => f.endsWith('.ckpt'));
    // Kill right at a checkpoint line: the next checkpoint's write is then often under way.
    await trainAndKill(recipeFile, out, hasCheckpoint, 1, rng.int(60));
    for (const name of fs.readdirSync(path.join(out, 'checkpoints')).filter((f) => f.endsWith('.ckpt'))) {
      const file = path.join(out, 'checkpoints', name);
      assert.doesNotThrow(() => decodeCheckpoint(fs.readFileSync(file), file), `kill ${k}: ${name} must be complete`);
    }
    const done = fs.readdirSync(path.join(out, 'checkpoints')).includes(`step-${String(STEPS).padStart(9, '0')}.ckpt`);
    if (done) fs.rmSync(out, { recursive: true });
  }
  // Leftover temporary files from killed writes are removed by the next start.
  if (fs.existsSync(out)) {
    finish(recipeFile, out);
    assert.deepEqual(fs.readdirSync(path.join(out, 'checkpoints')).filter((f) => f.startsWith('.tmp-')), []);
  }
});
