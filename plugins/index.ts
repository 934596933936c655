import type { DependencyContainer } from 'tsyringe';
import { registerFocal } from './focal/index';
import { registerSimclr } from './simclr/index';

/** Registers every plugin shipped with bcl-ssl (the CLI calls this; library users may too). */
export function registerBuiltinPlugins(target?: DependencyContainer): void {
  registerSimclr(target);
  registerFocal(target);
}

export { focalPlugin, focalWeighting, registerFocal, type FocalOptions } from './focal/index';
export { registerSimclr, SimclrMethod, simclrPlugin, type SimclrOptions } from './simclr/index';
