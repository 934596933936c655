import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../events/event-bus';
import { terminalScreen } from '../../test/support/terminal-screen';
import { attachProgressReporter } from './progress-reporter';

function fakeStream(isTTY: boolean, columns = 80): { stream: NodeJS.WriteStream; output: () => string } {
  let written = '';
  const stream = { isTTY, columns, write: (chunk: string) => ((written += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, output: () => written };
}

/** Two epochs of 4 steps, one step every 250 ms of the fake clock, with logs as the trainer writes them. */
function run(events: EventBus, clock: { t: number }): void {
  events.log('info', 'backend: cpu');
  for (let step = 0; step < 8; step++) {
    clock.t += 250;
    const epoch = Math.floor(step / 4) + 1;
    events.emit('progress', { epoch, epochs: 2, batch: step % 4, stepsPerEpoch: 4, step, totalSteps: 8, loss: 2 - step / 10, lr: 0.5 });
    if (step % 4 === 3) {
      events.log('info', `epoch ${epoch}/2: loss 1.5 in 1.0 s`);
      events.log('info', `checkpoint run/checkpoints/step-00000000${step + 1}.ckpt`);
    }
  }
  events.log('warn', 'a warning at the end');
}

test('on a terminal the live line never overwrites a log line, fits the width, shows images/s, and is erased at the end', () => {
  const events = new EventBus();
  const clock = { t: 0 };
  const { stream, output } = fakeStream(true, 80);
  const stop = attachProgressReporter(events, { stream, batchSize: 32, now: () => clock.t });
  run(events, clock);
  // While running, the last line is the live one: 32 samples per 250 ms step = 128 img/s.
  const during = terminalScreen(output());
  assert.match(during.at(-1)!, /^epoch 2\/2 \|█+\| 4\/4 \| 128 img\/s \| loss 1\.3000 \| lr 5\.00e-1 \| eta 0\.0 s$/);
  assert.ok(during.every((line) => line.length <= 79), 'no line reaches the last column');
  stop();
  // What the CLI prints next lands on the erased line.
  const screen = terminalScreen(output() + 'done: 2 epochs\nnext: bcl eval run\n');
  assert.deepEqual(screen, [
    'backend: cpu',
    'epoch 1/2: loss 1.5 in 1.0 s',
    'checkpoint run/checkpoints/step-000000004.ckpt',
    'epoch 2/2: loss 1.5 in 1.0 s',
    'checkpoint run/checkpoints/step-000000008.ckpt',
    'warn: a warning at the end',
    'done: 2 epochs',
    'next: bcl eval run',
    '',
  ]);
  assert.doesNotMatch(output(), /\x1b[78]/, 'no cursor save/restore');
});

test('a narrow terminal drops the bar, then cuts the line short of the last column', () => {
  for (const columns of [60, 30]) {
    const events = new EventBus();
    const clock = { t: 0 };
    const { stream, output } = fakeStream(true, columns);
    const stop = attachProgressReporter(events, { stream, batchSize: 32, now: () => clock.t });
    run(events, clock);
    const last = terminalScreen(output()).at(-1)!;
    assert.ok(last.length <= columns - 1 && last.startsWith('epoch 2/2 4/4 | '), `${columns}: ${last}`);
    assert.ok(last.endsWith('…'));
    stop();
  }
});

test('elsewhere it prints plain lines: the first and last step and one every 10 s, with images/s', () => {
  const events = new EventBus();
  const clock = { t: 0 };
  const { stream, output } = fakeStream(false);
  const stop = attachProgressReporter(events, { stream, batchSize: 32, now: () => clock.t });
  run(events, clock);
  stop();
  const lines = output().trimEnd().split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith('step ')), [
    'step 1/8 epoch 1/2 batch 1/4 loss 2.0000 lr 5.000e-1 … img/s eta …',
    'step 8/8 epoch 2/2 batch 4/4 loss 1.3000 lr 5.000e-1 128 img/s eta 0.0 s',
  ]);
  assert.ok(!output().includes('\r') && !output().includes('\x1b'), 'no control characters in logs');
  assert.equal(lines.filter((l) => !l.startsWith('step ')).length, 6, 'every log line');
});
