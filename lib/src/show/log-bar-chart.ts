/**
 * Bars on a logarithmic axis, for values that span orders of magnitude: a
 * promise hop of half a microsecond beside a process round trip of a hundred,
 * a Python thread's start-up beside a spawned process's. On a linear axis the
 * small ones are invisible; on a log axis each factor of 10 gets the same room.
 */
import type { TopLevelSpec } from "vega-lite";
import { formatNumber, KIND_COLORS } from "./charts";
import { textTable } from "./table";

/** One bar of {@link logBarChart}. */
export interface LogBar {
  label: string;
  /** Must be > 0: a log axis has no zero. */
  value: number;
  /** Groups bars by colour, e.g. "Node.js" vs "Python". */
  series?: string;
  /** "suspect" draws the bar grey and says so; "estimate" draws it light and says so. */
  flag?: "suspect" | "estimate";
}

/** Options of {@link logBarChart}. */
export interface LogBarChartOptions {
  title?: string;
  /** Unit of the values, shown after each value and on the axis (default "ms"). */
  unit?: string;
  /** Axis title (the unit and "log scale" are appended); default "time". */
  valueTitle?: string;
  /** Title of the label axis; default none. */
  labelTitle?: string;
  width?: number;
}

const FLAG_COLORS = { suspect: "#bdbdbd", estimate: "#9ecae9" } as const;

/**
 * One horizontal bar per label on a log-10 axis, each labelled with its value
 * (and "suspect" or "estimate" when flagged). Bars start at a power of ten
 * below the smallest value, so every bar has a visible length and each
 * factor of 10 between two bars is the same distance.
 *
 * @example
 * ```ts
 * import { logBarChart, show } from "concurrency-lab";
 * await show(logBarChart([
 *   { label: "await a resolved promise", value: 0.4 },
 *   { label: "worker thread round trip", value: 45 },
 *   { label: "child process round trip", value: 80 },
 * ], { unit: "µs", title: "One hand-over and back" }));
 * ```
 */
export function logBarChart(bars: readonly LogBar[], opts: LogBarChartOptions = {}): TopLevelSpec {
  if (!Array.isArray(bars) || bars.length === 0) throw new RangeError("logBarChart: bars must be a non-empty array");
  bars.forEach((b, i) => {
    if (typeof b?.label !== "string") throw new TypeError(`logBarChart: bars[${i}].label must be a string`);
    if (typeof b.value !== "number" || !Number.isFinite(b.value) || b.value <= 0) {
      throw new RangeError(`logBarChart: bars[${i}].value must be a finite number > 0 (a log axis has no zero), got ${String(b.value)}`);
    }
  });
  const unit = opts.unit ?? "ms";
  const grouped = bars.some((b) => b.series !== undefined);
  const min = Math.min(...bars.map((b) => b.value));
  const max = Math.max(...bars.map((b) => b.value));
  // A decade lower when the smallest value sits just above a power of ten (0.101 s), or its bar has no length.
  const decade = 10 ** Math.floor(Math.log10(min));
  const base = min < 2 * decade ? decade / 10 : decade;
  const top = 10 ** Math.ceil(Math.log10(max) + 0.35); // room for the value labels
  const values = bars.map((b) => ({
    label: b.label,
    series: b.series ?? "",
    value: b.value,
    base,
    flag: b.flag ?? "",
    text: `${formatNumber(b.value)} ${unit}${b.flag ? `  ${b.flag}` : ""}`,
  }));
  const y = { field: "label", type: "nominal" as const, title: opts.labelTitle ?? null, sort: null };
  const color = grouped
    ? { field: "series", type: "nominal" as const, title: "series", sort: null }
    : { value: KIND_COLORS.running };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: opts.title ?? "Values on a log scale",
    width: opts.width ?? 600,
    data: { values },
    usermeta: {
      summary: textTable(values.map((v) => ({ label: v.label, series: v.series, value: v.text })), grouped ? ["label", "series", "value"] : ["label", "value"]),
    },
    encoding: { y, ...(grouped ? { yOffset: { field: "series", type: "nominal" as const, sort: null } } : {}) },
    layer: [
      {
        mark: { type: "bar", tooltip: true },
        encoding: {
          x: {
            field: "value", type: "quantitative", title: `${opts.valueTitle ?? "time"} (${unit}, log scale)`,
            scale: { type: "log", domain: [base, top], nice: false },
          },
          x2: { field: "base" },
          color,
          opacity: { condition: { test: "datum.flag !== ''", value: 0.45 }, value: 1 },
          stroke: { condition: { test: "datum.flag === 'suspect'", value: FLAG_COLORS.suspect }, value: null },
          strokeDash: { condition: { test: "datum.flag !== ''", value: [4, 2] }, value: [] },
        },
      },
      {
        mark: { type: "text", align: "left", baseline: "middle", dx: 3, fontSize: 11 },
        encoding: { x: { field: "value", type: "quantitative" }, text: { field: "text", type: "nominal" } },
      },
    ],
  } as TopLevelSpec;
}
