import * as fs from 'node:fs';

/** The checkpoint files (`step-*.ckpt`) in a run's checkpoint folder, sorted; other files (best.json) left out. */
export function checkpointFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ckpt')).sort();
}
