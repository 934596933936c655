import { BclError } from '../errors';
import type { SslMethod } from '../plugin/ssl-method';

/**
 * The variable prefix of the ResNet to export: `requested` if given (any ResNet of the method, e.g.
 * MoCo's `moco/key/backbone`), else the method's only trained one (a stem kernel
 * `<prefix>/conv1/kernel` among its trainable variables: momentum copies are not trained).
 */
export function findBackbonePrefix(method: SslMethod, requested?: string): string {
  const stems = (variables: { name: string }[]): string[] => variables.map((v) => /^(.+)\/conv1\/kernel$/.exec(v.name)?.[1]).filter((p): p is string => p !== undefined);
  const trained = stems(method.trainableVariables());
  if (requested !== undefined) {
    const all = [...trained, ...stems(method.stateVariables())];
    if (!all.includes(requested)) {
      throw new BclError('USAGE', `--backbone ${requested}: the method has no ResNet with that prefix; it has ${all.map((p) => `"${p}"`).join(', ') || 'none'}.`);
    }
    return requested;
  }
  if (trained.length === 1) return trained[0];
  if (trained.length === 0) throw new BclError('USAGE', 'the run\'s method has no trained ResNet backbone (no <prefix>/conv1/kernel variable) to export.');
  throw new BclError('USAGE', `the run's method trains ${trained.length} ResNets: ${trained.map((p) => `"${p}"`).join(', ')}.`, { hint: `Choose one with --backbone, e.g. --backbone ${trained[0]}.` });
}
