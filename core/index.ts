/**
 * Public API of bcl-ssl. Plugins and applications import from here only.
 */
import 'reflect-metadata';

export { BclError, ERROR_EXIT_CODES, isBclError, type BclErrorDetails, type ErrorCode } from './errors';
export type { HookKind } from './hooks/hook-kinds';
export {
  HOOK_KINDS,
  type HookEntry,
  type HookName,
  type HooksOfKind,
  type PluginHooks,
  type TrainerHooks,
} from './hooks/trainer-hooks';
export type {
  AugmentationPolicy,
  BatchContext,
  BatchLossContext,
  EpochContext,
  LossContext,
  PerViewLoss,
  PluginState,
  PluginStateValue,
  SampleAugmentation,
  RunInfo,
  StepContext,
  TrainContext,
} from './hooks/contexts';
export { HookDriver, type NamedPluginHooks } from './hooks/hook-driver';
export { provide, resolve, resolveAll, token, type Token } from './di/token';
export { BackboneFactory, type Backbone, RunEvents, RunMethod, RunRecipe, TrainingDataset } from './di/run-tokens';
export { RunRandom, runRandom } from './di/run-random';
export { EventBus, type LogEvent, type MetricsEvent, type ProgressEvent, type TrainerEvents } from './events/event-bus';
export {
  definePlugin,
  type Plugin,
  type PluginDefinition,
  type PluginKind,
  type PluginSetup,
} from './plugin/plugin-definition';
export { findPlugin, PluginDefinitions, pluginOrigin, registeredPlugins, registerPlugin } from './plugin/plugin-registry';
export type { PluginModuleRegister, PluginRegistrar } from './plugin/plugin-module';
export { loadPluginModule, type LoadedPluginModule, type PluginModuleRequest } from './plugin/load-plugin-module';
export { pluginDocs } from './plugin/plugin-docs';
export { runPluginContract, type ContractCheck, type ContractResult, type PluginContractOptions } from './contract/run-plugin-contract';
export type { SslMethod, TrainingBatch } from './plugin/ssl-method';
export type { ForwardContext, Module, StateUpdate } from './models/module';
export * from './models/index';
export { copyVariables, momentumUpdate, pairVariables, withoutGradient, type VariablePair } from './models/momentum-encoder';
export { l2Normalize, ntXentPerView } from './losses/nt-xent';
export type { Image } from './data/image';
export type { IndexedDataset } from './data/dataset';
export { Rng, deriveSeed, type RngState } from './random/rng';
export { RecipeSchema, type DatasetSpec, type RecipeInput, type ResolvedRecipe } from './recipes/recipe-schema';
export { resolveRecipe, validateRecipe } from './recipes/resolve-recipe';
export { loadRecipeImports, resolveRecipeWithImports } from './recipes/resolve-recipe-with-imports';
export { applyOverrides, parseOverride, type RecipeOverride } from './recipes/recipe-overrides';
export { listBuiltinRecipes, loadRawRecipe } from './recipes/recipe-loader';
export { learningRateAt, type LrScheduleOptions } from './train/lr-schedule';
export { createOptimizer } from './train/optimizers/create-optimizer';
export type { Optimizer } from './train/optimizers/optimizer';
export { train, type TrainOptions, type TrainResult } from './run/train';
export { loadRun, type LoadedRun, type LoadRunOptions } from './run/load-run';
export { initialiseFrom, type InitSummary } from './run/init-from';
export { writeFileAtomic } from './checkpoint/atomic-write';
export { readDistillTargets, writeDistillTargets, type DistillTargets, type DistillTargetsHeader } from './dnc/distill-targets';
export { kMeans, type KMeansOptions, type KMeansResult } from './dnc/kmeans';
export { runDnc, planDnc, type DncOutcome, type RunDncOptions } from './dnc/run-dnc';
export { readMetricsLog } from './run/metrics-log';
export { METRIC_SINK_NAMES, type MetricSinkName } from './run/sinks/metric-format';
export { exportBackbone, EXPORT_FORMATS, type ExportFormat, type ExportOptions, type ExportResult } from './export/export-backbone';
export type { BackboneArchitecture } from './export/backbone-architecture';
export * from './eval/index';
export * from './data/datasets/index';
export { loadDataset } from './data/load-dataset';
export { syntheticDataset, type SyntheticDatasetOptions } from './data/synthetic-dataset';
export { selectBackend, type BackendChoice, type BackendName } from './backends/select-backend';
/**
 * TensorFlow.js, the framework's own copy: plugins and applications write `import { tf } from
 * 'bcl-ssl'` instead of depending on @tensorflow/tfjs, so a plugin package installed beside
 * bcl-ssl (a `file:` dependency, `npm link`, a nested install) never loads a second tfjs, whose
 * kernels and tensors the framework's engine would not know (docs/plugins.md#one-tensorflowjs).
 */
export * as tf from '@tensorflow/tfjs';
/** zod, re-exported so plugin option schemas use the same copy as the recipe validator. */
export { z } from 'zod';
/** Augmentation ops, pipelines and per-sample policies (also importable without tensors from `core/augment`). */
export * from './augment';
