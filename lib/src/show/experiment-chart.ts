/**
 * Showing experiments: the chart and verdict of one comparison, and the
 * closing summary of a notebook drawn from the results collection.
 *
 * Suspect values (beyond their bound, or too noisy to tell) are drawn grey and
 * labelled "suspect"; extrapolated values light and labelled "estimate"; the
 * summary lists both flagged, never as evidence.
 */
import type { TopLevelSpec } from "vega-lite";
import type { Experiment } from "../measure/experiment";
import { recordedValues, results } from "../measure/results";
import { formatMs, formatRatio, type RatioResult, type VariantStats } from "../measure/verdict";
import { displayBundle } from "./display";
import { show } from "./show";
import { showTable, textTable } from "./table";
import { textWidth } from "./text-metrics";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
/**
 * Fill per status: measured blue, estimate light blue, suspect grey.
 *
 * @example
 * ```ts
 * import { STATUS_COLORS } from "concurrency-lab";
 * STATUS_COLORS.suspect; // "#bdbdbd"
 * ```
 */
export const STATUS_COLORS: Readonly<Record<string, string>> = { measured: "#4c78a8", estimate: "#9ecae9", suspect: "#bdbdbd" };
const BOUND_COLOR = "#e45756";

function checkExperiment(e: unknown): asserts e is Experiment {
  const x = e as Experiment;
  if (typeof x !== "object" || x === null || typeof x.id !== "string" || typeof x.variants !== "object" || !Array.isArray(x.order)) {
    throw new TypeError("expected the result of experiment()");
  }
}

/** Ratio of a variant against the baseline, or undefined for the baseline. */
function ratioOf(e: Experiment, name: string): RatioResult | undefined {
  return e.ratios.find((r) => r.variant === name);
}

/**
 * "suspect", "estimate" or "measured" for a variant of an experiment.
 *
 * @example
 * ```ts
 * import { experimentFromSamples, variantStatus } from "concurrency-lab";
 * const e = experimentFromSamples({ id: "s", question: "?", collect: false, variants: { seq: [300, 300, 300], pool: [100, 100, 100] },
 *   bounds: { pool: { ceiling: 1.5, why: "3 tasks on 2 workers" } } });
 * variantStatus(e, "pool"); // "suspect": 3x is beyond 1.5x
 * ```
 */
export function variantStatus(e: Experiment, name: string): "suspect" | "estimate" | "measured" {
  const v = e.variants[name]!;
  if (v.suspect || ratioOf(e, name)?.suspect) return "suspect";
  if (v.estimate) return "estimate";
  return "measured";
}

function boundText(v: VariantStats): string {
  const parts: string[] = [];
  if (v.bound?.ceiling !== undefined) parts.push(`<= ${formatRatio(v.bound.ceiling)}`);
  if (v.bound?.floorMs !== undefined) parts.push(`>= ${formatMs(v.bound.floorMs)}`);
  if (v.bound?.unbounded) parts.push("none (no physical bound)");
  return parts.join(", ");
}

/** The fastest time a variant's bound allows, in ms, if it has one. */
function boundMs(e: Experiment, v: VariantStats): number | null {
  const limits: number[] = [];
  if (v.bound?.floorMs !== undefined) limits.push(v.bound.floorMs);
  if (v.bound?.ceiling !== undefined) limits.push(e.variants[e.baseline]!.medianMs / v.bound.ceiling);
  return limits.length ? Math.max(...limits) : null;
}

/**
 * Rows of the per-variant table of an experiment (what `showExperiment` shows under the chart).
 *
 * @example
 * ```ts
 * import { experimentFromSamples, experimentRows, showTable } from "concurrency-lab";
 * showTable(experimentRows(experimentFromSamples({ id: "t", question: "?", collect: false, variants: { a: [10, 11], b: [5, 6] } })));
 * ```
 */
export function experimentRows(e: Experiment): Record<string, string | number>[] {
  checkExperiment(e);
  return e.order.map((name) => {
    const v = e.variants[name]!;
    const r = ratioOf(e, name);
    const status = variantStatus(e, name);
    return {
      variant: name,
      median: formatMs(v.medianMs),
      "min - max": `${formatMs(v.minMs)} - ${formatMs(v.maxMs)}`,
      spread: `${(v.spread * 100).toFixed(0)}%`,
      "CPU / run": v.cpuMs === null ? "unknown" : formatMs(v.cpuMs),
      "cores busy": v.coresBusy === null ? "unknown" : v.coresBusy.toFixed(2),
      [`vs ${e.baseline}`]: r ? formatRatio(r.speedup) : "baseline",
      bound: boundText(v),
      flag: status === "measured" ? "" : status,
    };
  });
}

