import type { DependencyContainer } from 'tsyringe';
import { registerBarlowTwins } from './barlow-twins/index';
import { registerBcl } from './bcl/index';
import { registerByol } from './byol/index';
import { registerDnc } from './dnc/index';
import { registerFocal } from './focal/index';
import { registerKnnMonitor } from './knn-monitor/index';
import { registerMoco } from './moco/index';
import { registerSdclr } from './sdclr/index';
import { registerSimclr } from './simclr/index';
import { registerSimsiam } from './simsiam/index';

/** Registers every plugin shipped with bcl-ssl (the CLI calls this; library users may too). */
export function registerBuiltinPlugins(target?: DependencyContainer): void {
  registerSimclr(target);
  registerMoco(target);
  registerByol(target);
  registerSimsiam(target);
  registerSdclr(target);
  registerBarlowTwins(target);
  registerFocal(target);
  registerBcl(target);
  registerKnnMonitor(target);
  registerDnc(target);
}

export { FocalOptionsSchema, focalPlugin, focalWeighting, registerFocal, type FocalOptions } from './focal/index';
export { registerSimclr, SimclrMethod, SimclrOptionsSchema, simclrPlugin, type SimclrOptions } from './simclr/index';
export { BclOptionsSchema, bclPlugin, registerBcl, type BclOptions } from './bcl/index';
export { MocoMethod, MocoOptionsSchema, mocoPlugin, registerMoco, type MocoOptions } from './moco/index';
export { ByolMethod, ByolOptionsSchema, byolPlugin, registerByol, type ByolOptions } from './byol/index';
export { registerSimsiam, SimsiamMethod, SimsiamOptionsSchema, simsiamPlugin, type SimsiamOptions } from './simsiam/index';
export { registerSdclr, SdclrMethod, SdclrOptionsSchema, sdclrPlugin, type SdclrOptions } from './sdclr/index';
export { BarlowTwinsMethod, BarlowTwinsOptionsSchema, barlowTwinsPlugin, registerBarlowTwins, type BarlowTwinsOptions } from './barlow-twins/index';
export { KnnMonitorOptionsSchema } from './knn-monitor/index';
export { DncDistillOptionsSchema, dncDistillPlugin, registerDnc, type DncDistillOptions } from './dnc/index';
