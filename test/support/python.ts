import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../core/util/package-root';

/** Debian's Python: the independent readers use its python3-protobuf / python3-torch packages. */
export const PYTHON = '/usr/bin/python3';

/**
 * `false` when /usr/bin/python3 imports every module, else the reason to skip a test (with the
 * Debian package that provides it), for `test(name, { skip }, ...)`.
 */
export function pythonSkipReason(modules: readonly string[], debianPackage: string): string | false {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found (apt-get install python3 ${debianPackage})`;
  const probe = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  if (probe.status === 0) return false;
  return `${PYTHON} cannot import ${modules.join(', ')} (${probe.stderr.trim().split('\n').at(-1) ?? 'no output'}); apt-get install ${debianPackage}`;
}

/** Runs a script of test/support/ (the .py source, which tsc does not copy to dist/) and returns its stdout; throws with its stderr on failure. */
export function runPythonScript(script: string, args: readonly string[]): string {
  const file = path.join(packageRoot(), 'test', 'support', script);
  const result = spawnSync(PYTHON, [file, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return result.stdout;
}
