#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { registerBuiltinPlugins } from '../../plugins/index';
import { benchmarkTracker } from '../../plugins/bcl/tracker-bench';
import { BACKEND_PREFERENCE, selectBackend, type BackendName } from '../backends/select-backend';
import { resolveRecipe } from '../recipes/resolve-recipe';
import { benchmarkSteps, type StepTiming } from './step-bench';
import { BENCH_METHODS, benchmarkMethods, methodsTable } from './methods-bench';
import { PEER_VARIANTS, peerTable, runPeerBench, type PeerVariant } from './peer-bench';
import { runGpuPeerBench } from './gpu-peer-bench';
import { dataTable, measureDataThroughput } from './data-bench';
import { measurePolicyCost } from './policy-cost-bench';
import { soak } from './soak-bench';

const DEFAULT_RECIPE = 'simclr_resnet18-w8_b128-cos-5e_fashion-mnist-lt-embedded';

/**
 * `npm run bench -- step`: full training-step time of a recipe on every available backend, side by
 * side in one process (so the ratios are measured on the same machine state). Prints a table and JSON.
 */
async function main(argv: string[]): Promise<void> {
  registerBuiltinPlugins();
  const program = new Command('bench').description('benchmarks that print numbers (not tests)');
  program
    .command('step')
    .description('median ms per training step of a recipe on each backend')
    .option('-r, --recipe <name>', 'recipe to time', DEFAULT_RECIPE)
    .option('-b, --backends <list>', 'comma-separated backends (default: all available)')
    .option('-s, --steps <n>', 'timed steps per backend', '5')
    .option('-w, --warmup <n>', 'untimed warm-up steps', '2')
    .option('--batch <n>', 'override the recipe batch size')
    .action(async (opts: { recipe: string; backends?: string; steps: string; warmup: string; batch?: string }) => {
      const recipe = resolveRecipe(opts.recipe);
      const sized = opts.batch ? { ...recipe, data: { ...recipe.data, batchSize: Number(opts.batch) } } : recipe;
      const backends = (opts.backends?.split(',') ?? (await availableBackends())) as BackendName[];
      const rows: StepTiming[] = [];
      for (const backend of backends) {
        process.stderr.write(`timing ${backend} ...\n`);
        rows.push(await benchmarkSteps(sized, backend, Number(opts.steps), Number(opts.warmup)));
      }
      const fastest = Math.min(...rows.map((r) => r.medianMs));
      process.stdout.write(`recipe ${opts.recipe}, batch ${sized.data.batchSize} x 2 views\n`);
      process.stdout.write('backend     ms/step (median)   min ms   img/s   time vs fastest\n');
      for (const r of rows) {
        process.stdout.write(`${r.backend.padEnd(11)} ${r.medianMs.toFixed(0).padStart(16)} ${r.minMs.toFixed(0).padStart(8)} ${r.imagesPerSecond.toFixed(1).padStart(7)} ${(r.medianMs / fastest).toFixed(2).padStart(9)}x\n`);
      }
      process.stdout.write(JSON.stringify({ recipe: opts.recipe, rows }) + '\n');
    });
  program
    .command('soak')
    .description('train a recipe for many epochs (or minutes), sampling RSS and tf.memory() at each epoch end')
    .option('-r, --recipe <name>', 'recipe to train', DEFAULT_RECIPE)
    .option('-e, --epochs <n>', 'epochs', '100')
    .option('-m, --minutes <n>', 'stop after this many minutes (after the current step)', '600')
    .option('--warmup <n>', 'epochs before the growth figure starts', '3')
    .action(async (opts: { recipe: string; epochs: string; minutes: string; warmup: string }) => {
      const result = await soak(resolveRecipe(opts.recipe), { epochs: Number(opts.epochs), minutes: Number(opts.minutes), warmupEpochs: Number(opts.warmup) });
      const last = result.samples.at(-1);
      process.stdout.write(`recipe ${opts.recipe}: ${result.samples.length} epochs in ${last?.seconds.toFixed(0) ?? 0} s (stopped by ${result.stoppedBy})\n`);
      process.stdout.write(`RSS growth after ${result.warmupEpochs} warm-up epochs: ${(100 * result.rssGrowth).toFixed(2)} %; tensors after warm-up: ${result.tensorRange[0]}..${result.tensorRange[1]}\n`);
      process.stdout.write(JSON.stringify(result) + '\n');
    });
  program
    .command('methods')
    .description('step time of every method alone and with BCL (worst case: every sample augmented), and each relative to SimCLR')
    .option('-b, --backend <name>', 'backend', 'wasm')
    .option('--width <n>', 'ResNet-18 base width', '8')
    .option('--batch <n>', 'samples per step', '128')
    .option('-s, --steps <n>', 'timed steps', '3')
    .option('-w, --warmup <n>', 'untimed warm-up steps', '1')
    .option('--rounds <n>', 'A-B-B-A repetitions per method', '1')
    .option('--methods <list>', `comma-separated subset of ${BENCH_METHODS.join(',')}`, BENCH_METHODS.join(','))
    .action(async (opts: { backend: string; width: string; batch: string; steps: string; warmup: string; rounds: string; methods: string }) => {
      const methods = opts.methods.split(',').map((m) => m.trim());
      const unknown = methods.filter((m) => !(BENCH_METHODS as readonly string[]).includes(m));
      if (unknown.length > 0) throw new Error(`unknown method ${unknown.join(', ')}; choose from ${BENCH_METHODS.join(', ')}`);
      const options = {
        backend: opts.backend as BackendName, width: Number(opts.width), batch: Number(opts.batch),
        steps: Number(opts.steps), warmup: Number(opts.warmup), rounds: Number(opts.rounds), methods,
      };
      const rows = await benchmarkMethods(options, (line) => process.stderr.write(`${line}\n`));
      process.stdout.write(`${methodsTable(rows, options)}\n${JSON.stringify({ bench: 'methods', options, rows })}\n`);
    });
  program
    .command('data')
    .description('augmentation views/s (SimCLR, BCL RandAugment k=1/2; 32x32 and 224x224 RGB), sync vs workers, next to the step rate of a recipe')
    .option('-r, --recipe <name>', 'recipe whose training step rate is shown', DEFAULT_RECIPE)
    .option('--seconds <n>', 'seconds per data case and mode', '3')
    .option('--workers <n>', 'worker threads for the parallel mode (default: cores - 1, at least 1)')
    .option('--backend <name>', 'backend of the step timing (default: the best available)')
    .option('-s, --steps <n>', 'timed training steps per setting', '4')
    .option('--no-step', 'leave the training-step timing out')
    .action(async (opts: { recipe: string; seconds: string; workers?: string; backend?: string; steps: string; step: boolean }) => {
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      const rows = await measureDataThroughput({ seconds: Number(opts.seconds), workers }, (line) => process.stderr.write(`${line}\n`));
      process.stdout.write(`${dataTable(rows)}\n`);
      const steps = opts.step ? await stepRates(opts.recipe, rows[0].workers, opts.backend as BackendName | undefined, Number(opts.steps)) : [];
      for (const s of steps) {
        process.stdout.write(`training step (${opts.recipe}, ${s.backend}, batch ${s.batchSize} x 2 views), data.workers ${s.workers}: ${s.medianMs.toFixed(0)} ms/step, ${s.imagesPerSecond.toFixed(0)} views/s\n`);
      }
      process.stdout.write(JSON.stringify({ bench: 'data', rows, steps }) + '\n');
    });
  program
    .command('bcl')
    .description('BCL costs: memorization tracker per step (B = 512) and per epoch end at N = 1e4, 1e5, 1e6; its RandAugment on the main thread per batch')
    .action(async () => {
      const rows = [1e4, 1e5, 1e6].map((n) => benchmarkTracker(n));
      process.stdout.write('samples     update ms/step (B=512)   epoch-end ms   memory MiB\n');
      for (const r of rows) {
        process.stdout.write(`${String(r.samples).padEnd(11)} ${r.updateMs.toFixed(4).padStart(22)} ${r.epochEndMs.toFixed(2).padStart(14)} ${r.memoryMiB.toFixed(1).padStart(12)}\n`);
      }
      const policy = await measurePolicyCost();
      process.stdout.write('\nmain thread per batch (policy + normalise, 128 x 2 views; BCL at full strength, M = 1 for every sample)\n');
      process.stdout.write('image      no policy ms   BCL k=1 ms (+added)   BCL k=2 ms (+added)\n');
      for (const p of policy) {
        const cell = (ms: number) => `${ms.toFixed(2)} (+${(ms - p.noneMs).toFixed(2)})`.padStart(21);
        process.stdout.write(`${`${p.size}x${p.size}x${p.channels}`.padEnd(10)} ${p.noneMs.toFixed(2).padStart(12)} ${cell(p.bclK1Ms)} ${cell(p.bclK2Ms)}\n`);
      }
      process.stdout.write(JSON.stringify({ bench: 'bcl', tracker: rows, policy }) + '\n');
    });
  program
    .command('peer')
    .description('one SimCLR step (ResNet-18 CIFAR stem) on wasm with stock, faster and oneDNN kernels, and in PyTorch, interleaved; --gpu: on webgpu and in PyTorch CUDA (TF32 off and on)')
    .option('--gpu', 'time webgpu against PyTorch on CUDA instead of the CPU rows')
    .option('--width <n>', 'ResNet-18 base width', '8')
    .option('--batch <n>', 'images per view (the net sees 2x)', '32')
    .option('--size <n>', 'square image side', '32')
    .option('-s, --steps <n>', 'timed rounds', '5')
    .option('-w, --warmup <n>', 'untimed warm-up rounds', '1')
    .option('--python <path>', 'python with torch (Debian: apt-get install python3-torch)', '/usr/bin/python3')
    .option('--no-torch', 'leave PyTorch out')
    .option('--variants <list>', `comma-separated subset of ${PEER_VARIANTS.join(',')}`, PEER_VARIANTS.join(','))
    .action(async (opts: { width: string; batch: string; size: string; steps: string; warmup: string; python: string; torch: boolean; variants: string; gpu?: boolean }) => {
      const spec = { width: Number(opts.width), batch: Number(opts.batch), size: Number(opts.size) };
      if (opts.gpu) {
        const log = (line: string) => process.stderr.write(`${line}\n`);
        const { rows, notes, reference } = await runGpuPeerBench({ ...spec, steps: Number(opts.steps), warmup: Number(opts.warmup), python: opts.python, noTorch: !opts.torch }, log);
        process.stdout.write(`${peerTable(rows, spec, reference)}\n${notes.map((n) => `note: ${n}\n`).join('')}`);
        process.stdout.write(JSON.stringify({ ...spec, gpu: true, rows, notes }) + '\n');
        return;
      }
      const variants = opts.variants.split(',').map((v) => v.trim());
      const unknown = variants.filter((v) => !(PEER_VARIANTS as readonly string[]).includes(v));
      if (unknown.length > 0) throw new Error(`unknown peer variant ${unknown.join(', ')}; choose from ${PEER_VARIANTS.join(', ')}`);
      const { rows, notes } = await runPeerBench(
        { ...spec, steps: Number(opts.steps), warmup: Number(opts.warmup), python: opts.python, noTorch: !opts.torch, variants: variants as PeerVariant[] },
        (line) => process.stderr.write(`${line}\n`),
      );
      process.stdout.write(`${peerTable(rows, spec)}\n${notes.map((n) => `note: ${n}\n`).join('')}`);
      process.stdout.write(JSON.stringify({ ...spec, rows, notes }) + '\n');
    });
  await program.parseAsync(argv);
}

/** The recipe's step time through the real trainer with data.workers 0 and `workers`. */
async function stepRates(name: string, workers: number, backend: BackendName | undefined, steps: number): Promise<(StepTiming & { workers: number })[]> {
  const recipe = resolveRecipe(name);
  const chosen = backend ?? (await selectBackend()).name;
  const out: (StepTiming & { workers: number })[] = [];
  for (const w of [0, workers]) {
    process.stderr.write(`timing ${name} steps on ${chosen} with data.workers ${w} ...\n`);
    out.push({ ...(await benchmarkSteps({ ...recipe, data: { ...recipe.data, workers: w } }, chosen, steps, 2)), workers: w });
  }
  return out;
}

async function availableBackends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of BACKEND_PREFERENCE) {
    try {
      const choice = await selectBackend(name);
      // An emulated GPU (SwiftShader) takes minutes per recipe step: time it only when asked (--backends webgpu).
      if (!choice.description.includes('software adapter')) found.push(name);
    } catch {
      // not installed here
    }
  }
  return found;
}

main(process.argv).catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
