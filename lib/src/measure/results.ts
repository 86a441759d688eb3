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
import type { Experiment } from "./experiment-result";
import { machineInfo } from "./machine";

const KEY = Symbol.for("concurrency-lab.results");
const VALUES_KEY = Symbol.for("concurrency-lab.recorded-values");

/** One collection per kernel, even if the lib were loaded twice. */
function store(): Map<string, Experiment> {
  const g = globalThis as unknown as Record<symbol, Map<string, Experiment> | undefined>;
  return (g[KEY] ??= new Map());
}

function valueStore(): Map<string, RecordedValues> {
  const g = globalThis as unknown as Record<symbol, Map<string, RecordedValues> | undefined>;
  return (g[VALUES_KEY] ??= new Map());
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
  valueStore().clear();
}

/** Measured values that are not a timing comparison (memory per process, lost updates, ...). */
export interface RecordedValues {
  kind: "values";
  id: string;
  question: string;
  /** Unit of every value ("MB PSS", "lost updates", "ms"). */
  unit: string;
  values: { name: string; value: number; estimate: string | null; note: string | null }[];
  /** The sentence about them, computed by the notebook's code from the values, or null. */
  verdict: string | null;
  machine: Record<string, unknown>;
  recordedAt: string;
}

/**
 * Adds (or replaces, by id) measured values that are not a timing comparison
 * to the collection, so that the summary and the results JSON carry them too.
 * A value given as `{ value, estimate: "how" }` is an extrapolation and is
 * flagged "estimate" wherever it is shown. `verdict`, if given, must be
 * computed from the values by code, never typed.
 *
 * @example
 * ```ts
 * import { recordValues, processMemory } from "concurrency-lab";
 * recordValues({
 *   id: "memory", question: "Memory of one worker", unit: "MB PSS",
 *   values: { "worker thread": 9.1, "child process": processMemory(process.pid).mb },
 * });
 * ```
 */
export function recordValues(opts: {
  id: string;
  question: string;
  unit: string;
  values: Record<string, number | { value: number; estimate?: string; note?: string }>;
  verdict?: string;
}): RecordedValues {
  if (typeof opts !== "object" || opts === null) throw new TypeError("recordValues: options must be an object");
  for (const k of ["id", "question", "unit"] as const) {
    if (typeof opts[k] !== "string" || opts[k] === "") throw new TypeError(`recordValues: ${k} must be a non-empty string`);
  }
  if (typeof opts.values !== "object" || opts.values === null || Object.keys(opts.values).length === 0) {
    throw new TypeError("recordValues: values must be a non-empty object of numbers");
  }
  const values = Object.entries(opts.values).map(([name, v]) => {
    const x = typeof v === "number" ? { value: v } : v;
    if (typeof x?.value !== "number" || !Number.isFinite(x.value)) throw new TypeError(`recordValues: value of "${name}" must be a finite number`);
    return { name, value: x.value, estimate: x.estimate ?? null, note: x.note ?? null };
  });
  const m = machineInfo();
  const entry: RecordedValues = {
    kind: "values", id: opts.id, question: opts.question, unit: opts.unit, values, verdict: opts.verdict ?? null,
    machine: { cores: m.cores, cpuModel: m.cpuModel, node: m.node, platform: m.platform, arch: m.arch },
    recordedAt: new Date().toISOString(),
  };
  valueStore().set(entry.id, entry);
  return entry;
}

/**
 * The values recorded with {@link recordValues}, in the order first recorded.
 *
 * @example
 * ```ts
 * import { recordedValues } from "concurrency-lab";
 * recordedValues().map((r) => r.id);
 * ```
 */
export function recordedValues(): RecordedValues[] {
  return [...valueStore().values()];
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
  /** Measured values that are not timing comparisons ({@link recordValues}). */
  values: RecordedValues[];
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
    values: recordedValues(),
  };
  const path = join(dir, `${name}.results.json`);
  await writeFile(path, JSON.stringify(file, null, 2) + "\n");
  return path;
}
