/**
 * The four pictures of the notebooks, as plain vega-lite 5 specs.
 *
 * A chart is data, not a drawing: students can print it, change a colour or a
 * title, and pass it to {@link show}. Each spec keeps the numbers it plots in
 * `data.values` and a ready text table in `usermeta.summary`, which `show`
 * uses as the `text/plain` representation.
 */
import os from "node:os";
import type { TopLevelSpec } from "vega-lite";
import { Timeline, type Span } from "../measure/timeline";
import { textTable } from "./table";
import { textWidth } from "./text-metrics";

/** A vega-lite 5 spec, as made by the chart functions (and accepted by `show`). */
export type Chart = TopLevelSpec;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
const WIDTH = 600;

/**
 * Fixed colours per span kind, so "waiting" is the same orange in every notebook.
 *
 * @example
 * ```ts
 * import { KIND_COLORS } from "concurrency-lab";
 * KIND_COLORS.waiting; // "#f58518": the colour of a "waiting" span in every timeline chart
 * ```
 */
export const KIND_COLORS: Readonly<Record<string, string>> = {
  running: "#4c78a8",
  waiting: "#f58518",
  io: "#54a24b",
  queued: "#9d9d9d",
  idle: "#d9d9d9",
};
// Counts and worker numbers are whole: hide the ".5" labels (vega-lite ignores tickMinStep, vega-lite#9034).
const INTEGER_LABELS = "datum.value % 1 ? '' : format(datum.value, ',d')";
/**
 * A label axis (bars, timeline lanes) with its title written across, above the
 * labels, instead of turned on its side beside them: a short chart then needs
 * no more height than its bars.
 */
const TITLE_ABOVE_LABELS = {
  titleAngle: 0, titleAlign: "right", titleAnchor: "start", titleBaseline: "bottom", titleX: -7, titleY: -6,
} as const;
const EXTRA_COLORS = ["#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#ff9da6", "#9d755d"];

function checkNonEmpty(name: string, data: unknown): void {
  if (!Array.isArray(data)) throw new TypeError(`${name} must be an array`);
  if (data.length === 0) throw new RangeError(`${name} must not be empty: there is nothing to draw`);
}

function checkFinite(name: string, x: unknown): number {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new TypeError(`${name} must be a finite number, got ${String(x)}`);
  return x;
}

/**
 * "1.23", "12.3", "123": three significant digits, no exponent.
 *
 * @example
 * ```ts
 * import { formatNumber } from "concurrency-lab";
 * formatNumber(1234.5);   // "1235"
 * formatNumber(1.2345);   // "1.23"
 * formatNumber(0.012345); // "0.0123"
 * ```
 */
export function formatNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 100 || Number.isInteger(x)) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/**
 * The upper end vega would give a linear scale from 0 to `max` with
 * `nice: true` (d3's `nice()` with 10 ticks, which vega uses). barChart sets
 * this domain itself, so it knows where each value lands in pixels.
 */
function niceMax(max: number): number {
  const e10 = Math.sqrt(50), e5 = Math.sqrt(10), e2 = Math.sqrt(2);
  const increment = (stop: number) => {
    const step = stop / 10;
    const power = Math.floor(Math.log10(step));
    const error = step / 10 ** power;
    const factor = error >= e10 ? 10 : error >= e5 ? 5 : error >= e2 ? 2 : 1;
    return power >= 0 ? factor * 10 ** power : -(10 ** -power) / factor;
  };
  let stop = max;
  let previous: number | undefined;
  for (let i = 0; i < 10; i++) {
    const step = increment(stop);
    if (step === previous) break;
    stop = step > 0 ? Math.ceil(stop / step) * step : Math.floor(stop * step) / step;
    previous = step;
  }
  return stop;
}

const RULE_FONT = 11;
const RULE_ROW = RULE_FONT + 3;

/**
 * Places reference-line labels above the plot without overlap: each label
 * sits right of its line (left of it when it would run past the plot's right
 * edge), and a label that would touch an earlier one moves up a row.
 */
