import type { DependencyContainer } from 'tsyringe';
import type { z } from 'zod';
import type { Token } from '../di/token';
import type { PluginHooks } from '../hooks/trainer-hooks';
import type { ViewSpec } from '../data/view-spec';
import type { SslMethod } from './ssl-method';

/** `method` plugins train (exactly one per recipe); `addon` plugins change how any method trains. */
export type PluginKind = 'method' | 'addon';

/** What `create` receives: validated options and the run's DI container. */
export interface PluginSetup<Options> {
  /** The plugin's options from the recipe, validated and with defaults filled in. */
  readonly options: Options;
  /** The run's child container (holds RunConfig, BackboneFactory, TrainingDataset, EventBus...). */
  readonly container: DependencyContainer;
  /** Typed resolution from the run's container. */
  resolve<T>(tok: Token<T>): T;
}

/** A plugin instance for one run. */
export interface Plugin {
  /** Hooks this plugin takes part in. */
  readonly hooks?: PluginHooks;
  /** Present on method plugins only: the method the trainer optimises. */
  readonly method?: SslMethod;
  /**
   * Method plugins only: each view's base pipeline, one entry per `method.views` (e.g. BYOL's two
   * asymmetric pipelines). Omitted: every view gets the SimCLR base pipeline. The recipe's
   * `augmentation` section fills parameters a step leaves out; `augmentation.views` overrides a view.
   */
  readonly views?: readonly ViewSpec[];
  /** Releases what `create` made (variables, buffers). Called once, in reverse creation order. */
  dispose?(): void;
}

/**
 * How a plugin makes itself known: a name that recipes use, its options schema (zod; defaults
 * inside the schema), and a factory called once per run.
 */
export interface PluginDefinition<Options = unknown> {
  readonly name: string;
  readonly kind: PluginKind;
  /** One line for `bcl plugins` and error messages. */
  readonly description: string;
  readonly options: z.ZodType<Options>;
  /**
   * Where the options are documented (a URL or a path), shown when a recipe's options for this
   * plugin are invalid. Omitted: bcl-ssl's `docs/methods/<name>.md` if there is one.
   */
  readonly docs?: string;
  create(setup: PluginSetup<Options>): Plugin | Promise<Plugin>;
}

/** Helper that keeps the options type of a definition literal. */
export function definePlugin<Options>(definition: PluginDefinition<Options>): PluginDefinition<Options> {
  return definition;
}
