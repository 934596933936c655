import * as fs from 'node:fs';
import * as path from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { selectBackend } from '../backends/select-backend';
import { BclError } from '../errors';
import { deepMerge, type JsonObject } from '../recipes/deep-merge';
import { loadRawRecipe } from '../recipes/recipe-loader';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { validateRecipe } from '../recipes/resolve-recipe';
import { trainStage, type JobRunOptions } from '../run/train-stage';
import { clusterStage, type ClusterFile } from './cluster-stage';
import { readDncSpec, type DncSpec } from './dnc-spec';
import { targetsStage } from './targets-stage';

/** Tag of `<out>/dnc.json`. */
export const DNC_FORMAT = 'bcl-ssl/dnc/v1';

/** The folders and files of a DnC job under its out folder (all absolute). */
export interface DncLayout {
  readonly outDir: string;
  readonly baseDir: string;
  readonly clustersFile: string;
  readonly expertDirs: readonly string[];
  readonly targetsFile: string;
  readonly distillDir: string;
}

/** Every stage's recipe, validated before anything trains. */
export interface DncPlan {
  readonly spec: DncSpec;
  readonly layout: DncLayout;
  readonly base: ResolvedRecipe;
  readonly experts: readonly ResolvedRecipe[];
  readonly distill: ResolvedRecipe;
}

/** Options of {@link runDnc}. */
export interface RunDncOptions extends JobRunOptions {
  /** The DnC file (docs/methods/dnc.md); not needed with `plan`. */
  readonly file?: string;
  /** A plan made by {@link planDnc} (e.g. with a study's overrides); `file` and `outDir` are then not read. */
  readonly plan?: DncPlan;
  /** DnC folder. Default `runs/<DnC file name>`. */
  readonly outDir?: string;
}

/** One stage's outcome in this invocation. */
export interface DncStageOutcome {
  readonly stage: string;
  readonly status: 'complete' | 'resumed' | 'trained' | 'made';
  readonly seconds: number;
}

/** What {@link runDnc} returns (also written to `<out>/dnc.json`). */
export interface DncOutcome {
  readonly layout: DncLayout;
  readonly stages: readonly DncStageOutcome[];
  readonly clusters: ClusterFile;
}

/**
 * Runs a DnC job (Divide and Contrast, Tian et al. 2021) as four stages under one folder: the
 * base run (`base/`), k-means of its features (`clusters.json`, `clusters/c<k>.npy`), one
 * expert run per cluster starting from the base (`experts/e<k>/`), the teachers' (base and
 * experts) embeddings of every sample (`targets.bin`), and the distilled student (`distill/`,
 * the job's result). Each run stage is an ordinary resumable run folder; a rerun skips what is
 * done and resumes what stopped.
 */
export async function runDnc(options: RunDncOptions): Promise<DncOutcome> {
  const registry = options.container ?? rootContainer;
  const log = options.log ?? (() => undefined);
  const plan = options.plan ?? planFromFile(options, registry);
  const { layout, spec } = plan;
  fs.mkdirSync(layout.outDir, { recursive: true });
  await selectBackend(options.backend);
  const stages: DncStageOutcome[] = [];
  const timed = async <T extends DncStageOutcome['status']>(stage: string, run: () => Promise<T>): Promise<T> => {
    if (options.signal?.aborted) throw interrupted(layout.outDir, stage);
    const started = Date.now();
    const status = await run();
    stages.push({ stage, status, seconds: (Date.now() - started) / 1000 });
    writeSummary(layout, spec, stages);
    if (status === 'complete') log(`dnc ${stage}: done`);
    return status;
  };
  const runStage = (stage: string, dir: string, recipe: ResolvedRecipe) =>
    timed(stage, () => trainStage({ dir, recipe, container: registry, backend: options.backend, signal: options.signal, attach: options.attach, log, label: `dnc ${stage}` }));

  await runStage('base', layout.baseDir, plan.base);
  let clusters: ClusterFile | undefined;
  await timed('clusters', async () => {
    const made = await clusterStage({ outDir: layout.outDir, baseDir: layout.baseDir, k: spec.clusters, seed: spec.kmeans.seed ?? plan.base.seed, iterations: spec.kmeans.iterations, restarts: spec.kmeans.restarts, container: registry, backend: options.backend });
    clusters = made.clusters;
    if (made.status === 'made') log(`dnc clusters: k-means of the base's features into ${spec.clusters} clusters of ${made.clusters.sizes.join(', ')} samples (${layout.clustersFile})`);
    return made.status;
  });
  checkClustersFitBatches(clusters!, plan.experts);
  for (const [k, recipe] of plan.experts.entries()) await runStage(`expert ${k}`, layout.expertDirs[k], recipe);
  await timed('targets', async () => {
    const teacherDirs = [...(spec.stages.distill.includeBase ? [layout.baseDir] : []), ...layout.expertDirs];
    const status = await targetsStage({ outDir: layout.outDir, file: layout.targetsFile, teacherDirs, container: registry, backend: options.backend });
    if (status === 'made') log(`dnc targets: ${teacherDirs.length} teachers' embeddings (${spec.stages.distill.includeBase ? 'the base and ' : ''}${spec.clusters} experts) of every training sample (${layout.targetsFile})`);
    return status;
  });
  await runStage('distill', layout.distillDir, plan.distill);
  return { layout, stages, clusters: clusters! };
}