function placeRuleLabels(
  rules: readonly { label: string; value: number }[],
  xMax: number,
  width: number,
): { label: string; value: number; align: "left" | "right"; row: number }[] {
  const rowEnds: number[] = [];
  const GAP = 6;
  return [...rules]
    .sort((a, b) => a.value - b.value)
    .map((r) => {
      const x = (r.value / xMax) * width;
      const w = textWidth(r.label, { fontSize: RULE_FONT });
      const align: "left" | "right" = x + 3 + w > width && x - 3 - w >= 0 ? "right" : "left";
      const [start, end] = align === "left" ? [x + 3, x + 3 + w] : [x - 3 - w, x - 3];
      let row = rowEnds.findIndex((rowEnd) => rowEnd + GAP <= start);
      if (row < 0) row = rowEnds.push(end) - 1;
      else rowEnds[row] = end;
      return { ...r, align, row };
    });
}

/** One bar of {@link barChart}. `series` groups bars, e.g. "measured" vs "published". */
export interface BarDatum {
  label: string;
  value: number;
  series?: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  title?: string;
  /** Unit of `value`; default seconds ("µs" for per-operation costs such as a message round trip). */
  unit?: "s" | "ms" | "µs";
  /** Axis title of the values (the unit is appended); default "time". */
  valueTitle?: string;
  /** Axis title of the labels; default "strategy". */
  labelTitle?: string;
  /** Reference lines across all bars, e.g. `{ label: "floor", value: 1 }` (same unit as the bars). */
  rules?: { label: string; value: number }[];
  width?: number;
}

/**
 * One horizontal bar per label, each labelled with its value ("1.23 s").
 * Data with a `series` field become grouped bars coloured by series (measured
 * vs the document's published figure, say); `rules` draw reference lines
 * such as a theoretical floor.
 *
 * @example
 * ```ts
 * import { barChart, show } from "concurrency-lab";
 * await show(barChart([
 *   { label: "sequential", value: 4.1, series: "measured" },
 *   { label: "sequential", value: 3.9, series: "published" },
 *   { label: "threads", value: 1.1, series: "measured" },
 * ], { title: "Downloading 10 pages", rules: [{ label: "floor (slowest page)", value: 1 }] }));
 * ```
 */
export function barChart(data: BarDatum[], opts: BarChartOptions = {}): Chart {
  checkNonEmpty("data", data);
  const unit = opts.unit ?? "s";
  if (unit !== "s" && unit !== "ms" && unit !== "µs") throw new RangeError(`opts.unit must be "s", "ms" or "µs", got ${String(unit)}`);
  const rules = opts.rules ?? [];
  const grouped = data.some((d) => d.series !== undefined);
  const values = data.map((d, i) => {
    if (typeof d?.label !== "string") throw new TypeError(`data[${i}].label must be a string`);
    checkFinite(`data[${i}].value`, d.value);
    return { label: d.label, series: d.series ?? "", value: d.value, text: `${formatNumber(d.value)} ${unit}` };
  });
  rules.forEach((r, i) => checkFinite(`opts.rules[${i}].value`, r.value));
  // Room on the right for the value labels past the longest bar.
  const domainMax = niceMax(Math.max(0, ...values.map((v) => v.value), ...rules.map((r) => r.value)) * 1.18 || 1);
  const width = opts.width ?? WIDTH;
  const ruleLabels = placeRuleLabels(rules, domainMax, width);
  const unitName = { s: "seconds", ms: "milliseconds", "µs": "microseconds" }[unit];
  const valueAxis = `${opts.valueTitle ?? "time"} (${unitName})`;
  const columns = grouped ? ["label", "series", "value"] : ["label", "value"];

  return {
    $schema: SCHEMA,
    title: opts.title ?? "Time per strategy",
    width,
    data: { values },
    usermeta: {
      summary: textTable(
        values.map((v) => ({ ...v, value: v.text })),
        columns,
      ) + (rules.length ? "\n" + rules.map((r) => `${r.label}: ${formatNumber(r.value)} ${unit}`).join("\n") : ""),
    },
    layer: [
      {
        encoding: {
          y: { field: "label", type: "nominal", title: opts.labelTitle ?? "strategy", sort: null, axis: TITLE_ABOVE_LABELS },
          ...(grouped ? { yOffset: { field: "series", type: "nominal" as const, sort: null } } : {}),
          x: { field: "value", type: "quantitative", title: valueAxis, scale: { domain: [0, domainMax], nice: false } },
        },
        layer: [
          {
            mark: { type: "bar", tooltip: true },
            encoding: grouped
              ? { color: { field: "series", type: "nominal", title: "series", sort: null } }
              : { color: { value: KIND_COLORS.running } },
          },
          {
            mark: { type: "text", align: "left", baseline: "middle", dx: 3, fontSize: 11 },
            encoding: { text: { field: "text", type: "nominal" } },
          },
        ],
      },
      ...(rules.length
        ? [
            {
              data: { values: rules },
              layer: [
                {
                  mark: { type: "rule" as const, color: "#555", strokeDash: [4, 3], strokeWidth: 1.5 },
                  encoding: { x: { field: "value", type: "quantitative" as const } },
                },
                // One text layer per label, each on the row placeRuleLabels gave it.
                ...ruleLabels.map((r) => ({
                  data: { values: [r] },
                  mark: {
                    type: "text" as const, align: r.align, baseline: "bottom" as const, dx: r.align === "left" ? 3 : -3, dy: -2,
                    color: "#555", fontSize: RULE_FONT,
                  },
                  encoding: {
                    x: { field: "value", type: "quantitative" as const },
                    y: { value: -r.row * RULE_ROW },
                    text: { field: "label", type: "nominal" as const },
                  },
                })),
              ],
            },
          ]
        : []),
    ],
  };
}

