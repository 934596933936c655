import type { DependencyContainer } from 'tsyringe';
import { registerBcl } from './bcl/index';
import { registerFocal } from './focal/index';
import { registerSimclr } from './simclr/index';

/** Registers every plugin shipped with bcl-ssl (the CLI calls this; library users may too). */
export function registerBuiltinPlugins(target?: DependencyContainer): void {
  registerSimclr(target);
  registerFocal(target);
  registerBcl(target);
}

export { focalPlugin, focalWeighting, registerFocal, type FocalOptions } from './focal/index';
export { registerSimclr, SimclrMethod, simclrPlugin, type SimclrOptions } from './simclr/index';
export { bclPlugin, registerBcl, type BclOptions } from './bcl/index';
