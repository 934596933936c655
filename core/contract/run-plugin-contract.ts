import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import type { BackendName } from '../backends/select-backend';
import { createRegistrar } from '../plugin/load-plugin-module';
import { definePlugin } from '../plugin/plugin-definition';
import type { PluginModuleRegister } from '../plugin/plugin-module';
import { registerPlugin } from '../plugin/plugin-registry';
import { validateRecipe } from '../recipes/resolve-recipe';
import { train } from '../run/train';
import { goldenSequence, recorderPlugin, type Recording } from './recorder-plugin';

/** A plugin reference as a recipe writes it. */
type Reference = { readonly name: string } & Record<string, unknown>;

/** What `runPluginContract` trains. */
export interface PluginContractOptions {
  /** The plugin module's `register` (or any function registering the plugins under test). */
  readonly register: PluginModuleRegister;
  /** The recipe's method, e.g. `{ name: 'my-method', temperature: 0.2 }`. */
  readonly method: Reference;
  /** Add-ons in hook order, e.g. `[{ name: 'my-addon' }]`. */
  readonly plugins?: readonly Reference[];
  /**
   * Registers other plugins the recipe needs, e.g. `registerBuiltinPlugins` from `bcl-ssl/plugins`
   * to test an add-on with a shipped method.
   */
  readonly registerAlso?: (target: DependencyContainer) => void;
  /** Tensor backend (default `cpu`: exact and everywhere). */
  readonly backend?: BackendName;
}

/** One check of the contract. */
export interface ContractCheck {
  readonly name: 'hook order' | 'no tensor growth' | 'exact resume';
  readonly passed: boolean;
  /** What differed, when it failed. */
  readonly detail?: string;
}

/** The result: every check, and the failed ones as sentences. */
export interface ContractResult {
  readonly checks: readonly ContractCheck[];
  readonly failures: readonly string[];
}

const EPOCHS = 2;
const BATCHES = 2;
const BATCH_SIZE = 4;

/**
 * The contract every plugin meets, as the framework's own plugins are tested (test/contract.test.ts),
 * for third parties to run in their own test suites: on two tiny epochs (8 synthetic 8x8 images,
 * batch 4, a width-2 ResNet-18) it checks
 * - **hook order**: the full hook call sequence equals the pinned lifecycle, with the method's views;
 * - **no tensor growth**: live tensors are the same after every step, and none are left after the run;
 * - **exact resume**: a run resumed from its epoch-1 checkpoint ends with the same weights, BatchNorm
 *   statistics and optimizer state, bit for bit, as an uninterrupted one (plugin state included).
 * Each run uses its own child container of the root container. Resolves to every check; a plugin
 * that throws makes it reject with that error.
 */
export async function runPluginContract(options: PluginContractOptions): Promise<ContractResult> {
  const checks: ContractCheck[] = [];
  const tensorsBefore = tf.memory().numTensors;
  const recording: Recording = { calls: [], tensorsAfterStep: [] };
  const full = await contractRun(options, recording);
  const golden = goldenSequence(EPOCHS, BATCHES, BATCH_SIZE, recording.views ?? 0);
  checks.push(sequenceCheck(recording.calls, golden));
  const perStep = recording.tensorsAfterStep;
  const left = tf.memory().numTensors - tensorsBefore;
  const steady = perStep.every((n) => n === perStep[0]);
  checks.push({
    name: 'no tensor growth',
    passed: steady && left === 0,
    detail: steady && left === 0 ? undefined : `live tensors after each step: ${perStep.join(', ')}; left after the run: ${left}`,
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-contract-'));
  try {
    await contractRun(options, { calls: [], tensorsAfterStep: [] }, dir);
    const store = path.join(dir, 'checkpoints');
    const files = fs.readdirSync(store).filter((f) => f.endsWith('.ckpt')).sort();
    // Keep only the epoch-1 checkpoint, so the resume redoes epoch 2.
    for (const file of files.slice(1)) fs.rmSync(path.join(store, file));
    const resumed = await contractRun(options, { calls: [], tensorsAfterStep: [] }, dir, true);
    const differing = [...full.keys()].filter((name) => !sameValues(full.get(name)!, resumed.get(name)));
    const extra = [...resumed.keys()].filter((name) => !full.has(name));
    checks.push({
      name: 'exact resume',
      passed: differing.length === 0 && extra.length === 0 && full.size > 0,
      detail: differing.length === 0 && extra.length === 0 ? undefined : `variables that differ after resuming from epoch 1: ${listSome([...differing, ...extra])}`,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { checks, failures: checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`) };
}

async function contractRun(options: PluginContractOptions, recording: Recording, outDir?: string, resume = false): Promise<Map<string, Float32Array>> {
  const registry = rootContainer.createChildContainer();
  options.registerAlso?.(registry);
  await options.register(createRegistrar(registry).registrar);
  registerPlugin(recorderPlugin(recording), registry);
  let weights = new Map<string, Float32Array>();
  registerPlugin(
    definePlugin({
      name: 'contract-weights',
      kind: 'addon',
      description: 'reads every variable when training ends',
      options: z.strictObject({}),
      create: () => ({ hooks: { onTrainEnd: () => void (weights = readVariables()) } }),
    }),
    registry,
  );
  const recipe = validateRecipe(
    {
      method: options.method,
      plugins: [...(options.plugins ?? []), { name: 'recorder' }, { name: 'contract-weights' }],
      backbone: { depth: 18, width: 2 },
      data: { dataset: { type: 'synthetic', size: BATCHES * BATCH_SIZE, height: 8, width: 8, channels: 3, numClasses: 2 }, batchSize: BATCH_SIZE, workers: 0 },
      epochs: EPOCHS,
      schedule: { warmupEpochs: 1 },
    },
    'contract recipe',
    registry,
  );
  await train({ recipe, backend: options.backend ?? 'cpu', container: registry, outDir, resume });
  return weights;
}

function sequenceCheck(calls: readonly string[], golden: readonly string[]): ContractCheck {
  const at = golden.findIndex((expected, i) => calls[i] !== expected);
  if (at < 0 && calls.length === golden.length) return { name: 'hook order', passed: true };
  const index = at < 0 ? golden.length : at;
  return { name: 'hook order', passed: false, detail: `call ${index + 1} was ${JSON.stringify(calls[index] ?? '(none)')}, expected ${JSON.stringify(golden[index] ?? '(none)')} (${calls.length} calls, ${golden.length} expected)` };
}

/** Every variable of the engine, read to the host, by name (the run disposes them after onTrainEnd). */
function readVariables(): Map<string, Float32Array> {
  return new Map(Object.entries(tf.engine().registeredVariables).map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
}

function sameValues(a: Float32Array, b: Float32Array | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/** The first few names, then how many more (a backbone has a hundred variables). */
function listSome(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}