/** Options of {@link timelineChart}. */
export interface TimelineChartOptions {
  title?: string;
  /** Time unit of the axis; default milliseconds. */
  unit?: "ms" | "s";
  width?: number;
  /** Lanes from top to bottom; lanes not listed follow in order of first activity. Default: "main" first. */
  lanes?: string[];
  /** Title of the lane axis; default "thread / process". */
  laneTitle?: string;
}

/**
 * A Gantt chart of spans: one row per lane (thread or process), time on the
 * x axis, coloured by kind with fixed colours (running blue, waiting orange,
 * io green, queued grey). The notebook's version of the lecture's
 * PyCharm concurrency diagrams: who ran when, and who waited.
 * A `Timeline` is drawn from its origin; a plain span array from its
 * earliest start.
 *
 * @example
 * ```ts
 * import { Timeline, timelineChart, show, sleep } from "concurrency-lab";
 * const tl = new Timeline();
 * await Promise.all([1, 2].map((i) => tl.record(`download ${i}`, () => sleep(100 * i), { kind: "io" })));
 * await show(timelineChart(tl, { title: "Two downloads overlap" }));
 * ```
 */
export function timelineChart(spans: Span[] | Timeline, opts: TimelineChartOptions = {}): Chart {
  const list = spans instanceof Timeline ? spans.spans() : spans;
  checkNonEmpty("spans", list);
  list.forEach((s, i) => {
    checkFinite(`spans[${i}].start`, s.start);
    checkFinite(`spans[${i}].end`, s.end);
    if (s.end < s.start) throw new RangeError(`spans[${i}] ("${s.label}") ends before it starts`);
  });
  const unit = opts.unit ?? "ms";
  if (unit !== "s" && unit !== "ms") throw new RangeError(`opts.unit must be "ms" or "s", got ${String(unit)}`);
  const scale = unit === "s" ? 1 / 1000 : 1;
  const origin = spans instanceof Timeline ? 0 : Math.min(...list.map((s) => s.start));
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const values = sorted.map((s) => ({
    label: s.label,
    lane: s.lane,
    kind: String(s.kind),
    start: round((s.start - origin) * scale),
    end: round((s.end - origin) * scale),
    duration: round((s.end - s.start) * scale),
  }));
  // Lanes top to bottom: the ones asked for, then "main", then in order of first activity.
  const active = [...new Set(values.map((v) => v.lane))].sort((a, b) => Number(b === "main") - Number(a === "main"));
  const lanes = [...(opts.lanes ?? []).filter((l) => active.includes(l)), ...active.filter((l) => !opts.lanes?.includes(l))];
  const kinds = [...new Set(values.map((v) => v.kind))];
  const known = Object.keys(KIND_COLORS).filter((k) => kinds.includes(k));
  const domain = [...known, ...kinds.filter((k) => !(k in KIND_COLORS))];
  const range = domain.map((k, i) => KIND_COLORS[k] ?? EXTRA_COLORS[(i - known.length) % EXTRA_COLORS.length]);
  const unitName = unit === "s" ? "seconds" : "ms";

  return {
    $schema: SCHEMA,
    title: opts.title ?? "Who ran when",
    width: opts.width ?? WIDTH,
    height: { step: 26 },
    data: { values },
    usermeta: {
      summary: textTable(values, ["lane", "label", "kind", "start", "end", "duration"]) + `\n(times in ${unitName})`,
    },
    mark: { type: "bar", cornerRadius: 2, tooltip: true },
    encoding: {
      y: { field: "lane", type: "nominal", title: opts.laneTitle ?? "thread / process", sort: lanes, axis: TITLE_ABOVE_LABELS },
      x: { field: "start", type: "quantitative", title: `time since start (${unitName})` },
      x2: { field: "end" },
      color: { field: "kind", type: "nominal", title: "state", scale: { domain, range } },
      tooltip: [
        { field: "label", type: "nominal" },
        { field: "lane", type: "nominal" },
        { field: "kind", type: "nominal" },
        { field: "start", type: "quantitative" },
        { field: "end", type: "quantitative" },
        { field: "duration", type: "quantitative", title: `duration (${unitName})` },
      ],
    },
  };
}

