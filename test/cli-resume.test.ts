import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bcl, bclInterruptedAtFirstStep, CLI, TINY_RECIPE, tmpDir, writeRecipe } from './support/cli';
import { terminalScreen } from './support/terminal-screen';

test('Ctrl-C prints the exact resume command; that command, with no recipe, continues from the run folder and ends with the time and the next command', async () => {
  const dir = tmpDir();
  const out = path.join(dir, 'run');
  const recipe = writeRecipe(dir, 'long.json', { ...TINY_RECIPE, epochs: 50 });
  const { code, stderr } = await bclInterruptedAtFirstStep(['train', '--recipe', recipe, '--backend', 'cpu', '--out', out, '--set', 'method.temperature=0.3'], 'SIGINT');
  assert.equal(code, 130, stderr);
  const hint = /Hint: Continue with: (bcl train .*)$/m.exec(stderr);
  assert.ok(hint, stderr);
  assert.equal(hint[1], `bcl train --resume --out ${out} --backend cpu`);
  // The printed command, as a shell would split it (the temp path has no spaces or quotes).
  const [, ...args] = hint[1].split(' ');
  const resumed = bcl(args);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resumed at epoch \d+, batch \d+/);
  assert.match(resumed.stdout, /^done: 50 epochs, 100 steps on cpu in \d+(\.\d)? s; final epoch loss \d\.\d{4}; run folder .*\nnext: bcl eval .*run\n$/);
  const saved = JSON.parse(fs.readFileSync(path.join(out, 'recipe.json'), 'utf8'));
  assert.equal(saved.method.temperature, 0.3, 'the override survived the resume');
  assert.deepEqual(saved.overrides, ['method.temperature=0.3']);
});

test('--resume of a finished run says "already complete", names the next command, and exits 0', () => {
  const dir = tmpDir();
  const out = path.join(dir, 'run');
  assert.equal(bcl(['train', '--recipe', writeRecipe(dir, 'tiny.json', TINY_RECIPE), '--backend', 'cpu', '--out', out]).status, 0);
  const before = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8');
  const again = bcl(['train', '--resume', '--out', out]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, `already complete: ${out} finished 2/2 epochs (4 steps); nothing to train.\nnext: bcl eval ${out}\n`);
  assert.equal(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8'), before, 'nothing was rewritten');
  // A harmless change is still complete; a change of meaning is refused, not reported as done.
  assert.equal(bcl(['train', '--resume', '--out', out, '--set', 'logging.everySteps=2']).status, 0);
  const changed = bcl(['train', '--resume', '--out', out, '--set', 'method.temperature=0.5']);
  assert.equal(changed.status, 9, changed.stderr);
  assert.match(changed.stderr, /method\.temperature: 0\.2 -> 0\.5/);
});

test('--resume without --recipe in a folder without recipe.json is a usage error naming the folder', () => {
  const dir = tmpDir();
  const result = bcl(['train', '--resume', '--out', path.join(dir, 'nothing-here')]);
  assert.equal(result.status, 12, result.stderr);
  assert.match(result.stderr, /cannot resume .*nothing-here: it has no recipe\.json\./);
});

const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
test('on a real terminal (util-linux script) the final lines survive the progress line', { skip: script.status !== 0 ? 'util-linux script is not installed' : false }, () => {
  const dir = tmpDir();
  const log = path.join(dir, 'typescript');
  const command = [process.execPath, CLI, 'train', '--recipe', writeRecipe(dir, 'tiny.json', TINY_RECIPE), '--backend', 'cpu', '--out', path.join(dir, 'run')].join(' ');
  const result = spawnSync('script', ['-qec', command, log], { encoding: 'utf8', env: { ...process.env, BCL_BACKEND: '', COLUMNS: '100' } });
  assert.equal(result.status, 0, result.stderr);
  const screen = terminalScreen(fs.readFileSync(log, 'utf8').replace(/^Script started.*\n/, '').replace(/\nScript done.*\n?$/, ''))
    .filter((line) => line !== '');
  const tail = screen.slice(-4);
  assert.match(tail[0], /^epoch 2\/2: loss \d\.\d{4} in \d/, screen.join('\n'));
  assert.match(tail[1], /^checkpoint .*step-000000004\.ckpt$/);
  assert.match(tail[2], /^done: 2 epochs, 4 steps on cpu in /);
  assert.match(tail[3], /^next: bcl eval /);
  assert.match(fs.readFileSync(log, 'utf8'), /\repoch 1\/2 \|[█░]+\| 2\/2 \| [\d.]+ img\/s \| loss/, 'the live line was drawn');
});
