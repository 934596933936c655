import * as fs from 'node:fs';
import * as path from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { selectBackend } from '../backends/select-backend';
import { BclError } from '../errors';
import { readEvalReport, type EvalReport } from '../eval/eval-report';
import { evaluateRun } from '../eval/evaluate-run';
import { writeReport } from '../eval/report/write-report';
import type { ProbeOptions } from '../eval/run-probes';
import { deepMerge, type JsonObject } from '../recipes/deep-merge';
import { loadRawRecipe } from '../recipes/recipe-loader';
import type { ResolvedRecipe } from '../recipes/recipe-schema';
import { validateRecipe } from '../recipes/resolve-recipe';
import { checkSameRecipe, trainStage, type JobRunOptions, type StageStatus } from '../run/train-stage';
import { planDnc, runDnc, type DncPlan } from '../dnc/run-dnc';
import { readDncSpec } from '../dnc/dnc-spec';
import { evaluateFloor, type FloorKind } from './floors';
import { baselineOf, cellName, readStudySpec, studyRecipeDir, type StudyEval, type StudySpec } from './study-spec';
import { formatStudyTable, studyTable, type StudyResult, type StudyTable } from './study-table';

/** Tag of `<out>/results.json`. */
export const STUDY_FORMAT = 'bcl-ssl/study/v1';

/** One run of the grid (a method cell) or one floor, with its folder. */
export interface StudyCell {
  readonly kind: 'method' | 'floor';
  /** Method label, or `floor:<kind>`. */
  readonly label: string;
  readonly permutation: number | null;
  readonly seed: number;
  /** The recipe of the run that is evaluated (a DnC cell: its distilled student's). */
  readonly recipe: ResolvedRecipe;
  readonly dir: string;
  /** Where eval.json goes: `dir`, or a DnC cell's `<dir>/distill`. */
  readonly evalDir: string;
  /** A DnC cell's stages. */
  readonly dnc?: DncPlan;
}

/** What a cell needed in this invocation. */
export type CellStatus = 'reused' | 'evaluated' | 'resumed' | 'trained';

/** Options of {@link runStudy}. */
export interface RunStudyOptions extends JobRunOptions {
  /** The study file (docs/study.md). */
  readonly file: string;
  /** Study folder. Default `studies/<study file name>`. */
  readonly outDir?: string;
}

/** What {@link runStudy} returns (also written to `<out>/results.json`). */
export interface StudyOutcome {
  readonly outDir: string;
  readonly cells: { readonly cell: StudyCell; readonly status: CellStatus; readonly seconds: number }[];
  readonly table: StudyTable;
  /** The Markdown table, also in `<out>/table.md`. */
  readonly markdown: string;
  /** `<out>/report/report.html` when written. */
  readonly report?: string;
}

/**
 * Runs a study: for each class permutation and seed, the floors, then every method's cell as an
 * ordinary run folder (`<out>/runs/<label>_p<perm>_s<seed>`), each trained (or resumed from its
 * newest checkpoint) and evaluated as soon as it finishes; the table is rewritten after every
 * cell, so an interrupted study shows what it has and continues where it stopped when run again.
 */
export async function runStudy(options: RunStudyOptions): Promise<StudyOutcome> {
  const registry = options.container ?? rootContainer;
  const spec = readStudySpec(options.file);
  const outDir = options.outDir ?? path.join('studies', path.basename(options.file, '.json'));
  const log = options.log ?? (() => undefined);
  const cells = planStudy(spec, options.file, outDir, registry);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'study.json'), JSON.stringify(spec, null, 2) + '\n');
  await selectBackend(options.backend);
  const probeOptions = probeOptionsOf(spec.eval);
  const done: StudyOutcome['cells'] = [];
  const results: StudyResult[] = [];
  const labels = [...spec.methods.map((m) => m.label), ...spec.floors.map((f) => `floor:${f}`)];
  let outcome = summarise(spec, outDir, cells, done, results, labels);
  for (const [i, cell] of cells.entries()) {
    if (options.signal?.aborted) throw interrupted(outDir, cell);
    const started = Date.now();
    const where = `cell ${i + 1}/${cells.length} ${cell.label} perm ${cell.permutation ?? 'label order'} seed ${cell.seed}`;
    const { status, report } = cell.kind === 'floor' ? await runFloor(cell, registry, probeOptions, log, where) : await runMethodCell(cell, options, registry, probeOptions, log, where);
    done.push({ cell, status, seconds: (Date.now() - started) / 1000 });
    results.push({ label: cell.label, permutation: cell.permutation, seed: cell.seed, report });
    outcome = summarise(spec, outDir, cells, done, results, labels);
  }
  const trained = cells.filter((c) => c.kind === 'method').map((c) => c.evalDir);
  if (spec.report && trained.length > 0) {
    const written = await writeReport(trained, path.join(outDir, 'report'));
    log(`wrote ${written.html} (${written.charts.length} charts)`);
    outcome = { ...outcome, report: written.html };
  }
  return outcome;
}

