import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHART_HEIGHT, CHART_WIDTH, groupBarsSpec, lineChartSpec, type LinePoint } from './chart-specs';
import { decodePng } from './decode-png';
import { writeChart } from './render-chart';

/** Pixels whose colour is within `tolerance` of an RGB hex colour. */
function countNear(rgba: Uint8Array, hex: string, tolerance = 40): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (Math.abs(rgba[i] - r) + Math.abs(rgba[i + 1] - g) + Math.abs(rgba[i + 2] - b) < tolerance) n++;
  }
  return n;
}

test('a line chart becomes a PNG of the expected size that decodes and shows both series', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-chart-'));
  const file = path.join(dir, 'loss.png');
  const points: LinePoint[] = [];
  for (let i = 0; i <= 20; i++) points.push({ series: 'simclr', x: i, y: 5 - i / 10 }, { series: 'bcl', x: i, y: 5.5 - i / 8 });
  const image = await writeChart(lineChartSpec(points, { title: 'Training loss', xTitle: 'epoch', yTitle: 'loss' }), file);

  const png = decodePng(fs.readFileSync(file));
  // The spec asks for exactly CHART_WIDTH x CHART_HEIGHT (autosize fit, padding included), drawn at 2x.
  assert.deepEqual([png.width, png.height], [2 * CHART_WIDTH, 2 * CHART_HEIGHT]);
  assert.deepEqual([image.width, image.height], [png.width, png.height]);
  assert.match(image.svg, /<svg[^>]*width="640"[^>]*height="320"/);
  const pixels = png.width * png.height;
  const white = countNear(png.rgba, '#ffffff', 6);
  assert.ok(white > 0.5 * pixels, 'a white background');
  assert.ok(pixels - white > 0.01 * pixels, `not blank: ${pixels - white} non-white pixels`);
  // Vega's first two category colours, one per series.
  assert.ok(countNear(png.rgba, '#4c78a8') > 500, 'the first series is drawn');
  assert.ok(countNear(png.rgba, '#f58518') > 500, 'the second series is drawn');
});

test('the Many / Medium / Few chart renders one panel per protocol with bars per run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcl-chart-'));
  const file = path.join(dir, 'groups.png');
  const bars = ['simclr', 'bcl'].flatMap((run, r) =>
    ['linear full-shot', 'kNN'].flatMap((protocol) => (['Many', 'Medium', 'Few'] as const).map((group, g) => ({ run, protocol, group, accuracy: 30 + 10 * g + 5 * r, std: 1 }))),
  );
  const image = await writeChart(groupBarsSpec(bars, 200, 240), file);
  const png = decodePng(fs.readFileSync(file));
  // Two 200-wide panels side by side, plus axis and padding: wider than 2 x 400 px at 2x.
  assert.ok(png.width > 2 * 400 && png.height > 2 * 240, `size ${png.width}x${png.height}`);
  assert.equal(image.width, png.width);
  // Bars are solid areas: many pixels of both run colours.
  assert.ok(countNear(png.rgba, '#4c78a8', 10) > 5000);
  assert.ok(countNear(png.rgba, '#f58518', 10) > 5000);
  // Panels keep the order of the data (linear first), not alphabetical order.
  assert.ok(image.svg.indexOf('linear full-shot') < image.svg.indexOf('kNN'));
});

test('decodePng rejects what is not a PNG', () => {
  assert.throws(() => decodePng(Buffer.from('GIF89a...')), /not a PNG/);
});
