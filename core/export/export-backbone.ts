import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import type { BackendName } from '../backends/select-backend';
import { writeFileAtomic } from '../checkpoint/atomic-write';
import { BclError } from '../errors';
import { loadRun } from '../run/load-run';
import { backboneArchitecture, type BackboneArchitecture } from './backbone-architecture';
import { findBackbonePrefix } from './find-backbone-prefix';
import { encodeSafetensors } from './safetensors';
import { toTorchvisionStateDict } from './torchvision-state-dict';

/** Export formats of `bcl export`. */
export const EXPORT_FORMATS = ['safetensors'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Options of {@link exportBackbone}. */
export interface ExportOptions {
  readonly format?: ExportFormat;
  /** The weights file; default `<run>/backbone.safetensors`. The architecture goes beside it as `<name>.json`. */
  readonly out?: string;
  /** Variable prefix of the backbone to export, when the method has several ResNets (default: its only trained one). */
  readonly backbone?: string;
  /** Export this checkpoint instead of the run's newest valid one. */
  readonly checkpoint?: string;
  readonly backend?: BackendName;
  /** Container holding the plugin registrations (default: tsyringe's root container). */
  readonly container?: DependencyContainer;
}

/** What {@link exportBackbone} wrote. */
export interface ExportResult {
  readonly file: string;
  readonly architectureFile: string;
  readonly architecture: BackboneArchitecture;
}

/**
 * Writes a run's backbone as torchvision's ResNet `state_dict` in safetensors (OIHW conv weights,
 * BatchNorm weight/bias/running stats/num_batches_tracked, no `fc`) plus the architecture JSON.
 * The run is loaded as `bcl eval` loads it (recipe.json, newest valid checkpoint, its dataset).
 * Both files are written atomically.
 */
export async function exportBackbone(runDir: string, options: ExportOptions = {}): Promise<ExportResult> {
  const format = options.format ?? 'safetensors';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new BclError('USAGE', `unknown export format "${format}"; the formats are ${EXPORT_FORMATS.join(', ')}.`);
  }
  const run = await loadRun(runDir, { container: options.container, backend: options.backend, checkpoint: options.checkpoint });
  try {
    const prefix = findBackbonePrefix(run.method, options.backbone);
    const variables = [...run.method.trainableVariables(), ...run.method.stateVariables()]
      .filter((v) => v.name.startsWith(`${prefix}/`))
      .map((v) => ({ path: v.name.slice(prefix.length + 1), shape: v.shape, data: v.dataSync() as Float32Array }));
    const stem = variables.find((v) => v.path === 'conv1/kernel')!;
    const { channels } = run.dataset.imageShape;
    const conv1 = run.recipe.backbone.stem === 'imagenet' ? 7 : 3;
    if (stem.shape.join('x') !== [conv1, conv1, channels, run.recipe.backbone.width].join('x')) {
      throw new BclError('USAGE', `${prefix}/conv1/kernel has shape [${stem.shape}], but the recipe's backbone (${run.recipe.backbone.stem} stem, width ${run.recipe.backbone.width}) on ${channels}-channel images gives [${[conv1, conv1, channels, run.recipe.backbone.width]}].`, {
        hint: 'Only backbones made by the recipe (BackboneFactory) can be exported; pass --backbone to choose another.',
      });
    }
    const entries = toTorchvisionStateDict(variables, run.checkpointMeta.step);
    const architecture = backboneArchitecture(
      run.recipe,
      run.dataset.imageShape,
      { tensors: entries.length, parameters: entries.filter((e) => e.dtype === 'F32' && !/running_(mean|var)$/.test(e.name)).reduce((n, e) => n + e.data.length / 4, 0) },
      {
        run: runDir,
        checkpoint: run.checkpoint,
        method: run.recipe.method.name,
        backbone: prefix,
        epoch: run.checkpointMeta.epoch,
        step: run.checkpointMeta.step,
        numBatchesTracked: 'optimizer steps of the run',
      },
    );
    const file = options.out ?? path.join(runDir, 'backbone.safetensors');
    const architectureFile = file.endsWith('.safetensors') ? file.slice(0, -'.safetensors'.length) + '.json' : `${file}.json`;
    writeFileAtomic(file, encodeSafetensors(entries, { format: 'pt', 'bcl-ssl': JSON.stringify(architecture) }));
    writeFileAtomic(architectureFile, Buffer.from(JSON.stringify(architecture, null, 2) + '\n', 'utf8'));
    return { file, architectureFile, architecture };
  } finally {
    run.dispose();
  }
}
