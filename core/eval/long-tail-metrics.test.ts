import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classGroups } from '../data/datasets/class-groups';
import { accuracySpread, populationStd, probeAccuracy, rankOfLabel, sampleStd } from './long-tail-metrics';

const close = (actual: number | null, expected: number, tolerance = 1e-9, what = ''): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected}, got ${actual}`);
};

/** One-hot-ish scores: the predicted class gets 1, the rest 0. */
function scoresFor(predictions: number[], numClasses: number): Float32Array {
  const scores = new Float32Array(predictions.length * numClasses);
  predictions.forEach((p, i) => (scores[i * numClasses + p] = 1));
  return scores;
}

test('a confusion table worked by hand: per-class, Many / Medium / Few and their population std', () => {
  // Confusion table (rows true class, columns predicted), 3 test images per class:
  //            pred 0  pred 1  pred 2
  //   true 0      2       1       0     -> 2/3 = 66.67 %
  //   true 1      0       3       0     -> 3/3 = 100 %
  //   true 2      1       1       1     -> 1/3 = 33.33 %
  // Overall 6 of 9 = 66.67 %. Training counts 100 / 30 / 5 give, by thirds, Many {0}, Medium {1},
  // Few {2}; population std of (66.67, 100, 33.33): deviations 0, +33.33, -33.33, sum of squares
  // 2222.2 / 3 = 740.7, sqrt = 27.22 (= 100 * sqrt(2/27)).
  const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2];
  const predictions = [0, 0, 1, 1, 1, 1, 0, 1, 2];
  const groups = classGroups([100, 30, 5], { kind: 'thirds' });
  const result = probeAccuracy(scoresFor(predictions, 3), labels, 3, groups);
  close(result.top1, 200 / 3, 1e-9, 'top1');
  assert.deepEqual(result.perClass.map((a) => a!.toFixed(4)), ['66.6667', '100.0000', '33.3333']);
  close(result.many, 200 / 3, 1e-9, 'many');
  close(result.medium, 100, 1e-9, 'medium');
  close(result.few, 100 / 3, 1e-9, 'few');
  close(result.groupStd, 100 * Math.sqrt(2 / 27), 1e-9, 'std');
  // Three classes: top-5 is top-3, which always holds.
  close(result.top5, 100, 0, 'top5');
});

test('groups average per-class accuracy (not samples), and a class absent from the test set is null', () => {
  // Class 0: 1 of 4 right (25 %); class 1: 1 of 1 (100 %); class 2 never appears. Many = {0, 1}
  // by thresholds (counts 500, 200 > 100), few = {2} (count 3): many = (25 + 100) / 2 = 62.5,
  // whereas pooled samples would give 2 / 5 = 40 %.
  const labels = [0, 0, 0, 0, 1];
  const groups = classGroups([500, 200, 3], { kind: 'thresholds' });
  const result = probeAccuracy(scoresFor([0, 1, 1, 1, 1], 3), labels, 3, groups);
  assert.deepEqual(result.perClass, [25, 100, null]);
  close(result.many, 62.5);
  assert.equal(result.few, null);
  assert.equal(result.groupStd, null);
  close(result.top1, 40);
});

test('top-5 counts the true class ranked 5th but not 6th; ties go to the lower class id', () => {
  const numClasses = 7;
  // Sample 0: true class 6 has the 5th-highest score (0-based rank 4); sample 1: 6th (rank 5).
  const scores = Float32Array.from([7, 6, 5, 4, 1, 0, 3, /**/ 7, 6, 5, 4, 3, 0, 2]);
  assert.equal(rankOfLabel(scores, 0, numClasses, 6), 4);
  assert.equal(rankOfLabel(scores, numClasses, numClasses, 6), 5);
  const result = probeAccuracy(scores, [6, 6], numClasses, classGroups(new Array(7).fill(10), { kind: 'thirds' }));
  close(result.top5, 50);
  close(result.top1, 0);
  // Equal scores: class 1 ties with class 0, which wins; so class 0 is rank 0 and class 1 rank 1.
  const tie = Float32Array.from([2, 2, 1]);
  assert.equal(rankOfLabel(tie, 0, 3, 0), 0);
  assert.equal(rankOfLabel(tie, 0, 3, 1), 1);
});

test('group std is the population std (np.std) of Many / Medium / Few, as the authors compute it', () => {
  // numpy 2.4: np.std([85.93, 75.15, 91.57]) = 6.812035101364509; with ddof=1 it is 8.343005054135665.
  close(populationStd([85.93, 75.15, 91.57]), 6.812035101364509, 1e-12, 'np.std');
  close(sampleStd([85.93, 75.15, 91.57]), 8.343005054135665, 1e-12, 'ddof=1');
  // Through probeAccuracy: one class per group with those accuracies (10 000 test images each,
  // so each accuracy is exact to 0.01).
  const groups = classGroups([300, 200, 100], { kind: 'thirds' });
  const labels: number[] = [];
  const predictions: number[] = [];
  [8593, 7515, 9157].forEach((right, c) => {
    for (let i = 0; i < 10000; i++) {
      labels.push(c);
      predictions.push(i < right ? c : (c + 1) % 3);
    }
  });
  const result = probeAccuracy(scoresFor(predictions, 3), labels, 3, groups);
  close(result.groupStd, 6.812035101364509, 1e-9, 'groupStd');
  assert.equal(result.groupStd!.toFixed(2), '6.81');
  assert.equal(populationStd([5]), 0);
  assert.throws(() => populationStd([]), RangeError);
});

test("sample std (the seed-to-seed spread) by hand: 48.70 / 46.81 / 44.02 gives 2.354", () => {
  // By hand: mean 139.53 / 3 = 46.51; deviations 2.19, 0.30, -2.49; squares 4.7961 + 0.09 + 6.2001
  // = 11.0862; / (3 - 1) = 5.5431; sqrt = 2.35438. Dividing by n instead gives 1.922.
  close(sampleStd([48.7, 46.81, 44.02]), 2.35438, 1e-5, 'sample std');
  close(populationStd([48.7, 46.81, 44.02]), Math.sqrt(11.0862 / 3), 1e-5, 'population std');
  assert.equal(sampleStd([5]), 0);
});

test('accuracy spread over seeds: mean and sample std of each field, per-class means', () => {
  const groups = classGroups([10, 5], { kind: 'thresholds', manyAbove: 7, fewBelow: 6 }); // many {0}, few {1}, medium none
  const runs = [
    probeAccuracy(scoresFor([0, 1, 0, 0], 2), [0, 1, 1, 1], 2, groups), // top1 50, class1 33.3
    probeAccuracy(scoresFor([0, 1, 1, 0], 2), [0, 1, 1, 1], 2, groups), // top1 75, class1 66.7
    probeAccuracy(scoresFor([0, 1, 1, 1], 2), [0, 1, 1, 1], 2, groups), // top1 100, class1 100
  ];
  const { mean, std } = accuracySpread(runs);
  close(mean.top1, 75);
  close(std.top1, 25); // deviations -25, 0, 25: sqrt(1250 / 2) = 25
  close(mean.perClass[1], 200 / 3, 1e-9);
  close(mean.many, 100);
  assert.equal(mean.medium, null);
  assert.equal(std.groupStd, null);
});

test("over seeds, groupStd is the mean of each run's population std; its spread is a sample std", () => {
  const groups = classGroups([30, 20, 10], { kind: 'thirds' });
  const labels = [0, 0, 1, 1, 2, 2];
  // Run 1: classes 100 / 50 / 0 % -> np.std = 50 * sqrt(2/3) = 40.8248; run 2: all right -> 0.
  const runs = [probeAccuracy(scoresFor([0, 0, 1, 0, 0, 0], 3), labels, 3, groups), probeAccuracy(scoresFor([0, 0, 1, 1, 2, 2], 3), labels, 3, groups)];
  close(runs[0].groupStd, 50 * Math.sqrt(2 / 3), 1e-9, 'run 1');
  const { mean, std } = accuracySpread(runs);
  close(mean.groupStd, 25 * Math.sqrt(2 / 3), 1e-9, 'mean of the two');
  // Sample std of (40.8248, 0): 40.8248 / sqrt(2) = 28.8675.
  close(std.groupStd, (50 * Math.sqrt(2 / 3)) / Math.SQRT2, 1e-9, 'seed spread');
});
