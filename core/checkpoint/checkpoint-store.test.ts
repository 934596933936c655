import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeCheckpoint } from './checkpoint-format';
import { CheckpointStore } from './checkpoint-store';

const data = (step: number): Buffer => encodeCheckpoint({ step }, [{ name: 'w', shape: [1], data: new Float32Array([step]) }]);

test('retention keeps the last K plus the best (lowest score), and records the best', () => {
  const store = new CheckpointStore(fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-store-')));
  store.prepare();
  const scores = [5, 2, 4, 3, 6];
  scores.forEach((score, i) => store.save(i + 1, data(i + 1), 2, score));
  assert.deepEqual(store.list().map((c) => c.step), [2, 4, 5], 'last two (4, 5) plus the best (2)');
  assert.deepEqual(store.best(), { file: 'step-000000002.ckpt', step: 2, score: 2 });
  // Saves without a score (mid-epoch) never change the best and never delete it.
  store.save(6, data(6), 1);
  assert.deepEqual(store.list().map((c) => c.step), [2, 6]);
});

test('a newest checkpoint that fails its checksum is skipped by loadNewestValid, naming it', () => {
  const store = new CheckpointStore(fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-store-')));
  store.prepare();
  store.save(1, data(1), 3);
  const second = store.save(2, data(2), 3);
  const bytes = fs.readFileSync(second);
  bytes[30] ^= 1;
  fs.writeFileSync(second, bytes);
  const skipped: string[] = [];
  const found = store.loadNewestValid((file, reason) => skipped.push(`${path.basename(file)}: ${reason}`));
  assert.equal(path.basename(found!.file), 'step-000000001.ckpt');
  assert.equal(skipped.length, 1);
  assert.match(skipped[0], /step-000000002\.ckpt: .*checksum mismatch/);
});
