import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadOnednnAddon } from '../native/load-onednn-addon';
import { applyCpuThreads, wantedWasmThreads } from './wasm-threads-choice';

const PROBE = join(__dirname, '..', '..', '..', 'test', 'support', 'kernels', 'threaded-wasm-probe.js');

/** Runs the probe in a fresh process (the wasm binary is fixed per process) and parses its report. */
function runProbe(env: Record<string, string>): { status: number | null; report?: { description: string; convError: number; losses: number[]; tensorGrowth: number }; stderr: string } {
  // A 60 s limit: a pool worker left referenced would keep the child alive forever.
  const child = spawnSync(process.execPath, [PROBE], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  const line = child.stdout.trim().split('\n').at(-1);
  return { status: child.status, report: line ? JSON.parse(line) : undefined, stderr: child.stderr };
}

test('BCL_WASM_THREADS=2 runs the threaded wasm binary with 2 XNNPACK threads: conv gradients match cpu, training steps leak nothing, and the process exits', () => {
  const { status, report, stderr } = runProbe({ BCL_WASM_THREADS: '2' });
  assert.equal(status, 0, `probe failed or hung: ${stderr}`);
  assert.ok(report);
  assert.match(report.description, /threaded SIMD binary, 2 XNNPACK threads/);
  assert.doesNotMatch(report.description, /in oneDNN/);
  assert.ok(report.convError <= 1e-4, `conv error ${report.convError}`);
  assert.ok(report.losses.every(Number.isFinite), `losses ${report.losses}`);
  assert.equal(report.tensorGrowth, 0);
});

test('the threaded and single-threaded binaries train bit-identically (XNNPACK splits outputs, not sums, across threads)', () => {
  const threaded = runProbe({ BCL_WASM_THREADS: '2', BCL_NATIVE_KERNELS: '0' }).report;
  const single = runProbe({ BCL_WASM_THREADS: '1', BCL_NATIVE_KERNELS: '0' }).report;
  assert.ok(threaded && single);
  assert.match(single.description, /SIMD binary, 1 thread/);
  assert.deepEqual(threaded.losses, single.losses);
});

test('BCL_WASM_THREADS: an explicit value wins, a bad one is refused, and the default follows the oneDNN kernels', () => {
  assert.equal(wantedWasmThreads({ BCL_WASM_THREADS: '3' }), 3);
  assert.throws(() => wantedWasmThreads({ BCL_WASM_THREADS: 'two' }), /BCL_WASM_THREADS must be a positive integer, but got "two"/);
  assert.throws(() => wantedWasmThreads({ BCL_WASM_THREADS: '0' }), /positive integer/);
  assert.ok(wantedWasmThreads({ BCL_NATIVE_KERNELS: '0' }) >= 1);
});

test('bcl train with a malformed BCL_WASM_THREADS stops with exit 6 and names the variable and the fix', () => {
  const cli = join(__dirname, '..', '..', 'cli', 'main.js');
  const child = spawnSync(process.execPath, [cli, 'train', '--recipe', 'simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded', '--out', join(__dirname, 'never-written')], {
    env: { ...process.env, BCL_WASM_THREADS: 'lots' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(child.status, 6, child.stderr);
  assert.match(child.stderr, /BCL_WASM_THREADS must be a positive integer, but got "lots"/);
  assert.match(child.stderr, /unset it, or set e\.g\. BCL_WASM_THREADS=2/);
});

test('--threads n goes to oneDNN when its kernels run, else to the threaded wasm binary', () => {
  const pureWasm: NodeJS.ProcessEnv = { BCL_NATIVE_KERNELS: '0' };
  applyCpuThreads(2, pureWasm);
  assert.deepEqual(pureWasm, { BCL_NATIVE_KERNELS: '0', BCL_THREADS: '2', BCL_WASM_THREADS: '2' });
  const withAddon: NodeJS.ProcessEnv = {};
  applyCpuThreads(2, withAddon);
  const built = !('reason' in loadOnednnAddon());
  assert.deepEqual(withAddon, built ? { BCL_THREADS: '2' } : { BCL_THREADS: '2', BCL_WASM_THREADS: '2' });
});