/** Options of {@link experimentChart} and {@link showExperiment}. */
export interface ExperimentChartOptions {
  title?: string;
  width?: number;
  /** "log": a logarithmic time axis, for variants that differ by orders of magnitude (default "linear"). */
  scale?: "linear" | "log";
}

/** The log-axis layout: where the bars start, where the axis ends (label room included). */
function logDomain(values: readonly { median: number; min: number; bound: number | null; labelAt: number; text: string }[], width: number): [number, number] {
  const positive = values.flatMap((v) => [v.median, v.min, v.bound ?? Infinity]).filter((x) => x > 0 && Number.isFinite(x));
  const smallest = positive.length ? Math.min(...positive) : 1;
  // A decade lower when the smallest value sits just above a power of ten, or its bar has no length.
  const base = 10 ** (Math.floor(Math.log10(smallest)) - (smallest < 2 * 10 ** Math.floor(Math.log10(smallest)) ? 1 : 0));
  const lb = Math.log10(base);
  // Label right of labelAt: (top - L) / (top - lb) >= f, f = label width share of the axis.
  const top = Math.max(
    Math.log10(base) + 1,
    ...values.map((v) => {
      const l = Math.log10(Math.max(v.labelAt, base));
      const f = Math.min(0.7, (textWidth(v.text, { fontSize: 11 }) + 12) / width);
      return (l - f * lb) / (1 - f);
    }),
  );
  return [base, 10 ** top];
}

/**
 * The chart of one experiment: a bar per variant at its median, a line from
 * its fastest to its slowest run, a red tick at the fastest time its bound
 * allows (the floor, or the baseline's time over the speed-up ceiling).
 * Suspect bars are grey and labelled "suspect"; estimates are light and
 * labelled "estimate". With `scale: "log"` the time axis is logarithmic (each
 * factor of 10 gets the same room), for variants whose times differ by orders
 * of magnitude: a copied buffer beside a transferred one, 10 s beside 0.1 s.
 *
 * @example
 * ```ts
 * import { experiment, experimentChart, show } from "concurrency-lab";
 * const e = await experiment({ id: "demo", question: "Which is faster?", variants: { a: () => 1, b: () => 2 } });
 * await show(experimentChart(e));
 * await show(experimentChart(e, { scale: "log" }));
 * ```
 */
