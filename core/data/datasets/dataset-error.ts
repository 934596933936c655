import { BclError, type ErrorCode } from '../../errors';

/**
 * Why a dataset operation failed, finer than the project error code: tests and callers can tell
 * a truncated file from a wrong magic number while the CLI maps both to one exit code.
 */
export type DatasetErrorReason =
  /** A file or directory the loader needs does not exist. */
  | 'not-found'
  /** A file ends before the data its header promises. */
  | 'truncated'
  /** A file has bytes after the data its header describes, or is not a whole number of records. */
  | 'bad-size'
  /** A file does not start with the expected magic number. */
  | 'bad-magic'
  /** A file's element type is not one the reader supports. */
  | 'bad-dtype'
  /** A file could not be decompressed, parsed, or does not match its recorded fingerprint. */
  | 'corrupt'
  /** Two files that must agree (images and labels) disagree on the record count. */
  | 'count-mismatch'
  /** A label is outside [0, numClasses). */
  | 'bad-label'
  /** An index list refers to records the dataset does not have. */
  | 'index-out-of-range'
  /** An option of a builder or loader (usually from a recipe) is invalid. */
  | 'bad-option';

/** The project code (and so the exit code) each reason maps to. */
const CODE_OF_REASON: Record<DatasetErrorReason, ErrorCode> = {
  'not-found': 'DATASET_MISSING',
  truncated: 'DATASET_CORRUPT',
  'bad-size': 'DATASET_CORRUPT',
  'bad-magic': 'DATASET_CORRUPT',
  'bad-dtype': 'DATASET_CORRUPT',
  corrupt: 'DATASET_CORRUPT',
  'count-mismatch': 'DATASET_CORRUPT',
  'bad-label': 'DATASET_CORRUPT',
  'index-out-of-range': 'DATASET_CORRUPT',
  'bad-option': 'RECIPE_INVALID',
};

/** Details attached to a {@link DatasetError}. */
export interface DatasetErrorDetails {
  /** The file being read, when the error concerns one; the message starts with it. */
  readonly file?: string;
  /** What the user can do about it; appended to the message as `Hint: ...`. */
  readonly hint?: string;
  /** The underlying error (e.g. from zlib or fs). */
  readonly cause?: unknown;
}

/**
 * The project's {@link BclError} as thrown by dataset readers and builders: `code` is the project
 * code (`DATASET_MISSING`, `DATASET_CORRUPT`, or `RECIPE_INVALID` for bad options), `reason` the
 * finer cause and `file` the file concerned. The name stays `BclError` so `isBclError` also
 * recognises it across duplicated module copies.
 */
export class DatasetError extends BclError {
  /** The finer cause; stable, safe to switch on. */
  readonly reason: DatasetErrorReason;
  /** The file concerned, when there is one. */
  readonly file?: string;

  constructor(reason: DatasetErrorReason, message: string, details: DatasetErrorDetails = {}) {
    const where = details.file !== undefined ? `${details.file}: ` : '';
    super(CODE_OF_REASON[reason], `${where}${message}`, { hint: details.hint, cause: details.cause });
    this.reason = reason;
    this.file = details.file;
  }
}
