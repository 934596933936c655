import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { BclError } from '../errors';
import { provide, resolveAll, token } from '../di/token';
import { didYouMean } from '../util/did-you-mean';
import type { PluginDefinition, PluginKind } from './plugin-definition';

/** Multi-token under which every registered plugin definition lives in the root container. */
export const PluginDefinitions = token<PluginDefinition<unknown>>('PluginDefinitions');

/**
 * Registers a plugin definition in the root container so recipes can name it. Called by
 * `register<Name>()` functions at the composition root. Registering the same definition twice is
 * a no-op; a different definition under a taken name is an error.
 */
export function registerPlugin<Options>(
  definition: PluginDefinition<Options>,
  target: DependencyContainer = rootContainer,
  origin?: string,
): void {
  const existing = resolveAll(target, PluginDefinitions).find((d) => d.name === definition.name);
  if (existing === (definition as PluginDefinition<unknown>)) return;
  if (existing) {
    const from = origins.get(existing);
    throw new BclError('PLUGIN_FAILED', `a plugin named "${definition.name}" is already registered${from ? ` (from ${from})` : ''}.`, {
      hint: 'Give the plugin a unique name.',
    });
  }
  if (origin !== undefined) origins.set(definition as PluginDefinition<unknown>, origin);
  provide(target, PluginDefinitions, definition as PluginDefinition<unknown>);
}

/** Where each definition registered with an origin came from (a plugin module, for `bcl plugins`). */
const origins = new WeakMap<PluginDefinition<unknown>, string>();

/** The origin given when `definition` was registered (e.g. `my-plugin 1.2.0 (/abs/index.js) via --plugin`), if any. */
export function pluginOrigin(definition: PluginDefinition<unknown>): string | undefined {
  return origins.get(definition);
}

/** Every registered definition, optionally of one kind. */
export function registeredPlugins(kind?: PluginKind, from: DependencyContainer = rootContainer): PluginDefinition<unknown>[] {
  return resolveAll(from, PluginDefinitions).filter((d) => kind === undefined || d.kind === kind);
}

/**
 * Why `name` is not a registered plugin of `kind`, as one sentence that names the field, lists the
 * known names and suggests the closest one; undefined when it is registered.
 */
export function unknownPluginProblem(name: string, kind: PluginKind, path: string, from: DependencyContainer = rootContainer): string | undefined {
  const candidates = registeredPlugins(kind, from);
  if (candidates.some((d) => d.name === name)) return undefined;
  const known = candidates.map((d) => d.name).sort();
  const other = registeredPlugins(undefined, from).find((d) => d.name === name);
  const article = (k: PluginKind) => (k === 'addon' ? 'an' : 'a');
  const why = other ? `"${name}" is ${article(other.kind)} ${other.kind} plugin, not ${article(kind)} ${kind}.` : `unknown ${kind} "${name}".${didYouMean(name, known)}`;
  return `${path}: ${why} Known ${kind}s: ${known.join(', ') || '(none registered)'}.`;
}

/** What to do about a plugin that is not registered. */
export const UNKNOWN_PLUGIN_HINT = 'A third-party plugin loads with bcl train --plugin <package-or-path> or the recipe\'s "imports" (docs/plugins.md#plugin-packages).';

/** Finds a definition by name and kind, or throws UNKNOWN_PLUGIN listing the known names. */
export function findPlugin(
  name: string,
  kind: PluginKind,
  path: string,
  from: DependencyContainer = rootContainer,
): PluginDefinition<unknown> {
  const found = registeredPlugins(kind, from).find((d) => d.name === name);
  if (found) return found;
  throw new BclError('UNKNOWN_PLUGIN', unknownPluginProblem(name, kind, path, from)!, { hint: UNKNOWN_PLUGIN_HINT });
}
