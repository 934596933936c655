import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanInterval, studentTCdf, studentTQuantile } from './student-t';

test('t quantiles match scipy.stats.t.ppf(0.975, df)', () => {
  // scipy 1.x values.
  const reference: [number, number][] = [[1, 12.706204736174694], [2, 4.302652729749462], [3, 3.1824463052837078], [5, 2.5705818356363146], [9, 2.262157162798205], [29, 2.045229642132703], [100, 1.9839715185235518]];
  for (const [df, expected] of reference) assert.ok(Math.abs(studentTQuantile(0.975, df) - expected) < 1e-8, `df ${df}: ${studentTQuantile(0.975, df)} vs ${expected}`);
  assert.ok(Math.abs(studentTCdf(0, 3) - 0.5) < 1e-12);
  assert.ok(Math.abs(studentTQuantile(0.025, 5) + 2.5705818356363146) < 1e-8);
  // df 1 is Cauchy: P(T <= 1) = 3/4 exactly.
  assert.ok(Math.abs(studentTCdf(1, 1) - 0.75) < 1e-12);
});

test('paired-difference interval matches numpy/scipy by hand', () => {
  // d = [1.5, -0.3, 2.1, 0.8, 1.1]: mean 1.04, std(ddof=1) 0.8933084573650918,
  // mean ± t(0.975, 4) s / sqrt(5) = [-0.06918895080117671, 2.149188950801176].
  const r = meanInterval([1.5, -0.3, 2.1, 0.8, 1.1]);
  assert.equal(r.n, 5);
  assert.ok(Math.abs(r.mean - 1.04) < 1e-12);
  assert.ok(Math.abs(r.std - 0.8933084573650918) < 1e-12);
  assert.ok(Math.abs(r.low! + 0.06918895080117671) < 1e-8);
  assert.ok(Math.abs(r.high! - 2.149188950801176) < 1e-8);
  const one = meanInterval([3]);
  assert.equal(one.low, null);
  assert.equal(one.std, 0);
  assert.throws(() => meanInterval([]), RangeError);
});
