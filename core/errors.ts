/**
 * The one error type of the framework. Every failure a user can cause or meet carries a stable
 * `code` (mapped to a documented process exit code), and, when it comes from a plugin, the plugin
 * and hook names. Messages read `[plugin bcl:onEpochEnd] expected ..., but got .... Hint: ...`.
 */

/** Stable error codes; docs/errors.md lists them with their exit codes. */
export const ERROR_EXIT_CODES = {
  /** A recipe file is malformed or a field is out of range. */
  RECIPE_INVALID: 2,
  /** A recipe names a plugin or method nobody registered. */
  UNKNOWN_PLUGIN: 3,
  /** A dataset file is missing. */
  DATASET_MISSING: 4,
  /** A dataset file exists but cannot be read (truncated, wrong magic, wrong size). */
  DATASET_CORRUPT: 5,
  /** A requested tensor backend is not installed or failed to initialise. */
  BACKEND_UNAVAILABLE: 6,
  /** A loss became NaN or Inf; the run stopped before applying that step. */
  NON_FINITE_LOSS: 7,
  /** A checkpoint is truncated, fails its checksum, or has an unsupported format version. */
  CHECKPOINT_INVALID: 8,
  /** A resume was refused because the recipe's meaning changed. */
  RESUME_MISMATCH: 9,
  /** Writing a file failed (disk full, permissions); what was written before is intact. */
  IO_FAILED: 10,
  /** A plugin threw or returned something invalid. */
  PLUGIN_FAILED: 11,
  /** Command-line usage error. */
  USAGE: 12,
  /** An augmentation worker crashed or reported an error. */
  DATA_PIPELINE_FAILED: 13,
  /** The tensor backend ran out of memory during training. */
  OUT_OF_MEMORY: 14,
  /** Stopped by SIGINT/SIGTERM after writing a checkpoint. */
  INTERRUPTED: 130,
} as const;

export type ErrorCode = keyof typeof ERROR_EXIT_CODES;

/** Fields that locate and explain an error. */
export interface BclErrorDetails {
  /** Plugin that failed, when a plugin is involved. */
  readonly plugin?: string;
  /** Hook that was running, when a hook is involved. */
  readonly hook?: string;
  /** What the user can do about it. */
  readonly hint?: string;
  /** The original error, kept for debugging. */
  readonly cause?: unknown;
}

/** An error with a stable code, optional plugin/hook location and a hint. */
export class BclError extends Error {
  readonly code: ErrorCode;
  readonly plugin?: string;
  readonly hook?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, details: BclErrorDetails = {}) {
    super(formatMessage(message, details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BclError';
    this.code = code;
    this.plugin = details.plugin;
    this.hook = details.hook;
    this.hint = details.hint;
  }

  /** The process exit code documented for this error's code. */
  get exitCode(): number {
    return ERROR_EXIT_CODES[this.code];
  }
}

function formatMessage(message: string, { plugin, hook, hint }: BclErrorDetails): string {
  const where = plugin ? `[plugin ${plugin}${hook ? ':' + hook : ''}] ` : '';
  return `${where}${message}${hint ? ` Hint: ${hint}` : ''}`;
}

/** True when `error` is a BclError (also across duplicated module copies). */
export function isBclError(error: unknown): error is BclError {
  return error instanceof BclError || (error instanceof Error && error.name === 'BclError' && 'code' in error);
}
