import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as datasets from './index';

test('the public index exposes the loaders and builders', () => {
  for (const name of [
    'loadFashionMnist', 'loadEmbeddedFashionMnistLt', 'loadCifar10', 'loadCifar100', 'readNpyIndices',
    'subsetByIndices', 'makeLongTailed', 'longTailCounts', 'balancedKShot', 'classGroups', 'readIdxImages', 'readIdxLabels',
  ] as const) {
    assert.equal(typeof datasets[name], 'function', name);
  }
  assert.equal(typeof datasets.DatasetError, 'function');
});