function planFromFile(options: RunDncOptions, registry: DependencyContainer): DncPlan {
  const { file } = options;
  if (file === undefined) throw new BclError('USAGE', 'runDnc needs a DnC file or a plan.', { hint: 'Pass options.file (docs/methods/dnc.md) or a plan from planDnc.' });
  return planDnc(readDncSpec(file), file, options.outDir ?? path.join('runs', path.basename(file, '.json')), registry);
}

/** The folders of a DnC job and every stage's recipe; a bad override fails here, before training. */
export function planDnc(spec: DncSpec, file: string, outDir: string, registry: DependencyContainer): DncPlan {
  const root = path.resolve(outDir);
  const layout: DncLayout = {
    outDir: root,
    baseDir: path.join(root, 'base'),
    clustersFile: path.join(root, 'clusters.json'),
    expertDirs: Array.from({ length: spec.clusters }, (_, k) => path.join(root, 'experts', `e${k}`)),
    targetsFile: path.join(root, 'targets.bin'),
    distillDir: path.join(root, 'distill'),
  };
  const fromDir = path.dirname(path.resolve(file));
  const source = loadRawRecipe(spec.recipe, fromDir);
  const layer = (stage: JsonObject, fields: JsonObject): JsonObject => deepMerge(deepMerge(deepMerge(source, spec.overrides as JsonObject), stage), fields) as JsonObject;
  const validate = (raw: JsonObject, stage: string) => validateRecipe(raw, `${file} (stage ${stage})`, registry);
  const base = validate(layer(spec.stages.base.overrides as JsonObject, {}), 'base');
  const experts = layout.expertDirs.map((_, k) =>
    validate(layer(spec.stages.experts.overrides as JsonObject, { initFrom: layout.baseDir, data: { subsetFile: path.join(root, 'clusters', `c${k}.npy`) } }), `expert ${k}`),
  );
  const distillRaw = layer(spec.stages.distill.overrides as JsonObject, spec.stages.distill.init === 'base' ? { initFrom: layout.baseDir } : {});
  // Replaced, not merged: the base method's own options move under `base`.
  const { weight, sslWeight, hiddenDim } = spec.stages.distill;
  distillRaw.method = { name: 'dnc-distill', base: base.method as JsonObject, targetsFile: layout.targetsFile, weight, sslWeight, hiddenDim };
  return { spec, layout, base, experts, distill: validate(distillRaw, 'distill') };
}

/** Every expert trains on its cluster alone, so each cluster must hold at least one batch. */
function checkClustersFitBatches(clusters: ClusterFile, experts: readonly ResolvedRecipe[]): void {
  const small = clusters.sizes.map((size, k) => ({ k, size, batch: experts[k].data.batchSize })).filter((c) => c.size < c.batch);
  if (small.length === 0) return;
  const smallest = Math.min(...small.map((c) => c.size));
  throw new BclError('RECIPE_INVALID', `DnC cluster${small.length > 1 ? 's' : ''} ${small.map((c) => `${c.k} (${c.size} samples)`).join(', ')} ${small.length > 1 ? 'are' : 'is'} smaller than the experts' batch size ${small[0].batch}, so ${small.length > 1 ? 'those experts' : 'that expert'} would get no full batch. Cluster sizes: ${clusters.sizes.join(', ')}.`, {
    hint: `Set "stages": { "experts": { "overrides": { "data": { "batchSize": ${smallest} } } } } or less, or use fewer clusters (another --out folder then, since the clusters change).`,
  });
}

function writeSummary(layout: DncLayout, spec: DncSpec, stages: readonly DncStageOutcome[]): void {
  const json = { format: DNC_FORMAT, updatedAt: new Date().toISOString(), spec, layout, stages };
  fs.writeFileSync(path.join(layout.outDir, 'dnc.json'), JSON.stringify(json, null, 2) + '\n');
}

function interrupted(outDir: string, stage: string): BclError {
  return new BclError('INTERRUPTED', `DnC stopped by request before its ${stage} stage in ${outDir}.`, { hint: 'Run the same bcl dnc command again to continue.' });
}
