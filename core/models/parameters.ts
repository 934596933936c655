import type { Module } from './module';

/** Number of trainable scalars in a module (torchvision's `sum(p.numel() for p in parameters())`). */
export function countParameters(module: Module): number {
  return module.trainableVariables().reduce((total, variable) => total + variable.size, 0);
}
