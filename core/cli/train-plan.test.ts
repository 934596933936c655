import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration } from './format-duration';
import { evalCommand, resumeCommand, shellQuote } from './train-plan';

test('commands are shell-quoted only where a shell would split or expand them', () => {
  assert.equal(shellQuote('runs/simclr_b128-cos.5e'), 'runs/simclr_b128-cos.5e');
  assert.equal(shellQuote('my runs/x'), "'my runs/x'");
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellQuote('$HOME'), "'$HOME'");
  assert.equal(resumeCommand('my runs/x', { backend: 'wasm', threads: 2, plugin: ['./p.js'] }), "bcl train --resume --out 'my runs/x' --backend wasm --threads 2 --plugin ./p.js");
  assert.equal(evalCommand('runs/x'), 'bcl eval runs/x');
});

test('durations read as seconds, minutes or hours', () => {
  assert.equal(formatDuration(0.04), '0.0 s');
  assert.equal(formatDuration(12.34), '12.3 s');
  assert.equal(formatDuration(59.97), '1 min 00 s');
  assert.equal(formatDuration(185), '3 min 05 s');
  assert.equal(formatDuration(2 * 3600 + 4 * 60 + 20), '2 h 04 min');
});
