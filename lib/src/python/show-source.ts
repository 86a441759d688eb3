/**
 * Showing a program's source in a notebook, highlighted, from the file itself
 * (so the notebook never carries a second copy that can drift from it).
 */
import { readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { displayBundle } from "../show/display";

/** Where {@link showSource} starts and stops: a 1-based line number, or the first line containing the text. */
export type SourceMark = number | string;

/** Options of {@link showSource}. */
export interface ShowSourceOptions {
  /** First line shown (inclusive): a line number from 1, or the first line containing this text. Default: line 1. */
  from?: SourceMark;
  /** Last line shown (inclusive): a line number, or the first line at or after `from` containing this text. Default: the end. */
  to?: SourceMark;
  /** Directory a relative `file` is resolved against (default: this process's cwd). */
  cwd?: string;
}

const LANGUAGES: Record<string, string> = {
  ".py": "python",
  ".ts": "typescript",
  ".js": "javascript",
  ".sh": "bash",
  ".json": "json",
  ".txt": "text",
};

function lineOf(lines: readonly string[], mark: SourceMark, after: number, file: string, which: string): number {
  if (typeof mark === "number") {
    if (!Number.isInteger(mark) || mark < 1 || mark > lines.length) {
      throw new RangeError(`showSource: ${which} = ${mark} is outside ${file} (lines 1-${lines.length})`);
    }
    return mark - 1;
  }
  const i = lines.findIndex((line, n) => n >= after && line.includes(mark));
  if (i < 0) throw new RangeError(`showSource: no line of ${file} contains ${JSON.stringify(mark)} (${which})`);
  return i;
}

/**
 * Displays a source file, or the lines `from`…`to` of it, as a highlighted
 * code block (a markdown output: JupyterLab, the Notebook and the HTML/PDF
 * handouts highlight it) with the plain text beside it for terminals. The
 * common indentation of the shown lines is removed. Returns the text shown.
 *
 * @example
 * ```ts
 * import { showSource } from "concurrency-lab";
 * showSource("python/01_counter_race.py", { from: "def plain", to: "counter += 1" });
 * ```
 */
export function showSource(file: string, opts: ShowSourceOptions = {}): string {
  const path = resolve(opts.cwd ?? process.cwd(), file);
  const lines = readFileSync(path, "utf8").replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n");
  const first = opts.from === undefined ? 0 : lineOf(lines, opts.from, 0, file, "from");
  const last = opts.to === undefined ? lines.length - 1 : lineOf(lines, opts.to, first, file, "to");
  if (last < first) throw new RangeError(`showSource: "to" (line ${last + 1}) is before "from" (line ${first + 1}) in ${file}`);
  const shown = lines.slice(first, last + 1);
  const indent = Math.min(...shown.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length));
  const text = shown.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n");
  const language = LANGUAGES[extname(file).toLowerCase()] ?? "";
  const fence = "`".repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((f) => f.length + 1)));
  const range = opts.from === undefined && opts.to === undefined ? "" : ` (lines ${first + 1}-${last + 1})`;
  displayBundle({
    "text/markdown": `\`${file}\`${range}\n\n${fence}${language}\n${text}\n${fence}`,
    "text/plain": text,
  });
  return text;
}
