import * as os from 'node:os';
import * as path from 'node:path';
import { loadTrainingDataset } from '../../core/data/load-dataset';
import { writeDistillTargets } from '../../core/dnc/distill-targets';
import type { DatasetSpec } from '../../core/recipes/recipe-schema';
import { Rng } from '../../core/random/rng';

/**
 * The recipe `method` that runs method plugin `name` on `dataset` in the tests that cover every
 * shipped method: `{ name }`, except `dnc-distill`, which needs a base method and a targets file
 * for that dataset (written here: two teachers' random unit embeddings of width 4, SimCLR as base).
 */
export async function methodUnderTest(name: string, dataset: DatasetSpec, seed = 0): Promise<Record<string, unknown>> {
  if (name !== 'dnc-distill') return { name };
  const data = await loadTrainingDataset(dataset, seed);
  const dim = 4;
  const teachers = 2;
  const rng = new Rng(11);
  const values = Float32Array.from({ length: teachers * data.size * dim }, () => rng.normal());
  for (let r = 0; r < teachers * data.size; r++) {
    const row = values.subarray(r * dim, (r + 1) * dim);
    const norm = Math.hypot(...row);
    row.forEach((v, i) => (row[i] = v / norm));
  }
  // One path per dataset, so a resumed run's recipe names the same file (the content is seeded).
  const file = path.join(os.tmpdir(), `bcl-test-targets-${data.fingerprint.slice(0, 16)}.bin`);
  writeDistillTargets(file, { teachers, size: data.size, dim, datasetFingerprint: data.fingerprint, sources: [], values });
  return { name, base: { name: 'simclr' }, targetsFile: file, sslWeight: 1 };
}
