import { selectBackend } from '../backends/select-backend';
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
  const variants: { name: string; run: () => Promise<number> }[] = [
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
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  try {
    for (let round = 0; round < options.warmup + options.steps; round++) {
      const roundMs: string[] = [];
      for (const variant of variants) {
        const ms = await variant.run();
        if (round >= options.warmup) times.get(variant.name)!.push(ms);
        roundMs.push(`${variant.name} ${ms.toFixed(1)}`);
      }
      log(`round ${round + 1}/${options.warmup + options.steps}${round < options.warmup ? ' (warm-up)' : ''}: ${roundMs.join(', ')}`);
    }
  } finally {
    torch?.close();
    model.dispose();
  }
  const rows = variants.map(({ name }) => {
    const stepsMs = times.get(name)!;
    const sorted = [...stepsMs].sort((a, b) => a - b);
    return { variant: name, medianMs: sorted[sorted.length >> 1], minMs: sorted[0], stepsMs };
  });
  return { rows, notes, reference };
}
