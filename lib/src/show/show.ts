/**
 * Showing a chart: one notebook output with three representations.
 *
 * - `application/vnd.vegalite.v5+json`: the spec itself, interactive in JupyterLab;
 * - `image/svg+xml`: the same chart drawn headless in Node by vega 5, which is
 *   what HTML/PDF exports and GitHub's notebook viewer show;
 * - `text/plain`: the numbers as a text table, for terminals and diffs.
 *
 * vega and vega-lite are loaded on first use only, so worker threads and
 * child processes that import the lib do not pay for them.
 */
import { writeFile } from "node:fs/promises";
import { extname } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { now } from "../measure/clock";
import { displayBundle, type MimeBundle } from "./display";
import { textTable } from "./table";
import { useFontMetrics, type VegaTextMetrics } from "./text-metrics";

const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
const SCHEMA_V5 = "https://vega.github.io/schema/vega-lite/v5.json";

function checkChart(chart: unknown): asserts chart is TopLevelSpec {
  if (typeof chart !== "object" || chart === null || Array.isArray(chart)) {
    throw new TypeError("chart must be a vega-lite spec object (e.g. from barChart)");
  }
}

function titleOf(chart: TopLevelSpec): string {
  const t = chart.title;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.join(" ");
  if (t && typeof t === "object" && "text" in t) return [t.text].flat().join(" ");
  return "";
}

/** The text/plain representation: title, then the chart's numbers as a table. */
function summaryOf(chart: TopLevelSpec, summary?: string): string {
  const meta = chart.usermeta as { summary?: unknown } | undefined;
  let body = summary ?? (typeof meta?.summary === "string" ? meta.summary : undefined);
  if (body === undefined) {
    const values = (chart as { data?: { values?: unknown } }).data?.values;
    body = Array.isArray(values) && values.every((v) => typeof v === "object" && v !== null) ? textTable(values) : "";
  }
  return [titleOf(chart), body].filter((s) => s !== "").join("\n");
}

/**
 * Longest label, in px, drawn whole on an axis or in a legend; longer ones end in "…".
 *
 * @example
 * ```ts
 * import { LABEL_LIMIT_PX, textWidth } from "concurrency-lab";
 * textWidth("wait 0.3 s, return n*n · ProcessPoolExecutor", { fontSize: 10 }) < LABEL_LIMIT_PX; // true: drawn whole
 * ```
 */
export const LABEL_LIMIT_PX = 300;

/**
 * Adds the lib's chart defaults to a spec's `config` (the spec's own settings
 * win): axis and legend labels are cut only past {@link LABEL_LIMIT_PX}
 * (vega's defaults, 180 and 160 px, cut names such as
 * "wait 0.3 s, return n*n · ProcessPoolExecutor"), and tick labels keep a gap
 * between them.
 *
 * @example
 * ```ts
 * import { barChart, withChartDefaults } from "concurrency-lab";
 * withChartDefaults(barChart([{ label: "threads", value: 1 }])).config; // { axis: { labelLimit: 300, … }, … }
 * ```
 */
export function withChartDefaults(chart: TopLevelSpec): TopLevelSpec {
  checkChart(chart);
  const config = (chart.config ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return {
    ...chart,
    config: {
      ...config,
      axis: { labelLimit: LABEL_LIMIT_PX, labelSeparation: 4, ...config.axis },
      legend: { labelLimit: LABEL_LIMIT_PX, ...config.legend },
    },
  } as TopLevelSpec;
}

/**
 * Draws a vega-lite spec to an SVG string with vega 5, headless (no browser,
 * no canvas), measuring text with font metrics ({@link useFontMetrics}) and
 * with the lib's {@link withChartDefaults}.
 *
 * @example
 * ```ts
 * import { barChart, renderSvg } from "concurrency-lab";
 * const svg = await renderSvg(barChart([{ label: "threads", value: 1.2 }]));
 * svg.startsWith("<svg"); // true
 * ```
 */
export async function renderSvg(chart: TopLevelSpec): Promise<string> {
  checkChart(chart);
  const [vl, vega] = await Promise.all([import("vega-lite"), import("vega")]);
  useFontMetrics(vega as unknown as VegaTextMetrics);
  const view = new vega.View(vega.parse(vl.compile(withChartDefaults(chart)).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize(); // drop the view's timers and listeners
  }
}

/** A chart's display bundle and how long drawing its SVG took. */
export interface ChartBundle {
  bundle: MimeBundle;
  svgMs: number;
}

/**
 * Builds the three-representation bundle of a chart without displaying it:
 * the vega-lite spec (with the v5 `$schema`), its SVG, and a text table.
 * `opts.summary` replaces the text table.
 *
 * @example
 * ```ts
 * import { barChart, chartBundle } from "concurrency-lab";
 * const { bundle, svgMs } = await chartBundle(barChart([{ label: "threads", value: 1.2 }]));
 * Object.keys(bundle); // ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]
 * ```
 */
export async function chartBundle(chart: TopLevelSpec, opts: { summary?: string } = {}): Promise<ChartBundle> {
  checkChart(chart);
  if (opts.summary !== undefined && typeof opts.summary !== "string") throw new TypeError("opts.summary must be a string");
  const spec = { ...withChartDefaults(chart), $schema: SCHEMA_V5 } as TopLevelSpec;
  const t0 = now();
  const svg = await renderSvg(spec);
  const svgMs = now() - t0;
  return {
    bundle: { [VEGALITE_MIME]: spec, "image/svg+xml": svg, "text/plain": summaryOf(spec, opts.summary) },
    svgMs,
  };
}

/**
 * Displays a chart as ONE notebook output carrying the interactive vega-lite
 * spec, a static SVG and a text table. Outside a kernel it prints the text
 * table. Remember the `await`: the SVG is drawn asynchronously, and the output
 * must arrive while its cell is still running.
 *
 * @example
 * ```ts
 * import { barChart, show } from "concurrency-lab";
 * await show(barChart([{ label: "sequential", value: 4.2 }, { label: "threads", value: 1.1 }]));
 * ```
 */
export async function show(chart: TopLevelSpec, opts: { summary?: string } = {}): Promise<void> {
  const { bundle } = await chartBundle(chart, opts);
  displayBundle(bundle);
}

/**
 * Writes a chart to `path`: `.svg` draws it, `.json` saves the vega-lite spec
 * (open it in the Vega editor, or load it back with `JSON.parse`).
 *
 * @example
 * ```ts
 * import { barChart, saveChart } from "concurrency-lab";
 * await saveChart(barChart([{ label: "threads", value: 1.2 }]), "threads.svg");
 * ```
 */
export async function saveChart(chart: TopLevelSpec, path: string): Promise<void> {
  checkChart(chart);
  if (typeof path !== "string" || path === "") throw new TypeError("path must be a non-empty string");
  const ext = extname(path).toLowerCase();
  if (ext === ".svg") await writeFile(path, await renderSvg(chart));
  else if (ext === ".json") await writeFile(path, JSON.stringify({ ...chart, $schema: SCHEMA_V5 }, null, 2) + "\n");
  else throw new RangeError(`path must end in .svg or .json, got "${path}"`);
}