/** One measurement of {@link scalingChart}: speedup over one worker. */
export interface ScalingPoint {
  workers: number;
  speedup: number;
  /** e.g. "threads" vs "processes"; default "measured". */
  series?: string;
}

/**
 * Speedup against the number of workers, with the ideal (speedup = workers)
 * dashed and a vertical rule at the machine's core count: past it, more
 * workers cannot run at the same time.
 *
 * @example
 * ```ts
 * import { scalingChart, show } from "concurrency-lab";
 * await show(scalingChart([
 *   { workers: 1, speedup: 1 }, { workers: 2, speedup: 1.9 }, { workers: 4, speedup: 1.95 },
 * ], { title: "CPU-bound work on a process pool" }));
 * ```
 */
export function scalingChart(points: ScalingPoint[], opts: { cores?: number; title?: string; width?: number } = {}): Chart {
  checkNonEmpty("points", points);
  const values = points.map((p, i) => {
    if (checkFinite(`points[${i}].workers`, p.workers) < 1) throw new RangeError(`points[${i}].workers must be >= 1`);
    if (checkFinite(`points[${i}].speedup`, p.speedup) < 0) throw new RangeError(`points[${i}].speedup must be >= 0`);
    return { workers: p.workers, speedup: Math.round(p.speedup * 1000) / 1000, series: p.series ?? "measured" };
  });
  const cores = opts.cores ?? os.availableParallelism();
  if (checkFinite("opts.cores", cores) < 1) throw new RangeError("opts.cores must be >= 1");
  const maxWorkers = Math.max(cores, ...values.map((v) => v.workers));
  const IDEAL = "ideal";
  const ideal = [
    { workers: 1, speedup: 1, series: IDEAL },
    { workers: maxWorkers, speedup: maxWorkers, series: IDEAL },
  ];
  const series = [...new Set(values.map((v) => v.series))];
  const x = {
    field: "workers", type: "quantitative" as const, title: "workers (threads or processes)",
    scale: { domainMin: 0 }, axis: { tickMinStep: 1, labelExpr: INTEGER_LABELS },
  };
  const y = { field: "speedup", type: "quantitative" as const, title: "speedup (× faster than 1 worker)", scale: { domainMin: 0 } };
  // The ideal line is always grey; measured series take the usual palette.
  const color = {
    field: "series", type: "nominal" as const, title: "series",
    scale: { domain: [IDEAL, ...series], range: ["#999999", KIND_COLORS.running, ...EXTRA_COLORS] },
  };

  return {
    $schema: SCHEMA,
    title: opts.title ?? "Speedup vs workers",
    width: opts.width ?? WIDTH,
    height: 300,
    data: { values },
    usermeta: { summary: textTable(values, ["series", "workers", "speedup"]) + `\ncores: ${cores}` },
    layer: [
      {
        data: { values: ideal },
        mark: { type: "line", strokeDash: [6, 4] },
        encoding: { x, y, color },
      },
      {
        mark: { type: "line", point: true, tooltip: true },
        encoding: { x, y, color },
      },
      {
        data: { values: [{ cores }] },
        layer: [
          { mark: { type: "rule", color: "#e45756", strokeWidth: 1.5 }, encoding: { x: { field: "cores", type: "quantitative" } } },
          {
            mark: { type: "text", align: "center", baseline: "bottom", dy: -2, color: "#e45756" },
            encoding: { x: { field: "cores", type: "quantitative" }, y: { value: 0 }, text: { value: `${cores} cores` } },
          },
        ],
      },
    ],
  };
}