/** Every cell of the study in run order: per permutation, per seed, the floors then the methods. */
export function planStudy(spec: StudySpec, studyFile: string, outDir: string, registry: DependencyContainer): StudyCell[] {
  const fromDir = studyRecipeDir(studyFile);
  const baseline = baselineOf(spec);
  const cells: StudyCell[] = [];
  for (const permutation of spec.classPermutations) {
    for (const seed of spec.seeds) {
      const methods = spec.methods.map((m) => {
        const dir = path.join(outDir, 'runs', cellName(m.label, permutation, seed));
        const source = `${studyFile} (${m.label}, permutation ${permutation}, seed ${seed})`;
        if (m.dnc === undefined) return { label: m.label, dir, recipe: cellRecipe(m.recipe!, spec.overrides, permutation, seed, fromDir, source, registry) };
        const dnc = dncCellPlan(path.resolve(fromDir, m.dnc), spec.overrides, permutation, seed, dir, source, registry);
        return { label: m.label, dir, recipe: dnc.distill, dnc, floorRecipe: dnc.base };
      });
      // The floors probe the baseline's data and backbone: a DnC baseline's base recipe.
      const baselineMethod = methods.find((m) => m.label === baseline)!;
      const floorRecipe = baselineMethod.floorRecipe ?? baselineMethod.recipe;
      for (const floor of spec.floors) {
        const dir = path.join(outDir, 'floors', cellName(floor, permutation, seed));
        cells.push({ kind: 'floor', label: `floor:${floor}`, permutation, seed, recipe: floorRecipe, dir, evalDir: dir });
      }
      for (const m of methods) cells.push({ kind: 'method', label: m.label, permutation, seed, recipe: m.recipe, dir: m.dir, dnc: m.dnc, evalDir: m.dnc?.layout.distillDir ?? m.dir });
    }
  }
  return cells;
}

/** A method's recipe for one cell: its layers, the study's overrides, the seed and the class permutation. */
function cellRecipe(reference: string, overrides: JsonObject, permutation: number | null, seed: number, fromDir: string, source: string, registry: DependencyContainer): ResolvedRecipe {
  return validateRecipe(cellLayer(loadRawRecipe(reference, fromDir), overrides, permutation, seed, source), source, registry);
}

/**
 * A DnC method's stages for one cell: the study's overrides, seed and class permutation go into
 * the DnC file's `overrides`, so every stage gets them (a stage's own overrides still win).
 */
function dncCellPlan(file: string, overrides: JsonObject, permutation: number | null, seed: number, dir: string, source: string, registry: DependencyContainer): DncPlan {
  const dnc = readDncSpec(file);
  const layered = deepMerge(deepMerge(dnc.overrides as JsonObject, overrides), { seed }) as JsonObject;
  // Refuses a permutation of a dataset without a balanced source, as for a recipe cell.
  cellLayer(deepMerge(loadRawRecipe(dnc.recipe, path.dirname(file)), layered) as JsonObject, {}, permutation, seed, source);
  const withPermutation = permutation === null ? layered : (deepMerge(layered, { data: { dataset: { classPermutationSeed: permutation } } }) as JsonObject);
  return planDnc({ ...dnc, overrides: withPermutation }, file, dir, registry);
}

