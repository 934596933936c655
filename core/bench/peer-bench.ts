import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { configureWasmKernels } from '../backends/native/configure-wasm-kernels';
import { setNativeThreads, useNativeKernels } from '../backends/native/index';
import { packageRoot } from '../backends/native/load-onednn-addon';
import { selectBackend } from '../backends/select-backend';
import { wasmIsThreaded } from '../backends/wasm-threads/wasm-threads-choice';
import { timeInterleavedRounds, type TimedVariant } from './interleaved-rounds';
import { createModelStep, type ModelStepSpec } from './model-step';

/** One timed configuration of the peer table. */
export interface PeerRow {
  readonly variant: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly stepsMs: number[];
}

/** Options of `runPeerBench`. */
export interface PeerBenchOptions extends ModelStepSpec {
  readonly steps: number;
  readonly warmup: number;
  /** Python with torch; default /usr/bin/python3 (Debian's python3-torch). */
  readonly python?: string;
  /** Leave PyTorch out. */
  readonly noTorch?: boolean;
  /** Variant keys to run (`PEER_VARIANTS`); default all. The stock kernels take minutes per step at width 64. */
  readonly variants?: readonly PeerVariant[];
}

/** Keys of the peer table's rows, in order. */
export const PEER_VARIANTS = ['stock', 'faster', 'onednn1', 'onednn2', 'torch1', 'torch2'] as const;
export type PeerVariant = (typeof PEER_VARIANTS)[number];

const PYTHON = '/usr/bin/python3';

/**
 * The same SimCLR step (core/bench/model-step.ts, core/bench/peer/simclr_step.py) in every kernel
 * configuration of the wasm backend and in PyTorch at 1 and 2 threads. The variants are
 * interleaved: each round runs one step of every variant in turn, so a change in machine load
 * (the benchmark machine is shared) hits all of them alike, and the ratios stay meaningful.
 * PyTorch runs as a child process that steps on request, idle while Node steps.
 */
export async function runPeerBench(options: PeerBenchOptions, log: (line: string) => void): Promise<{ rows: PeerRow[]; notes: string[] }> {
  const notes: string[] = [];
  await selectBackend('wasm');
  // The threaded binary (BCL_WASM_THREADS > 1) shares its memory, which the oneDNN addon cannot use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const threads = wasmIsThreaded() ? (require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm')).getThreadsCount() : 1;
  const native = threads > 1 ? { kernels: [], description: `oneDNN variants need the single-threaded wasm binary (unset BCL_WASM_THREADS)` } : useNativeKernels(true);
  const wasmLabel = threads > 1 ? `wasm (${threads} XNNPACK threads)` : 'wasm';
  const wanted = new Set<PeerVariant>(options.variants ?? PEER_VARIANTS);
  const variants: TimedVariant[] = [];
  const model = createModelStep(options);
  const timeJs = (setup: () => void) => async () => {
    setup();
    const start = performance.now();
    await model.step();
    return performance.now() - start;
  };
  if (wanted.has('stock')) variants.push({ name: `${wasmLabel}, stock kernels`, run: timeJs(() => configureWasmKernels({ faster: false, native: false })) });
  if (wanted.has('faster')) variants.push({ name: `${wasmLabel}, faster kernels`, run: timeJs(() => configureWasmKernels({ faster: true, native: false })) });
  if (native.kernels.length > 0) {
    for (const threads of [1, 2]) {
      if (!wanted.has(threads === 1 ? 'onednn1' : 'onednn2')) continue;
      variants.push({
        name: `wasm + native kernels, ${threads} thread${threads > 1 ? 's' : ''}`,
        run: timeJs(() => {
          configureWasmKernels({ faster: true, native: true });
          setNativeThreads(threads);
        }),
      });
    }
  } else {
    notes.push(native.description);
  }
  let torch: TorchPeer | undefined;
  if (!options.noTorch && (wanted.has('torch1') || wanted.has('torch2'))) {
    const started = await TorchPeer.start(options.python ?? PYTHON, options);
    if (typeof started === 'string') notes.push(`PyTorch peer skipped: ${started}`);
    else {
      torch = started;
      notes.push(`PyTorch ${torch.version}`);
      for (const threads of [1, 2]) {
        if (wanted.has(threads === 1 ? 'torch1' : 'torch2')) {
          variants.push({ name: `PyTorch ${torch.version}, ${threads} thread${threads > 1 ? 's' : ''}`, run: () => torch!.step(threads) });
        }
      }
    }
  }
  let rows: PeerRow[];
  try {
    rows = await timeInterleavedRounds(variants, { warmup: options.warmup, steps: options.steps, decimals: 0 }, log);
  } finally {
    torch?.close();
    model.dispose();
    configureWasmKernels(threads > 1 ? { native: false } : {});
  }
  return { rows, notes };
}

