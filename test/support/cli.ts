import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The built CLI entry point. */
export const CLI = path.join(__dirname, '..', '..', 'core', 'cli', 'main.js');

/** Runs `bcl args...` in a child process (no BCL_BACKEND from the caller's environment). */
export function bcl(args: string[], cwd?: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, env: { ...process.env, BCL_BACKEND: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder. */
export function tmpDir(prefix = 'bcl-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `recipe` as JSON to `dir/name`; returns the path. */
export function writeRecipe(dir: string, name: string, recipe: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(recipe));
  return file;
}

/** A two-epoch SimCLR recipe on 8 synthetic 8x8 images that trains in about a second on the CPU backend. */
export const TINY_RECIPE = {
  method: { name: 'simclr', projectionDim: 8 },
  backbone: { width: 2 },
  data: { dataset: { type: 'synthetic', size: 8, height: 8, width: 8 }, batchSize: 4 },
  epochs: 2,
  schedule: { warmupEpochs: 1 },
  logging: { everySteps: 1 },
};

/**
 * Runs `bcl args...` and sends `signal` once the first step's progress line (`step 1/...`) has
 * appeared; resolves to the exit code and everything written to stderr.
 */
export async function bclInterruptedAtFirstStep(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!sent && /step 1\//.test(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
}
