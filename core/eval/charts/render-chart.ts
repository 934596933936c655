import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BclError } from '../../errors';

/** A Vega-Lite 6 specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/** A rendered chart. */
export interface ChartImage {
  readonly svg: string;
  readonly png: Buffer;
  /** PNG size in pixels. */
  readonly width: number;
  readonly height: number;
}

/** Options of {@link renderChart}. */
export interface RenderOptions {
  /** Pixels per SVG unit in the PNG (2 gives sharp images on high-density screens). Default 2. */
  readonly scale?: number;
}

/** Font for every chart: DejaVu ships with Debian and Chromium's dependencies; resvg falls back to any system font. */
export const CHART_FONT = 'DejaVu Sans';

interface VegaLiteModule {
  compile(spec: VegaLiteSpec): { spec: unknown };
}
interface VegaView {
  toSVG(): Promise<string>;
  finalize(): void;
}
interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => VegaView;
}

// vega and vega-lite 6 are ES modules with top-level await; this package compiles to CommonJS,
// where tsc would turn `import()` into `require()`, which Node 20 refuses for them. A Function keeps
// a real dynamic import, resolved from this package's node_modules by absolute file URL.
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
let modules: Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> | undefined;

function loadVega(): Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> {
  modules ??= (async () => {
    try {
      const [vega, vegaLite] = await Promise.all([importEsm(pathToFileURL(require.resolve('vega')).href), importEsm(pathToFileURL(require.resolve('vega-lite')).href)]);
      return { vega: vega as VegaModule, vegaLite: vegaLite as VegaLiteModule };
    } catch (error) {
      modules = undefined;
      throw new BclError('USAGE', `could not load the chart libraries vega / vega-lite (${(error as Error).message}).`, {
        cause: error,
        hint: 'Reinstall dependencies with npm ci (charts need vega 6.4 and vega-lite 6.4.3 on Node 20).',
      });
    }
  })();
  return modules;
}

/** Vega-Lite to SVG (vega's headless view) to PNG (resvg). */
export async function renderChart(spec: VegaLiteSpec, options: RenderOptions = {}): Promise<ChartImage> {
  const { vega, vegaLite } = await loadVega();
  const view = new vega.View(vega.parse(vegaLite.compile(withDefaults(spec)).spec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const { Resvg } = await import('@resvg/resvg-js');
  const scale = options.scale ?? 2;
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
    logLevel: 'off',
  }).render();
  return { svg, png: rendered.asPng(), width: rendered.width, height: rendered.height };
}

/** Renders `spec` and writes the PNG to `file`; returns the image. */
export async function writeChart(spec: VegaLiteSpec, file: string, options: RenderOptions = {}): Promise<ChartImage> {
  const image = await renderChart(spec, options);
  try {
    fs.writeFileSync(file, image.png);
  } catch (error) {
    throw new BclError('IO_FAILED', `could not write ${file} (${(error as Error).message}).`, { cause: error });
  }
  return image;
}

/** The house look: white background, one font, the chart exactly `width x height` (padding included). */
function withDefaults(spec: VegaLiteSpec): VegaLiteSpec {
  const config = (spec.config ?? {}) as Record<string, unknown>;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 8,
    ...spec,
    config: { font: CHART_FONT, ...config },
  };
}
