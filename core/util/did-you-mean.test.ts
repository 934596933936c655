import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestName, didYouMean } from './did-you-mean';

test('the closest known name within a third of its length, else nothing', () => {
  assert.equal(closestName('optimiser', ['optimizer', 'schedule']), 'optimizer'); // one substitution
  assert.equal(closestName('temprature', ['temperature', 'projectionDim']), 'temperature'); // one deletion
  assert.equal(closestName('cifar10', ['cifar-10', 'cifar-100']), 'cifar-10'); // one insertion; cifar-100 needs two
  assert.equal(closestName('bcll', ['bcl', 'focal']), 'bcl');
  assert.equal(closestName('smiclr', ['simclr', 'moco']), 'simclr', 'a swap of neighbours is one edit');
  assert.equal(closestName('adam', ['sgd', 'lars']), undefined, 'too far from anything');
  assert.equal(closestName('lr', ['eta']), undefined);
  assert.equal(closestName('x', []), undefined);
  assert.equal(didYouMean('Gamma', ['gamma']), ' Did you mean "gamma"?', 'case does not count as an edit');
  assert.equal(didYouMean('zzz', ['gamma']), '');
});
