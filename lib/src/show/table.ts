/**
 * Tables: the numbers behind a chart, or a summary, as one notebook output
 * with an HTML table (JupyterLab and the HTML/PDF handouts, where it wraps
 * cleanly) and an aligned text table (terminals, diffs).
 */
import { displayBundle } from "./display";

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * One row with nested plain objects spread into dotted columns:
 * `{ way: "gather", ms: { min: 1, max: 2 } }` -> `{ way, "ms.min", "ms.max" }`.
 */
function flatten(row: Record<string, unknown>, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    const name = prefix + key;
    if (isPlainObject(value) && Object.keys(value).length > 0) flatten(value, `${name}.`, out);
    else out[name] = value;
  }
  return out;
}

/** The text of one cell; a value with no readable text is a TypeError naming its column. */
function cell(x: unknown, column: string): string {
  if (typeof x === "number") return Number.isInteger(x) ? String(x) : String(Math.round(x * 1000) / 1000);
  if (x === undefined || x === null) return "";
  if (x instanceof Date) return x.toISOString();
  if (Array.isArray(x)) {
    return x.map((item, i) => cell(item, `${column}[${i}]`)).join(", ");
  }
  if (isPlainObject(x)) {
    if (Object.keys(x).length === 0) return ""; // an empty object: nothing to spread
    throw new TypeError(`column "${column}" holds an object inside a list: make a row (or a column) of each, or pick its fields first`);
  }
  const text = String(x);
  if (/^\[object \w+\]$/.test(text)) {
    throw new TypeError(
      `column "${column}" holds ${text}, which has no readable text: pass a plain object (its fields become columns "${column}.…"), or convert it to a string or number first`,
    );
  }
  return text;
}

/** Rows flattened, the columns to show (given, or every field in order of first appearance), numeric columns, cell texts. */
function layout(rows: readonly Record<string, unknown>[], columns?: readonly string[]) {
  const flat = rows.map((r, i) => {
    if (typeof r !== "object" || r === null) throw new TypeError(`row ${i} must be an object, got ${String(r)}`);
    return flatten(r);
  });
  const all = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  // A column named as given, or a nested object's name standing for its spread columns.
  const cols = columns === undefined ? all : columns.flatMap((c) => {
    if (all.includes(c)) return [c];
    const spread = all.filter((k) => k.startsWith(`${c}.`));
    return spread.length > 0 ? spread : [c];
  });
  const blank = (x: unknown) => x === undefined || x === null;
  const numeric = cols.map((c) => flat.some((r) => typeof r[c] === "number") && flat.every((r) => blank(r[c]) || typeof r[c] === "number"));
  const cells = flat.map((r) => cols.map((c) => cell(r[c], c)));
  return { cols, numeric, cells };
}

/**
 * Formats rows as an aligned text table: text left-aligned, numbers
 * right-aligned with at most three decimals. Nested plain objects are spread
 * into dotted columns ("ms.median"); a value with no readable text (a class
 * instance printing as "[object Object]") is a TypeError naming its column.
 * `columns` picks and orders the fields (a nested object's name picks all its
 * columns); default: every field, in order of first appearance.
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
  const { cols, numeric, cells } = layout(rows, columns);
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
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
 * a terminal. Text columns are left-aligned and numbers right-aligned in both
 * (set on each cell, since notebook styles right-align every cell). A plain
 * object shows as two columns, property and value. Nested plain objects are
 * spread into dotted columns ("ms.median"); a value with no readable text is
 * a TypeError naming its column. `columns` picks and orders the fields;
 * default: every field, in order of first appearance.
 *
 * @example
 * ```ts
 * import { showTable } from "concurrency-lab";
 * showTable([{ strategy: "threads", seconds: 1.16 }, { strategy: "async", seconds: 1.01 }]);
 * showTable({ cores: 2, node: process.version });
 * showTable([{ way: "gather", ms: { min: 101, median: 103 } }]); // columns way, ms.min, ms.median
 * ```
 */
export function showTable(
  data: readonly Record<string, unknown>[] | Record<string, unknown>,
  columns?: readonly string[],
): void {
  const rows = rowsOf(data);
  if (rows.length === 0) throw new RangeError("showTable: data must not be empty");
  const { cols, numeric, cells } = layout(rows, columns);
  const align = (i: number) => ` style="text-align:${numeric[i] ? "right" : "left"}"`;
  const tr = (texts: readonly string[], tag: "th" | "td") =>
    `<tr>${texts.map((c, i) => `<${tag}${align(i)}>${escapeHtml(c)}</${tag}>`).join("")}</tr>`;
  const html = `<table>${tr(cols, "th")}${cells.map((r) => tr(r, "td")).join("")}</table>`;
  displayBundle({ "text/html": html, "text/plain": textTable(rows, cols) });
}