export function experimentChart(e: Experiment, opts: ExperimentChartOptions = {}): TopLevelSpec {
  checkExperiment(e);
  const all = e.order.map((n) => e.variants[n]!);
  const maxMs = Math.max(...all.map((v) => v.maxMs), ...all.map((v) => boundMs(e, v) ?? 0));
  const unit = maxMs >= 2000 ? "s" : "ms";
  const k = unit === "s" ? 1 / 1000 : 1;
  const log = opts.scale === "log";
  // A log axis needs significant digits, not fixed decimals (0.0004 ms must not become 0).
  const round = (x: number) => (log ? Number((x * k).toPrecision(4)) : Math.round(x * k * 1000) / 1000);
  const values = e.order.map((name) => {
    const v = e.variants[name]!;
    const status = variantStatus(e, name);
    const r = ratioOf(e, name);
    // The label follows the verdict's outcome: within the "no gain" band a 0.91x is not "1.10x slower".
    const ratio = !r ? "" : r.outcome === "no gain" ? ` (no gain, ${formatRatio(r.speedup)})`
      : r.speedup >= 1 ? ` (${formatRatio(r.speedup)} faster)` : ` (${formatRatio(1 / r.speedup)} slower)`;
    const b = boundMs(e, v);
    return {
      variant: name,
      median: round(v.medianMs),
      min: round(v.minMs),
      max: round(v.maxMs),
      bound: b === null ? null : round(b),
      labelAt: round(Math.max(v.maxMs, b ?? 0)),
      status,
      text: `${formatMs(v.medianMs)}${ratio}${status === "measured" ? "" : `  ${status}`}`,
    };
  });
  const bounds = values.filter((v) => v.bound !== null);
  // Room right of each bar for its label: labelAt / domainMax * width + label width <= width.
  const width = opts.width ?? 600;
  const domainMax = Math.max(
    ...values.map((v) => {
      const room = width - textWidth(v.text, { fontSize: 11 }) - 12;
      return room > width * 0.25 ? (v.labelAt * width) / room : v.labelAt * 4;
    }),
  ) || 1;
  const [logBase, logTop] = log ? logDomain(values, width) : [0, 0];
  if (log) for (const v of values) { v.min = Math.max(v.min, logBase); v.median = Math.max(v.median, logBase); }
  const statuses = Object.keys(STATUS_COLORS).filter((s) => values.some((v) => v.status === s));
  const y = { field: "variant", type: "nominal" as const, title: null, sort: e.order, axis: { labelLimit: 300 } };
  const x = log
    ? { field: "median", type: "quantitative" as const, title: `time per run (${unit}, log scale), median of ${e.rounds} rounds`,
        scale: { type: "log" as const, domain: [logBase, logTop], nice: false } }
    : { field: "median", type: "quantitative" as const, title: `time per run (${unit}), median of ${e.rounds} rounds`, scale: { domainMin: 0, domainMax } };
  const subtitle = [
    `line: fastest to slowest run${bounds.length ? "; red tick: fastest time the bound allows" : ""}`,
    e.noise.known ? `other programs: ${e.noise.otherCores.toFixed(2)} cores, steal ${(e.noise.stealShare * 100).toFixed(1)}%` : "machine noise: unknown",
  ];
  return {
    $schema: SCHEMA,
    title: { text: opts.title ?? e.question, subtitle },
    width,
    height: { step: 34 },
    data: { values },
    usermeta: { summary: textTable(experimentRows(e)) + "\n" + e.verdict + "\n" + e.noiseText },
    layer: [
      {
        mark: { type: "bar", tooltip: true, height: { band: 0.6 } },
        encoding: {
          y,
          x,
          // On a log axis a bar cannot start at 0: it starts at the axis' first power of ten.
          ...(log ? { x2: { datum: logBase } } : {}),
          color: { field: "status", type: "nominal", title: null, scale: { domain: statuses, range: statuses.map((s) => STATUS_COLORS[s]!) } },
          strokeDash: { condition: { test: "datum.status !== 'measured'", value: [4, 2] }, value: [] },
          stroke: { condition: { test: "datum.status === 'suspect'", value: "#636363" }, value: null },
        },
      },
      {
        mark: { type: "rule", color: "#333", strokeWidth: 1.5 },
        encoding: { y, x: { field: "min", type: "quantitative" }, x2: { field: "max" } },
      },
      {
        mark: { type: "text", align: "left", baseline: "middle", dx: 4, fontSize: 11 },
        encoding: { y, x: { field: "labelAt", type: "quantitative" }, text: { field: "text", type: "nominal" } },
      },
      ...(bounds.length
        ? [{
            data: { values: bounds },
            mark: { type: "tick" as const, color: BOUND_COLOR, thickness: 3, bandSize: 26 },
            encoding: { y, x: { field: "bound", type: "quantitative" as const } },
          }]
        : []),
    ],
  } as TopLevelSpec;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Shows one experiment: its chart, a table of its numbers and its verdict
 * (with the machine noise of the run), as notebook outputs. `scale: "log"`
 * draws the chart on a logarithmic time axis (see {@link experimentChart}).
 *
 * @example
 * ```ts
 * import { experiment, showExperiment, sleep } from "concurrency-lab";
 * const e = await experiment({
 *   id: "sleeps", question: "Two sleeps: one after the other or together?",
 *   variants: { sequential: async () => { await sleep(50); await sleep(50); }, together: () => Promise.all([sleep(50), sleep(50)]) },
 *   bounds: { together: { floorMs: 50, why: "one 50 ms wait" } },
 * });
 * await showExperiment(e);
 * ```
 */
export async function showExperiment(e: Experiment, opts: { table?: boolean; title?: string; scale?: "linear" | "log" } = {}): Promise<void> {
  checkExperiment(e);
  await show(experimentChart(e, { title: opts.title, scale: opts.scale }));
  if (opts.table !== false) showTable(experimentRows(e));
  const lines = e.verdict.split("\n");
  const html = `<div><p><b>Verdict</b> (${escapeHtml(e.id)}, ${e.rounds} rounds)</p><ul>` +
    lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("") + `</ul><p><i>${escapeHtml(e.noiseText)}</i></p></div>`;
  displayBundle({ "text/html": html, "text/plain": `Verdict (${e.id}, ${e.rounds} rounds):\n${lines.map((l) => `- ${l}`).join("\n")}\n${e.noiseText}` });
}

/** A value for a table: at most three significant decimals. */
function formatValue(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

/** Short outcome for the summary. */
function outcomeText(r: RatioResult): string {
  switch (r.outcome) {
    case "faster": return `${formatRatio(r.speedup)} faster`;
    case "slower": return `${formatRatio(1 / r.speedup)} slower`;
    case "no gain": return "no gain";
    case "too noisy": return "too noisy to tell";
    case "beyond bound": return "beyond its bound";
  }
}

/**
 * One row per variant of every collected experiment: measured time, ratio
 * against the baseline with its bound, flag and verdict. Suspect rows say
 * "not evidence".
 *
 * @example
 * ```ts
 * import { summaryRows } from "concurrency-lab";
 * summaryRows().filter((r) => r.flag === "");
 * ```
 */
export function summaryRows(list: readonly Experiment[] = results()): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const e of list) {
    checkExperiment(e);
    for (const name of e.order) {
      const v = e.variants[name]!;
      const r = ratioOf(e, name);
      const status = variantStatus(e, name);
      const flags = [v.estimate ? "estimate" : "", status === "suspect" ? "SUSPECT, not evidence" : ""].filter(Boolean);
      let verdict = r ? outcomeText(r) : "baseline";
      if (!r && v.bound?.floorMs !== undefined) verdict = v.suspect ? "below its floor" : `${formatMs(v.medianMs - v.bound.floorMs)} above floor`;
      else if (r && v.bound?.floorMs !== undefined && !v.suspect && r.outcome !== "too noisy") {
        verdict += `; ${formatMs(Math.max(0, v.medianMs - v.bound.floorMs))} above floor`;
      }
      rows.push({
        comparison: e.id,
        variant: name,
        time: formatMs(v.medianMs),
        [`ratio`]: r ? `${formatRatio(r.speedup)} vs ${e.baseline}` : "",
        bound: boundText(v) || (r ? "none given" : ""),
        flag: flags.join(", "),
        verdict,
      });
    }
  }
  return rows;
}

