import type { DependencyContainer } from 'tsyringe';
import { BackboneFactory, BclError, definePlugin, findPlugin, provide, readDistillTargets, registerPlugin, resolve, RunRandom, TrainingDataset, z, type Backbone, type Plugin } from '../../core/index';
import { BackboneTap } from './backbone-tap';
import { DistillingMethod, type DistillOptions } from './distill-method';

/** Recipe options of `"method": { "name": "dnc-distill", ... }` (docs/methods/dnc.md). */
export const DncDistillOptionsSchema = z.strictObject({
  /** The base SSL method the student trains with, as a recipe's `method`: `{ "name": "simclr", ... }`. */
  base: z.looseObject({ name: z.string().min(1) }),
  /** The teachers' (base model and experts) embeddings of every training sample, written by `bcl dnc`. */
  targetsFile: z.string().min(1),
  /** Weight of the distillation term. Default 1. */
  weight: z.number().gt(0).default(1),
  /** Weight of the base method's own loss; 0 (default) trains on the distillation term alone, as DnC's student. */
  sslWeight: z.number().min(0).default(0),
  /** Hidden width of each expert's head; 0: the backbone's feature width. Default 0. */
  hiddenDim: z.number().int().min(0).default(0),
});

/** Options of the `dnc-distill` method plugin. */
export type DncDistillOptions = z.output<typeof DncDistillOptionsSchema>;

/** The DnC distillation method plugin: any base method plus regression onto the experts' embeddings. */
export const dncDistillPlugin = definePlugin<DncDistillOptions>({
  name: 'dnc-distill',
  kind: 'method',
  description: "DnC's distillation stage: one head per teacher (base model, experts) regressing its embeddings, optionally beside a base method's loss (Tian et al. 2021; run by bcl dnc)",
  options: DncDistillOptionsSchema,
  docs: 'docs/methods/dnc.md',
  async create({ options, container }) {
    const header = readDistillTargets(options.targetsFile, true);
    const dataset = resolve(container, TrainingDataset);
    if (header.size !== dataset.size || header.datasetFingerprint !== dataset.fingerprint) {
      throw new BclError('RECIPE_INVALID', `recipe.method.targetsFile ${options.targetsFile} holds targets for ${header.size} samples of another dataset than this run's ${dataset.name} (${dataset.size} samples).`, {
        plugin: 'dnc-distill',
        hint: 'Distil on the dataset the experts were run on: rerun bcl dnc, which writes matching targets.',
      });
    }
    const base = await createBase(options.base, container);
    const method = new DistillingMethod(base.plugin.method!, base.tap, base.student.featureDim, header, () => readDistillTargets(options.targetsFile).values, resolve(container, RunRandom).stream('dnc/heads'), options satisfies DistillOptions);
    return {
      method,
      views: base.plugin.views,
      hooks: base.plugin.hooks,
      dispose: () => {
        method.dispose();
        base.plugin.dispose?.();
        base.container.dispose();
      },
    };
  },
});

/**
 * Creates the base method plugin in a child container whose backbone factory taps the first
 * backbone made (the online one: MoCo's query, BYOL's online encoder, SimCLR's only one).
 */
async function createBase(reference: { name: string } & Record<string, unknown>, container: DependencyContainer): Promise<{ plugin: Plugin; tap: BackboneTap; container: DependencyContainer; student: Backbone }> {
  const definition = findPlugin(reference.name, 'method', 'recipe.method.base.name', container);
  if (definition.name === 'dnc-distill') throw new BclError('RECIPE_INVALID', 'recipe.method.base cannot be dnc-distill itself.', { hint: 'Name the SSL method the student trains with, e.g. { "name": "simclr" }.' });
  const { name: _name, ...raw } = reference;
  const parsed = definition.options.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `recipe.method.base${i.path.map((p) => `.${String(p)}`).join('')}: ${i.message}`);
    throw new BclError('RECIPE_INVALID', `recipe.method.base (${reference.name}) has invalid options:\n  - ${problems.join('\n  - ')}`, { hint: `docs/methods/${reference.name}.md lists its options.` });
  }
  const tap = new BackboneTap();
  const child = container.createChildContainer();
  const makeBackbone = resolve(container, BackboneFactory);
  let student: Backbone | undefined;
  provide(child, BackboneFactory, (owner: string) => {
    const backbone = makeBackbone(owner);
    if (student) return backbone;
    student = tap.wrap(backbone);
    return student;
  });
  try {
    const plugin = await definition.create({ options: parsed.data, container: child, resolve: (tok) => resolve(child, tok) });
    if (!plugin.method || !student) {
      plugin.dispose?.();
      throw new BclError('PLUGIN_FAILED', `the base method ${reference.name} ${plugin.method ? 'made no backbone through BackboneFactory' : 'returned no method'}.`, { plugin: 'dnc-distill', hook: 'create', hint: 'dnc-distill needs a method plugin that builds its backbone with BackboneFactory.' });
    }
    return { plugin, tap, container: child, student };
  } catch (error) {
    child.dispose();
    throw error;
  }
}

/** Makes `"dnc-distill"` available to recipes (in the root container unless `target` is given). */
export function registerDnc(target?: DependencyContainer): void {
  registerPlugin(dncDistillPlugin, target);
}

export { BackboneTap } from './backbone-tap';
export { DistillingMethod, type DistillOptions } from './distill-method';
