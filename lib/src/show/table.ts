/**
 * Tables: the numbers behind a chart, or a summary, as one notebook output
 * with an HTML table (JupyterLab and the HTML/PDF handouts, where it wraps
 * cleanly) and an aligned text table (terminals, diffs).
 */
import { displayBundle } from "./display";

function cell(x: unknown): string {
  if (typeof x === "number") return Number.isInteger(x) ? String(x) : String(Math.round(x * 1000) / 1000);
  return x === undefined || x === null ? "" : String(x);
}

/**
 * Formats rows as an aligned text table (numbers right-aligned, at most three
 * decimals). `columns` picks and orders the fields; default: the keys of the first row.
 *
 * @example
 * ```ts
 * import { textTable } from "concurrency-lab";
 * console.log(textTable([{ strategy: "threads", seconds: 1.234567 }, { strategy: "sequential", seconds: 4 }]));
 * // strategy    seconds
 * // threads       1.235
 * // sequential        4
 * ```
 */
export function textTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  if (!Array.isArray(rows)) throw new TypeError("rows must be an array of objects");
  if (rows.length === 0) return "(no rows)";
  const cols = columns ?? Object.keys(rows[0]);
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const numeric = cols.map((c) => rows.every((r) => typeof r[c] === "number"));
  const line = (row: readonly string[]) =>
    row.map((text, i) => (numeric[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(cols), ...cells.map(line)].join("\n");
}

/** Rows as given, or a plain record as two columns: property and value. */
function rowsOf(data: readonly Record<string, unknown>[] | Record<string, unknown>): Record<string, unknown>[] {
  if (Array.isArray(data)) return [...data];
  if (typeof data === "object" && data !== null) return Object.entries(data).map(([property, value]) => ({ property, value }));
  throw new TypeError("showTable: data must be an array of row objects or a plain object");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Shows rows as a table: HTML in a notebook and its handouts, aligned text in
 * a terminal. A plain object shows as two columns, property and value.
 * `columns` picks and orders the fields; default: the keys of the first row.
 *
 * @example
 * ```ts
 * import { showTable } from "concurrency-lab";
 * showTable([{ strategy: "threads", seconds: 1.16 }, { strategy: "async", seconds: 1.01 }]);
 * showTable({ cores: 2, node: process.version });
 * ```
 */
export function showTable(
  data: readonly Record<string, unknown>[] | Record<string, unknown>,
  columns?: readonly string[],
): void {
  const rows = rowsOf(data);
  if (rows.length === 0) throw new RangeError("showTable: data must not be empty");
  const cols = columns ?? Object.keys(rows[0]!);
  const numeric = cols.map((c) => rows.every((r) => typeof r[c] === "number"));
  const tr = (cells: string[], tag: "th" | "td") =>
    `<tr>${cells.map((c, i) => `<${tag}${tag === "td" && numeric[i] ? ' style="text-align:right"' : ""}>${escapeHtml(c)}</${tag}>`).join("")}</tr>`;
  const html = `<table>${tr([...cols], "th")}${rows.map((r) => tr(cols.map((c) => cell(r[c])), "td")).join("")}</table>`;
  displayBundle({ "text/html": html, "text/plain": textTable(rows, cols) });
}
