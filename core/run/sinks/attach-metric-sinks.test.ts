import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventBus, type LogEvent } from '../../events/event-bus';
import { attachMetricSinks } from './attach-metric-sinks';

const event = { scope: 'step' as const, epoch: 1, step: 0, values: { loss: 1.5 } };

test('a failed append logs one warning and turns that sink off; training events keep flowing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-sink-'));
  const events = new EventBus();
  const logs: LogEvent[] = [];
  events.on('log', (e) => logs.push(e));
  const detach = attachMetricSinks(events, dir, ['csv'], []);
  const file = path.join(dir, 'metrics.csv');
  events.emit('metrics', event);
  assert.equal(fs.readFileSync(file, 'utf8').split('\r\n').length, 3, 'header and one row');
  // A folder where the file was: appends fail with EISDIR.
  fs.rmSync(file);
  fs.mkdirSync(file);
  assert.doesNotThrow(() => events.emit('metrics', event));
  events.emit('metrics', event);
  assert.equal(logs.length, 1);
  assert.equal(logs[0].level, 'warn');
  assert.match(logs[0].message, /csv metrics sink: could not append to .*metrics\.csv \(EISDIR\); it is off for the rest of this run\. metrics\.jsonl has every value/);
  detach();
  assert.equal(events.listenerCount('metrics'), 0);
});

test('a sink file that cannot be rebuilt is IO_FAILED before any listener is attached', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-sink-'));
  fs.mkdirSync(path.join(dir, 'metrics.csv'));
  const events = new EventBus();
  assert.throws(() => attachMetricSinks(events, dir, ['csv'], []), (e: Error & { code?: string }) => e.code === 'IO_FAILED' && /could not write .*metrics\.csv/.test(e.message));
  assert.equal(events.listenerCount('metrics'), 0);
});

test('jsonl and repeated names add no sink of their own', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-sink-'));
  const events = new EventBus();
  const detach = attachMetricSinks(events, dir, ['jsonl', 'csv', 'csv'], []);
  assert.equal(events.listenerCount('metrics'), 1);
  assert.deepEqual(fs.readdirSync(dir), ['metrics.csv']);
  detach();
});
