import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodePng } from './charts/decode-png';
import type { EvalReport } from './eval-report';

const CLI = path.join(__dirname, '..', 'cli', 'main.js');

function bcl(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, BCL_BACKEND: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A synthetic recipe small enough to train in seconds on cpu: 16 images of 4 classes, 8x8. */
function tinyRecipe(dir: string, name: string, plugins: unknown[]): string {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      method: { name: 'simclr', projectionDim: 8 },
      backbone: { width: 2 },
      data: { dataset: { type: 'synthetic', size: 16, height: 8, width: 8, numClasses: 4 }, batchSize: 8 },
      epochs: 2,
      schedule: { warmupEpochs: 1 },
      logging: { everySteps: 1 },
      plugins,
    }),
  );
  return file;
}

test('bcl eval then bcl report on two tiny trained runs (SimCLR and SimCLR + BCL)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-eval-'));
  const runs = [
    { name: 'simclr', plugins: [] },
    { name: 'bcl-simclr', plugins: [{ name: 'bcl' }] },
  ].map(({ name, plugins }) => {
    const out = path.join(dir, name);
    const trained = bcl(['train', '--recipe', tinyRecipe(dir, name, plugins), '--backend', 'cpu', '--out', out]);
    assert.equal(trained.status, 0, trained.stderr);
    return out;
  });

  // Synthetic training data is balanced, so it is its own full-shot set; 2-shot uses 2 per class.
  const evaluated = bcl(['eval', runs[0], '--backend', 'cpu', '--shots', 'full,2', '--seeds', '2', '--epochs', '5']);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.match(evaluated.stdout, /probe\s+trained on\s+shots\s+top-1\s+top-5\s+many\s+medium\s+few\s+std/);
  assert.match(evaluated.stdout, /kNN k=16 T=0\.1/, 'k is capped at the 16-image bank');
  assert.match(evaluated.stdout, /linear 5ep\s+synthetic\S*\s+2x2\s+\d+\.\d\d±\d+\.\d\d/);
  const report = JSON.parse(fs.readFileSync(path.join(runs[0], 'eval.json'), 'utf8')) as EvalReport;
  assert.equal(report.format, 'bcl-ssl/eval/v1');
  assert.equal(report.run.epochs, 2);
  assert.deepEqual(report.data.train.classCounts, [4, 4, 4, 4]);
  // Thirds of 4 classes: 1 many, 2 medium, 1 few (ties broken by class id).
  assert.deepEqual([report.groups.many, report.groups.medium, report.groups.few], [[0], [1, 2], [3]]);
  assert.deepEqual(report.linear.map((l) => [l.shots, l.trainSize, l.seeds.length]), [['full', 16, 1], [2, 8, 2]]);
  assert.equal(report.knn?.accuracy.perClass.length, 4);
  for (const accuracy of [report.knn!.accuracy, ...report.linear.flatMap((l) => l.runs)]) {
    assert.ok(accuracy.top1 >= 0 && accuracy.top1 <= 100 && accuracy.top5 === 100, 'top-5 of 4 classes is 100%');
  }
  assert.equal(bcl(['eval', runs[1], '--backend', 'cpu', '--probe', 'knn']).status, 0);

  const out = path.join(dir, 'report');
  const reported = bcl(['report', ...runs, '--out', out]);
  assert.equal(reported.status, 0, reported.stderr);
  assert.match(reported.stdout, /simclr\s+simclr\s+linear full-shot/);
  assert.match(reported.stdout, /bcl-simclr\s+simclr \+ bcl\s+kNN/);
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  for (const needle of ['<h3>linear full-shot</h3>', '<h3>kNN</h3>', 'Many', 'Few', 'Std', 'groups.png', 'loss.png', 'lr.png', 'per-class.png', 'memorization']) {
    assert.ok(html.includes(needle), `report.html mentions ${needle}`);
  }
  // BCL's charts exist for the BCL run only (run 2).
  const files = fs.readdirSync(out).sort();
  assert.deepEqual(files, ['bcl-head-to-tail-2.png', 'bcl-scores-2.png', 'groups.png', 'loss.png', 'lr.png', 'per-class.png', 'report.html']);
  for (const file of files.filter((f) => f.endsWith('.png'))) {
    const png = decodePng(fs.readFileSync(path.join(out, file)));
    assert.ok(png.width >= 600 && png.height >= 300, `${file} is ${png.width}x${png.height}`);
  }
});

test('bcl eval and bcl report refuse bad input with a hint and the documented exit code', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-eval-'));
  const cases: { args: string[]; code: number; message: RegExp }[] = [
    { args: ['eval', path.join(dir, 'absent')], code: 12, message: /run folder .*absent does not exist\. Hint: / },
    { args: ['eval', dir], code: 12, message: /is not a run folder \(no recipe\.json\)\. Hint: / },
    { args: ['eval', dir, '--shots', 'full,ten'], code: 12, message: /--shots must list "full" and\/or positive integers, but got "ten"\. Hint: / },
    { args: ['eval', dir, '--seeds', '0'], code: 12, message: /--seeds must be a positive integer, but got "0"/ },
    { args: ['eval', dir, '--probe', 'svm'], code: 12, message: /Allowed choices are linear, knn, all/ },
    { args: ['report', dir], code: 12, message: /is not a run folder/ },
  ];
  for (const c of cases) {
    const result = bcl(c.args);
    assert.equal(result.status, c.code, `${c.args.join(' ')}\n${result.stderr}`);
    assert.match(result.stderr, c.message);
  }
});
