import * as fs from 'node:fs';
import * as path from 'node:path';
import { BclError, isBclError } from '../errors';
import { removeStaleTemporaries, writeFileAtomic } from './atomic-write';
import { decodeCheckpoint, type DecodedCheckpoint } from './checkpoint-format';

const PATTERN = /^step-(\d{9})\.ckpt$/;
const BEST_FILE = 'best.json';

/** The record of the best checkpoint: file name, step, and its score (lower is better). */
export interface BestCheckpoint {
  readonly file: string;
  readonly step: number;
  readonly score: number;
}

/** A checkpoint file in a run's checkpoint folder. */
export interface CheckpointFile {
  readonly path: string;
  /** Global steps completed when it was written. */
  readonly step: number;
}

/** The checkpoint folder of a run: naming, listing, retention and newest-valid lookup. */
export class CheckpointStore {
  constructor(readonly dir: string) {}

  /** Creates the folder and removes temporary files a crash left behind; returns their names. */
  prepare(): string[] {
    fs.mkdirSync(this.dir, { recursive: true });
    return removeStaleTemporaries(this.dir);
  }

  /** Checkpoints present, oldest first. */
  list(): CheckpointFile[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .map((name) => ({ name, match: PATTERN.exec(name) }))
      .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
      .map((f) => ({ path: path.join(this.dir, f.name), step: Number(f.match[1]) }))
      .sort((a, b) => a.step - b.step);
  }

  /** The best checkpoint so far (lowest score), as recorded in `best.json`, if it still exists. */
  best(): BestCheckpoint | undefined {
    const file = path.join(this.dir, BEST_FILE);
    if (!fs.existsSync(file)) return undefined;
    try {
      const best = JSON.parse(fs.readFileSync(file, 'utf8')) as BestCheckpoint;
      return fs.existsSync(path.join(this.dir, best.file)) ? best : undefined;
    } catch {
      return undefined; // an unreadable record only costs the "best" protection, never a checkpoint
    }
  }

  /**
   * Writes a checkpoint atomically, reads it back and verifies it, and only then deletes the oldest
   * beyond `keepLast`, sparing the best one: retention can never remove the only valid checkpoint.
   * `score` (lower is better; epoch checkpoints pass their mean loss) updates the best record.
   */
  save(step: number, data: Uint8Array, keepLast: number, score?: number): string {
    const file = path.join(this.dir, `step-${String(step).padStart(9, '0')}.ckpt`);
    writeFileAtomic(file, data);
    const written = fs.readFileSync(file);
    if (!written.equals(data)) {
      throw new BclError('IO_FAILED', `${file} reads back different from what was written (${written.length} of ${data.length} bytes); older checkpoints were kept.`, {
        hint: 'Check the disk; resume picks the newest checkpoint that verifies.',
      });
    }
    decodeCheckpoint(written, file);
    let best = this.best();
    if (score !== undefined && Number.isFinite(score) && (best === undefined || score < best.score)) {
      best = { file: path.basename(file), step, score };
      writeFileAtomic(path.join(this.dir, BEST_FILE), Buffer.from(JSON.stringify(best) + '\n', 'utf8'));
    }
    const all = this.list();
    for (const old of all.slice(0, Math.max(0, all.length - keepLast))) {
      if (old.path !== file && path.basename(old.path) !== best?.file) fs.rmSync(old.path, { force: true });
    }
    return file;
  }

  /**
   * The newest checkpoint that decodes and verifies. Invalid ones are reported through `onInvalid`
   * (with the reason, e.g. `truncated: header says N bytes, file has M`) and skipped.
   */
  loadNewestValid<Meta>(onInvalid: (file: string, reason: string) => void): { file: string; checkpoint: DecodedCheckpoint<Meta> } | undefined {
    for (const candidate of this.list().reverse()) {
      try {
        return { file: candidate.path, checkpoint: decodeCheckpoint<Meta>(fs.readFileSync(candidate.path), candidate.path) };
      } catch (error) {
        if (!isBclError(error) || error.code !== 'CHECKPOINT_INVALID') throw error;
        onInvalid(candidate.path, error.message);
      }
    }
    return undefined;
  }
}
