/**
 * The results collection: every experiment of this kernel, kept as data.
 *
 * `experiment()` adds each comparison here (re-running a cell replaces the
 * entry with the same id, so there are no duplicates). A notebook's last
 * cells write the collection to `<notebook>.results.json` with
 * {@link saveResults} and draw the closing summary from it with `showSummary`,
 * so no figure in a summary is ever typed by hand.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { Experiment } from "./experiment";

const KEY = Symbol.for("concurrency-lab.results");

/** One collection per kernel, even if the lib were loaded twice. */
function store(): Map<string, Experiment> {
  const g = globalThis as unknown as Record<symbol, Map<string, Experiment> | undefined>;
  return (g[KEY] ??= new Map());
}

/**
 * Adds (or replaces, by id) a comparison in the collection. `experiment()`
 * calls it; call it yourself only for an experiment run with `collect: false`.
 *
 * @example
 * ```ts
 * import { experiment, recordResult } from "concurrency-lab";
 * const e = await experiment({ id: "x", question: "?", variants: { a: () => 1 }, collect: false });
 * recordResult(e);
 * ```
 */
export function recordResult(e: Experiment): void {
  if (typeof e !== "object" || e === null || typeof e.id !== "string") throw new TypeError("recordResult: expected an experiment result");
  store().set(e.id, e);
}

/**
 * The collected comparisons, in the order they were first run.
 *
 * @example
 * ```ts
 * import { results } from "concurrency-lab";
 * results().map((e) => `${e.id}: ${e.suspect ? "suspect" : "ok"}`);
 * ```
 */
export function results(): Experiment[] {
  return [...store().values()];
}

/**
 * Empties the collection (a notebook's first cell may call it so that Run All
 * starts clean).
 *
 * @example
 * ```ts
 * import { clearResults } from "concurrency-lab";
 * clearResults();
 * ```
 */
export function clearResults(): void {
  store().clear();
}

/** The checkout's top folder, when the lib runs from it (lib/dist/measure → ../../..). */
function repoRoot(): string | null {
  const root = resolve(__dirname, "..", "..", "..");
  return existsSync(join(root, "notebooks")) && existsSync(join(root, "lib")) ? root : null;
}

/**
 * Where {@link saveResults} writes: `$CONCURRENCY_LAB_RESULTS_DIR` when set
 * (the handouts tool and the notebook test set it to their output folder),
 * else `<checkout>/build/handouts`, else `./build/handouts`.
 *
 * @example
 * ```ts
 * import { resultsDir } from "concurrency-lab";
 * resultsDir(); // "/home/me/concurrency-lab/build/handouts"
 * ```
 */
export function resultsDir(): string {
  const env = process.env.CONCURRENCY_LAB_RESULTS_DIR;
  if (env) return resolve(env);
  return join(repoRoot() ?? process.cwd(), "build", "handouts");
}

/** The file {@link saveResults} writes. */
export interface ResultsFile {
  notebook: string;
  savedAt: string;
  /** Comparisons that are suspect (beyond a bound or too noisy): listed, never evidence. */
  suspect: string[];
  comparisons: Experiment[];
}

/**
 * Writes the collection to `<dir>/<notebook>.results.json` (dir: {@link resultsDir})
 * and returns the path. `notebook` is the notebook's name, e.g.
 * "02-async-cheatsheet" (a path or ".ipynb" ending is trimmed).
 *
 * @example
 * ```ts
 * import { saveResults } from "concurrency-lab";
 * const path = await saveResults("02-async-cheatsheet");
 * ```
 */
export async function saveResults(notebook: string, opts: { dir?: string } = {}): Promise<string> {
  if (typeof notebook !== "string" || notebook.trim() === "") throw new TypeError("saveResults: notebook must be the notebook's name");
  const name = basename(notebook.trim()).replace(/\.ipynb$/, "");
  const dir = opts.dir ? resolve(opts.dir) : resultsDir();
  await mkdir(dir, { recursive: true });
  const comparisons = results();
  const file: ResultsFile = {
    notebook: name,
    savedAt: new Date().toISOString(),
    suspect: comparisons.filter((c) => c.suspect).map((c) => c.id),
    comparisons,
  };
  const path = join(dir, `${name}.results.json`);
  await writeFile(path, JSON.stringify(file, null, 2) + "\n");
  return path;
}
