import { Option, type Command } from 'commander';
import * as fs from 'node:fs';
import { BACKEND_PREFERENCE, type BackendName } from '../backends/select-backend';
import { BclError } from '../errors';
import { EXPORT_FORMATS, exportBackbone, type ExportFormat } from '../export/export-backbone';

/**
 * Adds `bcl export <run-dir> [--format safetensors] [--out file]`: the trained backbone with
 * torchvision's ResNet parameter names and layouts, plus its architecture JSON (docs/export.md).
 * Returns `program`.
 */
export function addExportCommand(program: Command): Command {
  program
    .command('export')
    .description("write a run's backbone for PyTorch: torchvision ResNet state_dict in safetensors, plus an architecture JSON")
    .argument('<run-dir>', 'run folder written by bcl train')
    .addOption(new Option('-f, --format <format>', 'file format').choices([...EXPORT_FORMATS]).default('safetensors'))
    .option('-o, --out <file>', 'weights file (default: <run-dir>/backbone.safetensors; the architecture goes beside it as .json)')
    .option('--backbone <prefix>', 'variable prefix of the ResNet to export when the method has several (e.g. moco/key/backbone)')
    .option('--checkpoint <file>', 'export this checkpoint instead of the newest valid one')
    .addOption(new Option('-b, --backend <name>', 'tensor backend (default: BCL_BACKEND or the best available)').choices([...BACKEND_PREFERENCE]))
    .action(async (dir: string, flags: { format: ExportFormat; out?: string; backbone?: string; checkpoint?: string; backend?: BackendName }) => {
      if (!fs.existsSync(dir)) throw new BclError('USAGE', `run folder ${dir} does not exist.`, { hint: 'Pass a folder written by bcl train, e.g. runs/<recipe>.' });
      const { file, architectureFile, architecture: a } = await exportBackbone(dir, flags);
      process.stdout.write(
        `wrote ${file} (${a.tensors} tensors, ${a.parameters} parameters: ResNet-${a.depth}, width ${a.baseWidth}, ${a.stem} stem, ${a.inputChannels}-channel ${a.input.height}x${a.input.width} input, ${a.featureDim} features; ${a.source.backbone} at step ${a.source.step}) and ${architectureFile}\n`,
      );
    });
  return program;
}
