import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { registerAugmentationOp } from '../data/augment/op-registry';
import { BclError } from '../errors';
import type { PluginRegistrar } from './plugin-module';
import { registerPlugin } from './plugin-registry';

/** A plugin module to load, and where its name came from. */
export interface PluginModuleRequest {
  /** A package name (`my-bcl-plugin`, `@me/plugin/sub`) or a path (`./plugins/x.js`, `/abs/dir`). */
  readonly specifier: string;
  /** Folders to resolve from, first match wins: paths are relative to the first; package names use Node's node_modules lookup from each. */
  readonly fromDirs: readonly string[];
  /** Where the request came from, for messages and `bcl plugins` (e.g. `--plugin`, `recipe imports`). */
  readonly via: string;
}

/** A loaded plugin module. */
export interface LoadedPluginModule {
  readonly specifier: string;
  /** The file Node resolved. */
  readonly file: string;
  /** `name@version via <via> (<file>)`, as `bcl plugins` shows it. */
  readonly origin: string;
  /** Names of the plugins and augmentation ops it registered. */
  readonly plugins: readonly string[];
  readonly ops: readonly string[];
}

/** Loaded modules per registry, by resolved file: loading one twice (flag and recipe, train then eval) registers once. */
const loadedModules = new WeakMap<DependencyContainer, Map<string, LoadedPluginModule>>();

/**
 * Loads a plugin module the way Node resolves packages and calls its `register(registrar)`
 * (docs/plugins.md#plugin-packages), registering its plugins into `target` with their origin.
 * CommonJS modules are required; ES modules imported. Every failure is PLUGIN_FAILED naming the
 * module, how it was asked for and why: not found (and where it looked), threw while loading,
 * exports no `register`, `register` threw, or registered nothing.
 */
export async function loadPluginModule(request: PluginModuleRequest, target: DependencyContainer = rootContainer): Promise<LoadedPluginModule> {
  const file = resolveModule(request);
  let cache = loadedModules.get(target);
  if (!cache) loadedModules.set(target, (cache = new Map()));
  const cached = cache.get(file);
  if (cached) return cached;

  let exported: unknown;
  try {
    exported = await importModule(file);
  } catch (error) {
    throw failure(request, `loading ${file} threw ${describeError(error)}`, 'Fix the error in the module (run it with node to see the full stack).', error);
  }
  const register = registerFunction(exported);
  if (!register) {
    const names = exported !== null && typeof exported === 'object' ? Object.keys(exported).filter((k) => k !== '__esModule') : [];
    throw failure(request, `${file} exports no register function (it exports ${names.length > 0 ? names.join(', ') : 'nothing'})`, 'A plugin module exports `register(bcl)`, which calls bcl.plugin(definition) for each plugin.');
  }
  const origin = describeOrigin(request, file);
  const { registrar, plugins, ops } = createRegistrar(target, origin);
  try {
    await register(registrar);
  } catch (error) {
    throw failure(request, `its register() threw ${describeError(error)}`, 'See the plugin\'s own documentation; the registrar is described in docs/plugins.md#plugin-packages.', error);
  }
  if (plugins.length === 0 && ops.length === 0) {
    throw failure(request, 'its register() registered no plugin and no augmentation op', 'Call bcl.plugin(definition) (or bcl.augmentationOp(op)) inside register.');
  }
  const loaded = { specifier: request.specifier, file, origin, plugins, ops };
  cache.set(file, loaded);
  return loaded;
}

/**
 * A registrar that registers into `target` (plugins with `origin`) and records what was
 * registered. `loadPluginModule` hands one to a module's `register`; the contract suite too.
 */
export function createRegistrar(target: DependencyContainer, origin?: string): { registrar: PluginRegistrar; plugins: string[]; ops: string[] } {
  const plugins: string[] = [];
  const ops: string[] = [];
  const registrar: PluginRegistrar = {
    plugin: (definition) => {
      registerPlugin(definition, target, origin);
      plugins.push(definition.name);
    },
    augmentationOp: (op) => {
      registerAugmentationOp(op);
      ops.push(op.name);
    },
  };
  return { registrar, plugins, ops };
}

/** True for `./x`, `../x`, `/abs` and Windows drive paths: resolved as files, not packages. */
export function isPathSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../') || path.isAbsolute(specifier);
}

function resolveModule(request: PluginModuleRequest): string {
  const { specifier, fromDirs } = request;
  if (isPathSpecifier(specifier)) {
    const absolute = path.resolve(fromDirs[0], specifier);
    try {
      return require.resolve(absolute);
    } catch (error) {
      throw failure(request, `nothing loadable at ${absolute} (${reason(error)})`, 'Relative paths start from the recipe\'s folder (imports) or the working folder (--plugin); a folder needs a package.json "main" or an index.js.', error);
    }
  }
  try {
    return require.resolve(specifier, { paths: [...fromDirs] });
  } catch (error) {
    const notFound = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    const why = notFound ? `not found in node_modules of ${fromDirs.join(' or ')} or any folder above` : reason(error);
    throw failure(request, why, notFound ? `Install it beside your recipe (npm install ${packageName(specifier)}) or give a path (./path/to/plugin.js).` : 'Check the package\'s "main"/"exports" fields.', error);
  }
}

// tsc's CommonJS output turns `import()` into `require()`, which cannot load an ES module on
// Node 20; a function made at run time keeps Node's real dynamic import.
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function importModule(file: string): Promise<unknown> {
  try {
    return require(file) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
    return nativeImport(pathToFileURL(file).href);
  }
}

/** `register`, or (a CommonJS module seen through ESM interop) `default.register`. */
function registerFunction(exported: unknown): ((registrar: PluginRegistrar) => unknown) | undefined {
  const candidates = [exported, (exported as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    const register = candidate !== null && (typeof candidate === 'object' || typeof candidate === 'function') ? (candidate as { register?: unknown }).register : undefined;
    if (typeof register === 'function') return register as (registrar: PluginRegistrar) => unknown;
  }
  return undefined;
}

/** `my-plugin@1.0.0 via --plugin (/abs/node_modules/my-plugin/index.js)`: the nearest package.json names the package. */
function describeOrigin(request: PluginModuleRequest, file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const { name, version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (name) return `${name}${version ? `@${version}` : ''} via ${request.via} (${file})`;
      } catch {
        // An unreadable package.json only costs the package name in the listing.
      }
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  return `${request.specifier} via ${request.via} (${file})`;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const first = (error as Error).message?.split('\n')[0] ?? String(error);
  return code ? `${code}: ${first}` : first;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return String(error);
}

function failure(request: PluginModuleRequest, why: string, hint: string, cause?: unknown): BclError {
  return new BclError('PLUGIN_FAILED', `cannot load plugin module "${request.specifier}" (${request.via}): ${why}.`, { hint, cause });
}
