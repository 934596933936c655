/**
 * Preload (`node -r`) that makes the optional GPU packages unresolvable, as on a machine where
 * `npm ci` skipped them: the CLI must then name them and the install command. Not a test file.
 */
import Module from 'node:module';

const hidden = new Set(['webgpu', '@tensorflow/tfjs-backend-webgpu']);
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function (request: string, ...rest: unknown[]): string {
  if (hidden.has(request)) {
    const error = new Error(`Cannot find module '${request}'`) as Error & { code: string };
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return original.call(this, request, ...rest);
};
