import * as tf from '@tensorflow/tfjs';
import { loadWebgpuPackages, WEBGPU_INSTALL_HINT, type ModuleLoader } from './load-webgpu-packages';
import { describeAdapter, probeAdapter } from './probe-adapter';

/** tfjs-backend-webgpu's `MatMulProgramType.MatMulPackedProgram` (webgpu_util.ts), which uses no atomics. */
const PACKED_MATMUL_PROGRAM = 3;

/** How `activateWebgpu` may choose. */
export interface WebgpuActivation {
  /**
   * Accept a software adapter (SwiftShader, a CPU emulation: correct, very slow). True when the
   * user asked for webgpu by name; `auto` passes false so it never trades wasm for an emulator.
   */
  readonly allowSoftwareAdapter: boolean;
  /** Loader of the optional packages (tests pass one that fails). */
  readonly load?: ModuleLoader;
}

/** The active webgpu backend, described for the start-up banner. */
export interface ActiveWebgpu {
  readonly description: string;
  readonly software: boolean;
}

/**
 * Loads Dawn and the tfjs webgpu backend, checks the adapter and makes webgpu the active backend.
 * Returns why not as a sentence (missing package with its install command, no adapter, software
 * adapter refused) so `selectBackend` can list it among the reasons.
 *
 * No project kernels are registered for webgpu: tfjs ships every kernel the training step uses
 * (convolution gradients included, unlike wasm), and BatchNorm runs as tfjs ops (`tf.moments`:
 * a two-pass mean then variance, whose accuracy at 102 400 rows is under test in
 * webgpu-kernels.test.ts) because `BclBatchNormTraining` is registered only where a faster fused
 * kernel exists.
 */
export async function activateWebgpu(options: WebgpuActivation): Promise<ActiveWebgpu | string> {
  const failure = loadWebgpuPackages(options.load);
  if (failure !== undefined) return `${failure}; install with ${WEBGPU_INSTALL_HINT}`;
  const adapter = await probeAdapter();
  if (adapter === undefined) return 'no WebGPU adapter found (Dawn sees no GPU driver: Vulkan on Linux, Metal on macOS, D3D12 on Windows)';
  const described = describeAdapter(adapter);
  if (adapter.isFallback && !options.allowSoftwareAdapter) {
    return `only a software adapter (${described}); auto never picks one: request --backend webgpu to use it anyway`;
  }
  const deterministic = process.env.BCL_WEBGPU_DETERMINISTIC === '1';
  // tfjs's split-K matmul (chosen for few output tiles and K >= 2000, e.g. a linear layer's weight
  // gradient at 2 x 1024 images) adds partial sums with float atomics, in whatever order the GPU
  // runs them. The packed program has a fixed order: bit-identical reruns, perhaps slower.
  if (deterministic) tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', PACKED_MATMUL_PROGRAM);
  if (!(await tf.setBackend('webgpu'))) return `tf.setBackend('webgpu') failed on ${described}`;
  await tf.ready();
  const slow = adapter.isFallback ? '; a CPU emulation, for correctness checks only' : '';
  const order = deterministic ? '; deterministic matmul (BCL_WEBGPU_DETERMINISTIC=1)' : '';
  return { description: `${described}; tfjs webgpu kernels, BatchNorm as tfjs ops${order}${slow}`, software: adapter.isFallback };
}
