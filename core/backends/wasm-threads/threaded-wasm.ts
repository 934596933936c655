import os from 'node:os';
import { dirname, join } from 'node:path';
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

/**
 * Runs `@tensorflow/tfjs-backend-wasm` 4.22's threaded-SIMD binary (multi-threaded XNNPACK) in
 * Node, which tfjs does not do by itself. The Emscripten glue already knows Node's worker_threads;
 * five things on tfjs's side stop it, and each is worked around here:
 *
 * A. tfjs reports no thread support under Node (`WASM_HAS_MULTITHREAD_SUPPORT` is false when
 *    IS_NODE): the flag is set.
 * B. The pthread worker script is handed to `new Worker` as a `blob:` URL, which Node's Worker
 *    cannot load: `PthreadWorker` ignores the URL and evaluates tfjs's own worker source
 *    (wasm-out/…-threaded-simd.worker.js, which has a Node branch).
 * C. The Emscripten factory assigns `global.Worker = worker_threads.Worker`: `globalThis.Worker` is
 *    an accessor that ignores the assignment, so `PthreadWorker` stays.
 * D. Each worker is sent the factory as a Blob of tfjs's bundled code, which refers to bundle
 *    variables (`require$$0`) and cannot run alone: the 'load' message gets the path of the
 *    original Emscripten file instead (same code, plain `require`).
 * E. The C++ side caps the XNNPACK pool at half the logical cores Node reports
 *    (`emscripten_num_logical_cores() / 2`, 1 on a 2-core machine): `os.cpus()` reports at least
 *    2 x threads entries, only when called from that Emscripten function (checked on the stack).
 *
 * Tied to tfjs 4.22's file layout (wasm-out/*.worker.js, the 'load' message); re-check on upgrade.
 * The wasm memory becomes a SharedArrayBuffer, which the oneDNN addon (N-API) cannot take: threads
 * and the native kernels exclude each other (selectBackend decides).
 */

const WASM_PACKAGE = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
const WASM_OUT = join(WASM_PACKAGE, 'wasm-out');

/** Emscripten's pool workers, so they can be unref'd (they would keep Node alive) and trimmed. */
const liveWorkers = new Set<NodeWorker>();
let installedThreads = 0;

function pthreadWorkerSource(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { wasmWorkerContents } = require(join(WASM_OUT, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The exported template literal turned the source's "\n" escapes into real newlines; put them back.
  return wasmWorkerContents.replace(/\n/g, '\\n');
}

class PthreadWorker extends NodeWorker {
  constructor(_url: unknown, options?: WorkerOptions) {
    super(pthreadWorkerSource(), { ...options, eval: true, name: 'tfjs-wasm-pthread' });
    liveWorkers.add(this);
    this.once('exit', () => liveWorkers.delete(this));
  }

  override postMessage(message: unknown, transfer?: readonly import('node:worker_threads').TransferListItem[]): void {
    const load = message as { cmd?: string; urlOrBlob?: unknown } | null;
    if (load?.cmd === 'load' && typeof load.urlOrBlob !== 'string') {
      message = { ...load, urlOrBlob: join(WASM_OUT, 'tfjs-backend-wasm-threaded-simd.js') };
    }
    super.postMessage(message, transfer);
  }
}

/** Whether the wasm backend has been initialised in this process (then its binary is fixed). */
export function wasmBackendInitialised(): boolean {
  const registry = (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
  return registry.wasm !== undefined;
}

/**
 * Makes the next initialisation of the wasm backend load the threaded binary with `threads`
 * XNNPACK threads (the main thread is one of them). Call before `tf.setBackend('wasm')`; returns
 * false, changing nothing, when the backend is already initialised. Load
 * `@tensorflow/tfjs-backend-wasm` first.
 */
export function installThreadedWasm(threads: number): boolean {
  if (wasmBackendInitialised()) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  wasm.setThreadsCount(threads);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true); // A
  tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
  installedThreads = threads;
  if (Object.getOwnPropertyDescriptor(globalThis, 'Worker')?.get?.() !== PthreadWorker) {
    Object.defineProperty(globalThis, 'Worker', { configurable: true, enumerable: false, get: () => PthreadWorker, set: () => undefined }); // C
    const cpus = os.cpus;
    (os as { cpus: typeof os.cpus }).cpus = function patchedCpus(this: unknown) {
      const list = cpus.apply(this);
      if (installedThreads > 0 && list.length > 0 && list.length < 2 * installedThreads && /_emscripten_num_logical_cores/.test(new Error().stack ?? '')) {
        while (list.length < 2 * installedThreads) list.push(list[0]); // E
      }
      return list;
    };
  }
  return true;
}

/**
 * After the threaded backend initialised: stops the pool workers XNNPACK will not use (Emscripten
 * starts 8) and unrefs the rest, so they do not keep the process alive after the main thread is
 * done. Returns the XNNPACK thread count, or 1 when the backend is the single-threaded binary.
 */
export function settleThreadedWasm(): number {
  const backend = tf.findBackend('wasm') as unknown as { wasm?: { PThread?: { unusedWorkers: NodeWorker[] } } } | undefined;
  const pthreads = backend?.wasm?.PThread;
  if (pthreads === undefined) return 1;
  for (const worker of pthreads.unusedWorkers) void worker.terminate();
  pthreads.unusedWorkers = [];
  for (const worker of liveWorkers) worker.unref();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
}
