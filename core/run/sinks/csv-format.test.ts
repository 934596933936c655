import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvFormat } from './csv-format';

test('metrics.csv has one row per value, an index for array elements, RFC 4180 quoting and nan for non-finite values', () => {
  const format = csvFormat('/run');
  assert.equal(format.file, '/run/metrics.csv');
  assert.equal(format.header('').toString(), 'time,scope,epoch,step,metric,index,value\r\n');
  const rows = format
    .encode({ time: 't', scope: 'epoch', epoch: 2, step: 7, values: { loss: 0.1 + 0.2, 'a,"b"': 1, hist: [3, 4], bad: NaN } })
    .toString()
    .split('\r\n');
  assert.deepEqual(rows, ['t,epoch,2,7,loss,,0.30000000000000004', 't,epoch,2,7,"a,""b""",,1', 't,epoch,2,7,hist,0,3', 't,epoch,2,7,hist,1,4', 't,epoch,2,7,bad,,nan', '']);
});

test('a value metrics.jsonl stored as null (JSON has no NaN) is written as nan, like the live event', () => {
  const format = csvFormat('/run');
  const fromJsonl = JSON.parse(JSON.stringify({ time: 't', scope: 'step', epoch: 1, step: 0, values: { loss: NaN } }));
  assert.equal(format.encode(fromJsonl).toString(), 't,step,1,0,loss,,nan\r\n');
});
