import { token } from './token';
import type { IndexedDataset } from '../data/dataset';
import type { SslMethod } from '../plugin/ssl-method';
import type { Module } from '../models/module';
import type { EventBus } from '../events/event-bus';
import type { ResolvedRecipe } from '../recipes/recipe-schema';

/** The run's fully resolved and validated recipe. */
export type RunRecipe = ResolvedRecipe;
export const RunRecipe = token<RunRecipe>('RunRecipe');

/** Creates a fresh backbone from the recipe's `backbone` section; `owner` prefixes variable names. */
export type BackboneFactory = (owner: string) => Module & { readonly featureDim: number };
export const BackboneFactory = token<BackboneFactory>('BackboneFactory');

/** A backbone as `BackboneFactory` makes it: a module with its feature width. */
export type Backbone = ReturnType<BackboneFactory>;

/** The training dataset of the run. */
export type TrainingDataset = IndexedDataset;
export const TrainingDataset = token<TrainingDataset>('TrainingDataset');

/** The run's event bus (progress, metrics, log lines). */
export const RunEvents = token<EventBus>('RunEvents');

/**
 * The run's method, for add-ons that need the model itself (e.g. a kNN monitor calling `encode`).
 * Provided after the method plugin is created, so add-ons (created after it) can resolve it.
 */
export type RunMethod = SslMethod;
export const RunMethod = token<RunMethod>('RunMethod');
