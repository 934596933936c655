/**
 * Registers the built-in augmentation ops (the SimCLR / BYOL base ops, the 15 RandAugment ops and
 * the `RandAugment` step) on load. Imported by the pipeline compiler and the public index, so the
 * built-ins are there wherever ops are looked up, data worker threads included.
 */
import { registerAugmentationOp } from './op-registry';
import { randAugmentOp } from './rand-augment';
import { RAND_AUGMENT_OP_DEFINITIONS } from './rand-augment-ops';
import { SIMCLR_OPS } from './simclr-ops';

for (const op of SIMCLR_OPS) registerAugmentationOp(op);
for (const op of RAND_AUGMENT_OP_DEFINITIONS) registerAugmentationOp(op);
registerAugmentationOp(randAugmentOp);

const BUILTIN: ReadonlySet<unknown> = new Set([...SIMCLR_OPS, ...RAND_AUGMENT_OP_DEFINITIONS, randAugmentOp]);

/** True for the built-in op objects (which every data worker registers by itself). */
export function isBuiltinAugmentationOp(op: unknown): boolean {
  return BUILTIN.has(op);
}
