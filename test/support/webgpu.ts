import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { activateWebgpu } from '../../core/backends/webgpu/activate-webgpu';

/**
 * Test support for the webgpu backend. CI machines have no GPU: Dawn finds a Vulkan adapter in
 * SwiftShader (a CPU emulation shipped by Debian's chromium), correct and very slow, so every GPU
 * test uses tiny shapes. Not a test file itself.
 */

/** SwiftShader's Vulkan ICD as Debian's chromium package installs it. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Points the Vulkan loader at SwiftShader unless the caller chose an ICD, and gives Dawn the
 * writable XDG_RUNTIME_DIR it wants. Must run before Dawn loads (before the first activation).
 * Returns the environment a child process (the CLI) needs for the same adapter.
 */
export function useSwiftShaderUnlessConfigured(): NodeJS.ProcessEnv {
  if (process.env.VK_ICD_FILENAMES === undefined && fs.existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  if (process.env.XDG_RUNTIME_DIR === undefined) {
    const dir = path.join(os.tmpdir(), `bcl-xdg-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  return { ...process.env };
}

let availability: Promise<string | undefined> | undefined;

/**
 * Makes webgpu the active backend (any adapter, software included) and returns undefined, or the
 * reason it cannot (for `test(..., { skip })`-style skips that say why). Memoised per process.
 */
export function webgpuUnavailable(): Promise<string | undefined> {
  availability ??= (async () => {
    useSwiftShaderUnlessConfigured();
    const result = await activateWebgpu({ allowSoftwareAdapter: true });
    return typeof result === 'string' ? `webgpu unavailable: ${result}` : undefined;
  })();
  return availability;
}
