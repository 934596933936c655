import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { BclError } from '../errors';
import { provide, resolveAll, token } from '../di/token';
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
): void {
  const existing = resolveAll(target, PluginDefinitions).find((d) => d.name === definition.name);
  if (existing === (definition as PluginDefinition<unknown>)) return;
  if (existing) {
    throw new BclError('PLUGIN_FAILED', `a plugin named "${definition.name}" is already registered.`, {
      hint: 'Give the plugin a unique name.',
    });
  }
  provide(target, PluginDefinitions, definition as PluginDefinition<unknown>);
}

/** Every registered definition, optionally of one kind. */
export function registeredPlugins(kind?: PluginKind, from: DependencyContainer = rootContainer): PluginDefinition<unknown>[] {
  return resolveAll(from, PluginDefinitions).filter((d) => kind === undefined || d.kind === kind);
}

/** Finds a definition by name and kind, or throws UNKNOWN_PLUGIN listing the known names. */
export function findPlugin(
  name: string,
  kind: PluginKind,
  path: string,
  from: DependencyContainer = rootContainer,
): PluginDefinition<unknown> {
  const candidates = registeredPlugins(kind, from);
  const found = candidates.find((d) => d.name === name);
  if (found) return found;
  const known = candidates.map((d) => d.name).sort();
  const other = registeredPlugins(undefined, from).find((d) => d.name === name);
  const why = other ? `"${name}" is a${other.kind === 'addon' ? 'n' : ''} ${other.kind} plugin, not a${kind === 'addon' ? 'n' : ''} ${kind}` : `unknown ${kind} "${name}"`;
  throw new BclError('UNKNOWN_PLUGIN', `${path}: ${why}.`, {
    hint: `Known ${kind}s: ${known.join(', ') || '(none registered)'}. Third-party plugins must be registered before the run.`,
  });
}
