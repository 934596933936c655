import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { readDistillTargets, writeDistillTargets } from './distill-targets';
import type { BackendName } from '../backends/select-backend';
import { isBclError } from '../errors';
import { newestCheckpoint } from './cluster-stage';
import { unitFeaturesOfRun } from './dnc-features';

/** Options of {@link targetsStage}. */
export interface TargetsStageOptions {
  readonly outDir: string;
  /** The target file to write (`<out>/targets.bin`). */
  readonly file: string;
  /** The teachers' run folders, in head order (DnC: the base, then the experts). */
  readonly teacherDirs: readonly string[];
  readonly container?: DependencyContainer;
  readonly backend?: BackendName;
}

/**
 * Between experts and distillation: every teacher's unit-length backbone features of every
 * training sample (an expert's of all samples, not only its cluster's), `[T, N, D]`, for the
 * student's heads to regress. Reused while it names the teachers' current final checkpoints;
 * rebuilt when one changed or the file is damaged.
 */
export async function targetsStage(options: TargetsStageOptions): Promise<'complete' | 'made'> {
  const sources = options.teacherDirs.map((dir) => path.relative(options.outDir, newestCheckpoint(dir).file));
  if (fs.existsSync(options.file)) {
    try {
      const header = readDistillTargets(options.file, true);
      if (header.sources.join('\n') === sources.join('\n')) return 'complete';
    } catch (error) {
      if (!isBclError(error)) throw error;
    }
  }
  let values = new Float32Array(0);
  let header = { teachers: options.teacherDirs.length, size: 0, dim: 0, datasetFingerprint: '', sources };
  for (const [k, dir] of options.teacherDirs.entries()) {
    const set = await unitFeaturesOfRun(dir, { container: options.container, backend: options.backend, checkpoint: path.join(options.outDir, sources[k]) });
    if (k === 0) {
      header = { ...header, size: set.size, dim: set.dim, datasetFingerprint: set.fingerprint };
      values = new Float32Array(header.teachers * set.size * set.dim);
    }
    values.set(set.features, k * header.size * header.dim);
  }
  writeDistillTargets(options.file, { ...header, values });
  return 'made';
}