/**
 * A histogram of repeated results (e.g. the final value of a shared counter
 * over many race runs), with a rule at the `expected` value: every run off the
 * rule lost updates.
 *
 * @example
 * ```ts
 * import { distributionChart, show } from "concurrency-lab";
 * await show(distributionChart([200000, 187342, 200000, 164003], { expected: 200000, valueTitle: "final counter" }));
 * ```
 */
export function distributionChart(
  values: number[],
  opts: { expected?: number; title?: string; valueTitle?: string; maxBins?: number; width?: number } = {},
): Chart {
  checkNonEmpty("values", values);
  values.forEach((v, i) => checkFinite(`values[${i}]`, v));
  if (opts.expected !== undefined) checkFinite("opts.expected", opts.expected);
  const maxBins = opts.maxBins ?? 30;
  if (!Number.isInteger(maxBins) || maxBins < 2) throw new RangeError(`opts.maxBins must be an integer >= 2, got ${maxBins}`);
  const valueTitle = opts.valueTitle ?? "value";
  const sorted = [...values].sort((a, b) => a - b);
  // Bin over the data and the expected value; widen a single-point range so binning has a width.
  let lo = Math.min(sorted[0], opts.expected ?? Infinity);
  let hi = Math.max(sorted[sorted.length - 1], opts.expected ?? -Infinity);
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const median = sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const stats: Record<string, string | number>[] = [
    { statistic: "runs", value: values.length },
    { statistic: "min", value: sorted[0] },
    { statistic: "median", value: median },
    { statistic: "max", value: sorted[sorted.length - 1] },
  ];
  if (opts.expected !== undefined) {
    const hits = values.filter((v) => v === opts.expected).length;
    stats.push({ statistic: "expected", value: opts.expected }, { statistic: "runs at expected", value: `${hits} of ${values.length}` });
  }
  const expectedLayer = opts.expected === undefined
    ? []
    : [
        {
          data: { values: [{ expected: opts.expected }] },
          layer: [
            { mark: { type: "rule" as const, color: "#e45756", strokeWidth: 2 }, encoding: { x: { field: "expected", type: "quantitative" as const } } },
            {
              mark: { type: "text" as const, align: "center" as const, baseline: "bottom" as const, dy: -2, color: "#e45756" },
              encoding: { x: { field: "expected", type: "quantitative" as const }, y: { value: 0 }, text: { value: `expected ${opts.expected}` } },
            },
          ],
        },
      ];

  return {
    $schema: SCHEMA,
    title: opts.title ?? `Distribution of ${valueTitle} over ${values.length} runs`,
    width: opts.width ?? WIDTH,
    height: 250,
    data: { values: values.map((value) => ({ value })) },
    usermeta: { summary: textTable(stats, ["statistic", "value"]) },
    layer: [
      {
        mark: { type: "bar", color: KIND_COLORS.running, tooltip: true },
        encoding: {
          x: { field: "value", type: "quantitative", bin: { maxbins: maxBins, extent: [lo, hi] }, title: valueTitle },
          y: { aggregate: "count", type: "quantitative", title: "runs (count)", axis: { tickMinStep: 1, labelExpr: INTEGER_LABELS } },
        },
      },
      ...expectedLayer,
    ],
  };
}
