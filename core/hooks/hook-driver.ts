import { BclError, isBclError } from '../errors';
import type { HookEntry, HookName, HooksOfKind, PluginHooks, TrainerHooks } from './trainer-hooks';
import type { PluginState } from './contexts';

/** A plugin's hooks under the plugin's name, as the driver stores them. */
export interface NamedPluginHooks {
  readonly plugin: string;
  readonly hooks: PluginHooks;
}

type Handler<H extends HookName> = TrainerHooks[H];
type Args<H extends HookName> = Parameters<Handler<H>>;

interface Resolved<H extends HookName> {
  readonly plugin: string;
  readonly handler: Handler<H>;
}

/**
 * Calls plugin hooks by kind (one method per kind, so calling a hook with the wrong kind does not
 * compile). Order: registration order, with `pre` entries first and `post` entries last. Every
 * plugin throw is wrapped in a BclError naming the plugin and hook, keeping the cause.
 */
export class HookDriver {
  private readonly plugins: NamedPluginHooks[];

  constructor(plugins: readonly NamedPluginHooks[]) {
    this.plugins = [...plugins];
  }

  /** Whether any plugin implements `hook` (lets the trainer skip work nobody observes). */
  has(hook: HookName): boolean {
    return this.plugins.some((p) => p.hooks[hook] !== undefined);
  }

  async sequential<H extends HooksOfKind<'sequential'>>(hook: H, ...args: Args<H>): Promise<void> {
    for (const { plugin, handler } of this.handlers(hook)) {
      await this.guard(plugin, hook, () => (handler as (...a: Args<H>) => unknown)(...args));
    }
  }

  /** Threads `initial` through every handler synchronously; returns the last handler's value. */
  waterfall<H extends HooksOfKind<'waterfall'>>(hook: H, initial: Args<H>[0], context: Args<H>[1]): Args<H>[0] {
    let value = initial;
    for (const { plugin, handler } of this.handlers(hook)) {
      const next = this.guardSync(plugin, hook, () =>
        (handler as (v: typeof value, c: typeof context) => typeof value)(value, context),
      );
      if (next === undefined || next === null) {
        throw new BclError('PLUGIN_FAILED', `waterfall hook returned ${String(next)}, but it must return a value.`, {
          plugin,
          hook,
          hint: 'Return the received value unchanged when the plugin has nothing to change.',
        });
      }
      value = next;
    }
    return value;
  }

  /** Gathers every plugin's state under its name. */
  collect(hook: HooksOfKind<'collect'>): Record<string, PluginState> {
    const states: Record<string, PluginState> = {};
    for (const { plugin, handler } of this.handlers(hook)) {
      states[plugin] = this.guardSync(plugin, hook, () => (handler as () => PluginState)());
    }
    return states;
  }

  /** Hands each plugin the state stored under its name; plugins absent from `states` get nothing. */
  distribute(hook: HooksOfKind<'distribute'>, states: Record<string, PluginState>): void {
    for (const { plugin, handler } of this.handlers(hook)) {
      const state = states[plugin];
      if (state === undefined) continue;
      this.guardSync(plugin, hook, () => (handler as (s: PluginState) => void)(state));
    }
  }

  private handlers<H extends HookName>(hook: H): Resolved<H>[] {
    const pre: Resolved<H>[] = [];
    const normal: Resolved<H>[] = [];
    const post: Resolved<H>[] = [];
    for (const { plugin, hooks } of this.plugins) {
      const entry = hooks[hook] as HookEntry<H> | undefined;
      if (entry === undefined) continue;
      if (typeof entry === 'function') normal.push({ plugin, handler: entry });
      else (entry.order === 'pre' ? pre : post).push({ plugin, handler: entry.handler });
    }
    return [...pre, ...normal, ...post];
  }

  private async guard(plugin: string, hook: string, call: () => unknown): Promise<void> {
    try {
      await call();
    } catch (error) {
      throw wrap(error, plugin, hook);
    }
  }

  private guardSync<T>(plugin: string, hook: string, call: () => T): T {
    try {
      return call();
    } catch (error) {
      throw wrap(error, plugin, hook);
    }
  }
}

function wrap(error: unknown, plugin: string, hook: string): BclError {
  if (isBclError(error) && error.plugin !== undefined) return error;
  if (isBclError(error)) {
    // Keep the plugin's own code (e.g. NON_FINITE_LOSS) and hint, and add where it happened.
    const hint = error.hint;
    const message = hint && error.message.endsWith(` Hint: ${hint}`) ? error.message.slice(0, -` Hint: ${hint}`.length) : error.message;
    return new BclError(error.code, message, { plugin, hook, hint, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BclError('PLUGIN_FAILED', message, { plugin, hook, cause: error });
}
