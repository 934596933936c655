import type { DependencyContainer } from 'tsyringe';
import type { IndexedDataset } from '../data/dataset';
import type { ViewSpec } from '../data/view-spec';
import { runRandom, RunRandom } from '../di/run-random';
import { BackboneFactory, RunEvents, RunMethod, RunRecipe, TrainingDataset } from '../di/run-tokens';
import { provide, resolve } from '../di/token';
import { BclError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { NamedPluginHooks } from '../hooks/hook-driver';
import { createResNet } from '../models/resnet';
import type { Plugin, PluginSetup } from '../plugin/plugin-definition';
import { findPlugin } from '../plugin/plugin-registry';
import type { SslMethod } from '../plugin/ssl-method';
import type { ResolvedRecipe } from '../recipes/recipe-schema';

/** The plugins of one run, created in a child container, disposed together. */
export interface ComposedRun {
  readonly container: DependencyContainer;
  readonly method: SslMethod;
  /** The method plugin's declared view pipelines (undefined: the recipe's default for every view). */
  readonly views?: readonly ViewSpec[];
  /** Method plugin first, then add-ons in recipe order. */
  readonly hooks: NamedPluginHooks[];
  /** Disposes every plugin in reverse order of creation, then the container. */
  dispose(): void;
}

/**
 * Makes the run's child container, provides the run's services (recipe, events, dataset, seeded
 * random streams, backbone factory) and creates the method and add-on plugins.
 */
export async function composeRun(parent: DependencyContainer, recipe: ResolvedRecipe, dataset: IndexedDataset, events: EventBus): Promise<ComposedRun> {
  const run = parent.createChildContainer();
  const created: { dispose(): void }[] = [];
  const dispose = (): void => {
    for (const thing of created.reverse()) thing.dispose();
    created.length = 0;
    run.dispose();
  };
  try {
    provide(run, RunRecipe, recipe);
    provide(run, RunEvents, events);
    provide(run, TrainingDataset, dataset);
    provide(run, RunRandom, runRandom(recipe.seed));
    provide(run, BackboneFactory, (owner: string) =>
      createResNet({
        name: owner,
        rng: resolve(run, RunRandom).stream(owner),
        depth: recipe.backbone.depth,
        stem: recipe.backbone.stem,
        baseWidth: recipe.backbone.width,
        inputChannels: dataset.imageShape.channels as 1 | 3,
      }),
    );
    const methodPlugin = await createPlugin(run, recipe.method, 'method', 'recipe.method', created);
    if (!methodPlugin.method) {
      throw new BclError('PLUGIN_FAILED', 'a method plugin must return { method }.', { plugin: recipe.method.name, hook: 'create' });
    }
    provide(run, RunMethod, methodPlugin.method);
    const hooks: NamedPluginHooks[] = [{ plugin: recipe.method.name, hooks: methodPlugin.hooks ?? {} }];
    for (const [i, reference] of recipe.plugins.entries()) {
      const addon = await createPlugin(run, reference, 'addon', `recipe.plugins[${i}]`, created);
      hooks.push({ plugin: reference.name, hooks: addon.hooks ?? {} });
    }
    return { container: run, method: methodPlugin.method, views: methodPlugin.views, hooks, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

async function createPlugin(
  run: DependencyContainer,
  reference: { name: string } & Record<string, unknown>,
  kind: 'method' | 'addon',
  path: string,
  created: { dispose(): void }[],
): Promise<Plugin> {
  const definition = findPlugin(reference.name, kind, `${path}.name`, run);
  const { name: _name, ...raw } = reference;
  // Recipes given as objects may not have been through validateRecipe: parse (and default) here too.
  const options = definition.options.parse(raw);
  const setup: PluginSetup<unknown> = { options, container: run, resolve: (tok) => resolve(run, tok) };
  let plugin: Plugin;
  try {
    plugin = await definition.create(setup);
  } catch (error) {
    if (error instanceof BclError) throw error;
    throw new BclError('PLUGIN_FAILED', (error as Error).message, { plugin: reference.name, hook: 'create', cause: error });
  }
  if (plugin.dispose) created.push({ dispose: () => plugin.dispose!() });
  return plugin;
}