/** `raw` with the study's overrides, the seed and the class permutation (refused on a dataset without a balanced source). */
function cellLayer(recipe: JsonObject, overrides: JsonObject, permutation: number | null, seed: number, source: string): JsonObject {
  const raw = deepMerge(deepMerge(recipe, overrides), { seed }) as JsonObject;
  if (permutation !== null) {
    const dataset = (raw.data as JsonObject | undefined)?.dataset as JsonObject | undefined;
    const type = dataset?.type;
    if ((type !== 'fashion-mnist' && type !== 'cifar-10' && type !== 'cifar-100') || dataset?.imbalanceRatio === undefined) {
      throw new BclError('RECIPE_INVALID', `${source}: study.classPermutations needs a long-tailed dataset built from a balanced source, but recipe.data.dataset is ${JSON.stringify(type ?? null)}${type === 'fashion-mnist' || type?.toString().startsWith('cifar') ? ' without imbalanceRatio' : ''}.`, {
        hint: 'Override data.dataset in the study, e.g. { "type": "fashion-mnist", "imbalanceRatio": 100, "nMax": 1000 } (the embedded set\'s profile), or use "classPermutations": [null].',
      });
    }
    dataset.classPermutationSeed = permutation;
  }
  return raw;
}

async function runMethodCell(cell: StudyCell, options: RunStudyOptions, registry: DependencyContainer, probes: ProbeOptions, log: (line: string) => void, where: string): Promise<{ status: CellStatus; report: EvalReport }> {
  checkSameRecipe(cell.evalDir, cell.recipe);
  const existing = readEvalReport(cell.evalDir);
  if (existing && existing.run.epochs >= cell.recipe.epochs) {
    log(`${where}: done (eval.json of epoch ${existing.run.epochs})`);
    return { status: 'reused', report: existing };
  }
  const common = { container: registry, backend: options.backend, signal: options.signal, attach: options.attach, log };
  let trained: StageStatus;
  if (cell.dnc) {
    const stages = (await runDnc({ ...common, plan: cell.dnc, log: (line) => log(`${where}: ${line}`) })).stages;
    trained = stages.every((s) => s.status === 'complete') ? 'complete' : stages.some((s) => s.status === 'resumed' || s.status === 'complete') ? 'resumed' : 'trained';
  } else {
    trained = await trainStage({ ...common, dir: cell.dir, recipe: cell.recipe, label: where });
  }
  log(`${where}: evaluating`);
  const report = await evaluateRun(cell.evalDir, { ...probes, container: registry, backend: options.backend, log });
  return { status: trained === 'complete' ? 'evaluated' : trained, report };
}

async function runFloor(cell: StudyCell, registry: DependencyContainer, probes: ProbeOptions, log: (line: string) => void, where: string): Promise<{ status: CellStatus; report: EvalReport }> {
  const existing = readEvalReport(cell.dir);
  if (existing) {
    log(`${where}: done`);
    return { status: 'reused', report: existing };
  }
  log(`${where}: evaluating`);
  const kind = cell.label.replace(/^floor:/, '') as FloorKind;
  return { status: 'evaluated', report: await evaluateFloor(kind, cell.recipe, cell.dir, { ...probes, container: registry, log }) };
}

function probeOptionsOf(e: StudyEval): ProbeOptions {
  return { probe: e.probe, shots: e.shots, seeds: e.seeds, epochs: e.epochs, groups: e.groups, knn: { k: e.knnK, temperature: e.knnTemperature } };
}

/** Rewrites `<out>/results.json` and `<out>/table.md` from the cells evaluated so far. */
function summarise(spec: StudySpec, outDir: string, cells: readonly StudyCell[], done: StudyOutcome['cells'], results: readonly StudyResult[], labels: readonly string[]): StudyOutcome {
  const table = studyTable(results, labels, baselineOf(spec));
  const pending = cells.filter((c) => !done.some((d) => d.cell === c));
  const markdown = formatStudyTable(table) + (pending.length > 0 ? `\nPending (${pending.length} of ${cells.length}): ${pending.map((c) => path.basename(c.dir)).join(', ')}\n` : '');
  const json = {
    format: STUDY_FORMAT,
    updatedAt: new Date().toISOString(),
    study: spec,
    cells: cells.map((c) => {
      const d = done.find((x) => x.cell === c);
      return { label: c.label, permutation: c.permutation, seed: c.seed, dir: c.dir, status: d?.status ?? 'pending', seconds: d?.seconds ?? null, epochs: c.recipe.epochs };
    }),
    table,
  };
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(json, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'table.md'), markdown);
  return { outDir, cells: done, table, markdown };
}

function interrupted(outDir: string, cell: StudyCell): BclError {
  return new BclError('INTERRUPTED', `study stopped by request before ${cell.dir}; ${outDir}/table.md holds the cells done so far.`, { hint: 'Run the same bcl study command again to continue.' });
}
