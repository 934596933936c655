import type { AugmentationOp } from '../data/augment/augmentation-op';
import type { PluginDefinition } from './plugin-definition';

/**
 * What a plugin module's `register` function receives: the one way a package loaded with
 * `bcl train --plugin <module>` or a recipe's `"imports"` adds its plugins and ops
 * (docs/plugins.md#plugin-packages). Registration goes into the registry of the bcl-ssl that
 * loads the module, whichever copy the package itself resolves.
 */
export interface PluginRegistrar {
  /** Adds a method or add-on definition (its name must be new). */
  plugin<Options>(definition: PluginDefinition<Options>): void;
  /**
   * Adds an augmentation op. Give it a `module` (the file that registers it) for recipes that
   * run data workers: a worker loads that file to find the op.
   */
  augmentationOp<Params, Input>(op: AugmentationOp<Params, Input>): void;
}

/**
 * The registration entry of a plugin module: a function named `register` (CommonJS
 * `exports.register = ...`, ESM `export function register`). It may be async.
 *
 * ```js
 * const { definePlugin, z } = require('bcl-ssl');
 * exports.register = (bcl) => bcl.plugin(definePlugin({ name: 'my-addon', kind: 'addon', ... }));
 * ```
 */
export type PluginModuleRegister = (registrar: PluginRegistrar) => void | Promise<void>;