/** Where the PyTorch peer runs: CPU threads, or CUDA with TF32 off or on for each step. */
export type TorchDevice = 'cpu' | 'cuda';

/** PyTorch stepping on request (core/bench/peer/simclr_step.py). */
export class TorchPeer {
  private readonly lines: AsyncIterator<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly version: string, lines: AsyncIterator<string>) {
    this.lines = lines;
  }

  /** Starts the peer, or returns why it cannot run (no python, no torch). */
  static async start(python: string, spec: ModelStepSpec, device: TorchDevice = 'cpu'): Promise<TorchPeer | string> {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      return `${python} cannot import torch (${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}); apt-get install python3-torch`;
    }
    if (device === 'cuda') {
      const cuda = spawnSync(python, ['-c', 'import torch; print(torch.cuda.is_available())'], { encoding: 'utf8' });
      if (cuda.stdout.trim() !== 'True') {
        return `PyTorch at ${python} sees no CUDA device (torch.cuda.is_available() is ${cuda.stdout.trim() || 'an error'}); run on a machine with an NVIDIA GPU and a CUDA build of torch`;
      }
    }
    const root = packageRoot(__dirname) ?? process.cwd();
    const script = join(root, 'core', 'bench', 'peer', 'simclr_step.py');
    const child = spawn(python, [script, '--width', String(spec.width), '--batch', String(spec.batch), '--size', String(spec.size ?? 32), '--device', device], {
      // The thread count is set per step; keep OpenMP from pinning or spinning on idle cores.
      env: { ...process.env, OMP_NUM_THREADS: '2' },
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[torch] ${chunk}`));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done || !first.value.startsWith('ready')) {
      child.kill();
      return `peer script did not start (${first.done ? 'no output' : first.value})`;
    }
    return new TorchPeer(child, first.value.split(' ')[2] ?? '?', lines);
  }

  /** One step with `threads` CPU threads; on CUDA, `tf32` allows TF32 matmuls and convolutions. */
  async step(threads: number, tf32 = false): Promise<number> {
    this.child.stdin.write(`step ${threads} ${tf32 ? 1 : 0}\n`);
    const reply = await this.lines.next();
    if (reply.done) throw new Error('the PyTorch peer exited early');
    return Number(reply.value);
  }

  close(): void {
    this.child.stdin.end('quit\n');
  }
}

/** Markdown table of `rows`, with each time as a ratio to the first PyTorch 1-thread row. */
export function peerTable(rows: readonly PeerRow[], spec: ModelStepSpec, referenceVariant?: string): string {
  const reference = rows.find((r) => r.variant === referenceVariant) ?? rows.find((r) => r.variant.startsWith('PyTorch') && r.variant.endsWith('1 thread')) ?? rows[0];
  const lines = [
    `ResNet-18 (CIFAR stem) width ${spec.width}, batch ${spec.batch} x 2 views, ${spec.size ?? 32}x${spec.size ?? 32}x3, NT-Xent + SGD; ${tf.version.tfjs ? `tfjs ${tf.version.tfjs}` : ''}`,
    '',
    `| variant | median ms/step | min ms | images/s | time vs ${reference.variant} |`,
    '|---|---|---|---|---|',
    ...rows.map((r) => {
      const imagesPerSecond = (2 * spec.batch * 1000) / r.medianMs;
      return `| ${r.variant} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${imagesPerSecond.toFixed(1)} | ${(r.medianMs / reference.medianMs).toFixed(2)}x |`;
    }),
  ];
  return lines.join('\n');
}
