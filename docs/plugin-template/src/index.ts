// The package's entry: what `bcl train --plugin bcl-plugin-template` and a recipe's
// `"imports": ["bcl-plugin-template"]` load. bcl-ssl calls `register(bcl)` with its registrar.
import type { PluginRegistrar } from 'bcl-ssl';
import { lossMemoryPlugin } from './loss-memory-addon';
import { templateSimclrPlugin } from './template-simclr-method';

export { LossMemoryOptionsSchema, lossMemoryPlugin, type LossMemoryOptions } from './loss-memory-addon';
export { TemplateSimclrOptionsSchema, templateSimclrPlugin, type TemplateSimclrOptions } from './template-simclr-method';

/** Registers this package's method and add-on. */
export function register(bcl: PluginRegistrar): void {
  bcl.plugin(templateSimclrPlugin);
  bcl.plugin(lossMemoryPlugin);
}
