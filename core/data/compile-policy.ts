import { BclError } from '../errors';
import type { AugmentationPolicy, SampleAugmentation } from '../hooks/contexts';
import type { AugmentationStep } from './augment/augmentation-op';
import { compileStep, type CompiledPipeline, type CompiledStep, type StepSource } from './augment/compile-pipeline';
import { requireAugmentationOp } from './augment/op-registry';
import { pipelineOfView, type ResolvedViewPipelines } from './augmentation-from-recipe';

/** One sample's policy, compiled: what the pipeline applies to each of its views. */
export interface CompiledSample {
  /** Steps after the base pipeline. */
  readonly append: CompiledPipeline;
  /** The sample's base pipeline of `view` with the policy's parameter changes, or undefined when it changes none. */
  baseOf(view: number): CompiledPipeline | undefined;
}

const HINT = 'augmentationPolicy must return steps { op, ...params } of registered ops (docs/augmentations.md).';

function source(path: string): StepSource {
  return { path, code: 'PLUGIN_FAILED', hint: HINT, hook: 'augmentationPolicy' };
}

/** Steps compiled before, by object: an add-on that reuses one step object pays for it once. */
const compiledSteps = new WeakMap<AugmentationStep, CompiledStep>();

function compileCached(step: AugmentationStep, path: string): CompiledStep {
  let compiled = typeof step === 'object' && step !== null ? compiledSteps.get(step) : undefined;
  if (!compiled) {
    compiled = compileStep(step, source(path));
    compiledSteps.set(step, compiled);
  }
  return compiled;
}

function compileSample(sample: SampleAugmentation, i: number, pipelines: ResolvedViewPipelines): CompiledSample | undefined {
  const append = (sample.append ?? []).map((step, j) => compileCached(step, `policy.samples[${i}].append[${j}]`));
  const changes = sample.params;
  if (changes) {
    for (const op of Object.keys(changes)) requireAugmentationOp(op, `policy.samples[${i}].params.${op}`);
  }
  if (append.length === 0 && (!changes || Object.keys(changes).length === 0)) return undefined;
  const bases = new Map<number, CompiledPipeline | undefined>();
  return {
    append,
    baseOf(view) {
      if (!changes) return undefined;
      if (!bases.has(view)) {
        const steps = pipelineOfView(pipelines, view);
        const touched = steps.some((step) => changes[step.op] !== undefined);
        bases.set(view, touched ? steps.map((step, j) => compileStep({ ...step, ...changes[step.op] }, source(`policy.samples[${i}].params.${step.op} (view ${view}, step ${j})`))) : undefined);
      }
      return bases.get(view);
    },
  };
}

/**
 * Validates and compiles a batch's policy once, for all views: sample i's entry, or undefined when
 * it adds nothing. Throws a BclError (hook `augmentationPolicy`) naming the bad field.
 */
export function compilePolicy(policy: AugmentationPolicy, pipelines: ResolvedViewPipelines, count: number): (CompiledSample | undefined)[] {
  const { samples } = policy;
  if (!Array.isArray(samples) || samples.length > count || policy.indices.length !== count) {
    throw new BclError('PLUGIN_FAILED', `augmentationPolicy returned a policy for ${policy.indices?.length} indices with ${Array.isArray(samples) ? samples.length : 'no'} sample entries, but the batch has ${count} samples.`, {
      hook: 'augmentationPolicy',
      hint: 'Build on the policy you receive (extendPolicy), keeping its indices.',
    });
  }
  const out = new Array<CompiledSample | undefined>(count);
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i];
    if (sample) out[i] = compileSample(sample, i, pipelines);
  }
  return out;
}
