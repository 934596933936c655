/**
 * Loads the two optional packages of the GPU path: npm `webgpu` (Dawn's Node binding, which
 * supplies `navigator.gpu` and the WebGPU globals) and `@tensorflow/tfjs-backend-webgpu` (the tfjs
 * backend). Order matters: the tfjs package registers its backend only if `navigator.gpu` exists
 * when it is first loaded.
 */

/** What Dawn's binding exports: a GPU factory taking Dawn toggles, and the WebGPU globals. */
interface DawnBinding {
  create(options: string[]): unknown;
  globals: Record<string, unknown>;
}

/** Loads a module by name; `require` in production, a stand-in in tests. */
export type ModuleLoader = (id: string) => unknown;

/** Packages the GPU path needs, named in errors together with the command that installs them. */
export const WEBGPU_PACKAGES = ['webgpu', '@tensorflow/tfjs-backend-webgpu'] as const;

export const WEBGPU_INSTALL_HINT = 'npm install webgpu @tensorflow/tfjs-backend-webgpu (both optional dependencies of bcl-ssl; npm ci installs them where a prebuilt Dawn exists: linux-x64, darwin, win32)';

let loaded = false;

/**
 * Installs Dawn's `navigator.gpu` and loads the tfjs webgpu backend, once per process. Returns
 * undefined on success, else why not (which package, and its loader's first line).
 */
export function loadWebgpuPackages(load: ModuleLoader = require): string | undefined {
  if (loaded) return undefined;
  let dawn: DawnBinding;
  try {
    dawn = load('webgpu') as DawnBinding;
  } catch (error) {
    return `package webgpu not loadable (${firstLine(error)})`;
  }
  // Dawn's globals (GPUBufferUsage, GPUMapMode, ...) are read as globals by the tfjs backend.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([]);
  // Node 21+ has a global navigator (without gpu); Node 20 has none.
  const host = globalThis as { navigator?: object };
  if (host.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true });
  try {
    load('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    return `package @tensorflow/tfjs-backend-webgpu not loadable (${firstLine(error)})`;
  }
  loaded = true;
  return undefined;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