/**
 * Draws the closing summary table of the notebook from the results
 * collection (never typed by hand), then lists what is not evidence and why.
 *
 * @example
 * ```ts
 * import { showSummary, saveResults } from "concurrency-lab";
 * await saveResults("01-threads-processes-async");
 * await showSummary();
 * ```
 */
export async function showSummary(opts: { ids?: string[] } = {}): Promise<void> {
  const list = results().filter((e) => !opts.ids || opts.ids.includes(e.id));
  const values = recordedValues().filter((r) => !opts.ids || opts.ids.includes(r.id));
  if (list.length === 0 && values.length === 0) {
    displayBundle({ "text/plain": "No experiments collected yet: run the cells above first." });
    return;
  }
  if (list.length) showTable(summaryRows(list), ["comparison", "variant", "time", "ratio", "bound", "flag", "verdict"]);
  if (values.length) {
    showTable(
      values.flatMap((r) => r.values.map((v) => ({
        measurement: r.id, name: v.name, value: `${formatValue(v.value)} ${r.unit}`, flag: v.estimate ? "estimate" : "", note: v.note ?? "",
      }))),
      ["measurement", "name", "value", "flag", "note"],
    );
    const said = values.filter((r) => r.verdict);
    if (said.length) {
      displayBundle({
        "text/html": `<ul>${said.map((r) => `<li>${escapeHtml(`${r.id}: ${r.verdict}`)}</li>`).join("")}</ul>`,
        "text/plain": said.map((r) => `- ${r.id}: ${r.verdict}`).join("\n"),
      });
    }
  }
  const notes = list.flatMap((e) => [
    ...e.ratios.filter((r) => r.suspect).map((r) => `${e.id} / ${r.variant}: ${r.reason}`),
    ...e.order.filter((n) => e.variants[n]!.suspect && !e.ratios.some((r) => r.suspect && r.reason?.includes(e.variants[n]!.reason!)))
      .map((n) => `${e.id} / ${n}: ${e.variants[n]!.reason}`),
    ...e.order.filter((n) => e.variants[n]!.estimate).map((n) => `${e.id} / ${n} is an estimate: ${e.variants[n]!.estimate}`),
  ]).concat(values.flatMap((r) => r.values.filter((v) => v.estimate).map((v) => `${r.id} / ${v.name} is an estimate: ${v.estimate}`)));
  if (notes.length) {
    displayBundle({
      "text/html": `<p><b>Flagged</b> (not evidence, or extrapolated):</p><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`,
      "text/plain": `Flagged (not evidence, or extrapolated):\n${notes.map((n) => `- ${n}`).join("\n")}`,
    });
  }
}
