import { selectBackend } from '../backends/select-backend';
import { timeInterleavedRounds, type TimedVariant } from './interleaved-rounds';
import { createModelStep, type ModelStepSpec } from './model-step';
import { TorchPeer, type PeerRow } from './peer-bench';

/** Options of `runGpuPeerBench`. */
export interface GpuPeerBenchOptions extends ModelStepSpec {
  readonly steps: number;
  readonly warmup: number;
  /** Python with a CUDA build of torch. */
  readonly python: string;
  /** Leave PyTorch out (webgpu alone). */
  readonly noTorch?: boolean;
}

/** Row name of the reference the GPU table's ratios divide by. */
export const GPU_REFERENCE_SUFFIX = 'CUDA fp32 (TF32 off)';

/**
 * The peer step (core/bench/model-step.ts) on webgpu against PyTorch on CUDA, in fp32 with TF32 off
 * (the like-for-like row: WebGPU has no TF32) and with TF32 on, interleaved round by round as the
 * CPU peer table is. Needs a hardware adapter and torch with CUDA; says which is missing otherwise.
 */
export async function runGpuPeerBench(options: GpuPeerBenchOptions, log: (line: string) => void): Promise<{ rows: PeerRow[]; notes: string[]; reference: string }> {
  const backend = await selectBackend('webgpu');
  const notes = [`backend: ${backend.description}`];
  if (backend.description.includes('software adapter')) notes.push('a software adapter: these times measure an emulator, not a GPU');
  const model = createModelStep(options);
  const variants: TimedVariant[] = [
    {
      name: 'bcl-ssl webgpu',
      run: async () => {
        const start = performance.now();
        await model.step();
        return performance.now() - start;
      },
    },
  ];
  let torch: TorchPeer | undefined;
  let reference = 'bcl-ssl webgpu';
  if (!options.noTorch) {
    const started = await TorchPeer.start(options.python, options, 'cuda');
    if (typeof started === 'string') notes.push(`PyTorch CUDA peer skipped: ${started}`);
    else {
      torch = started;
      reference = `PyTorch ${torch.version} ${GPU_REFERENCE_SUFFIX}`;
      variants.push({ name: reference, run: () => torch!.step(1, false) });
      variants.push({ name: `PyTorch ${torch.version} CUDA TF32`, run: () => torch!.step(1, true) });
    }
  }
  let rows: PeerRow[];
  try {
    rows = await timeInterleavedRounds(variants, { warmup: options.warmup, steps: options.steps, decimals: 1 }, log);
  } finally {
    torch?.close();
    model.dispose();
  }
  return { rows, notes, reference };
}
