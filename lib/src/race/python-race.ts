import { join } from "node:path";
import { PythonRunError, runPython } from "../python/run-python";

/**
 * Our Python side of the GIL section, `lib/python/counter_race.py` (shipped
 * with the package): the document's two-thread counter, and the same loop with
 * a function call between the read and the write. CPython only switches threads
 * at certain points (in 3.10+: on backward jumps and calls, not in the middle of
 * `counter += 1`), so the first variant rarely loses an update there while the
 * second does. Its path, for {@link showSource} or {@link runPython}.
 *
 * @example
 * ```ts
 * import { COUNTER_RACE_PY, showSource } from "concurrency-lab";
 * showSource(COUNTER_RACE_PY, { from: "def plain", to: "counter = add_one(seen)" });
 * ```
 */
export const COUNTER_RACE_PY = join(__dirname, "..", "..", "python", "counter_race.py");

/** Options of {@link pythonCounterRace}. */
export interface PythonRaceOptions {
  /** Increments per thread (default 1,000,000, as in the document). */
  increments?: number;
  /** Runs of each variant (default 5). */
  runs?: number;
  /** The interpreter to run (default "python3" on PATH). */
  python?: string;
  /** Kill the interpreter after this long (default 120,000 ms). */
  timeoutMs?: number;
  /**
   * Also run a third variant, `with lock: counter += 1` around a
   * `threading.Lock` (the cheat sheet's fix), after the other two. Default false.
   */
  withLock?: boolean;
}

/** One run of one Python variant. */
export interface PythonRaceRun {
  actual: number;
  lost: number;
  seconds: number;
}

/** One Python variant over its runs. */
export interface PythonRaceVariant {
  /** `counter += 1`, `seen = counter; counter = add_one(seen)`, or `counter += 1` under a lock (`withLock`). */
  variant: "counter += 1" | "read, call, write" | "with lock: counter += 1";
  runs: PythonRaceRun[];
  /** Runs that lost at least one update, over all runs. */
  lossRate: number;
}

/** What {@link pythonCounterRace} found, or why it could not run. */
export type PythonRaceResult =
  | {
      available: true;
      /** The interpreter command that was run. */
      python: string;
      implementation: string;
      version: string;
      /** False on a free-threaded (no-GIL) build. */
      gil: boolean;
      switchIntervalMs: number;
      increments: number;
      expected: number;
      variants: PythonRaceVariant[];
    }
  | { available: false; python: string; reason: string };

/**
 * Runs the document's GIL program in real Python, 2 threads × `increments`,
 * in two variants: the plain `counter += 1`, and with a function call between
 * the read and the write; with `withLock`, a third: `counter += 1` inside
 * `with lock:`. Resolves `{ available: false, reason }` when the
 * interpreter is missing, so a notebook can show that instead of failing.
 *
 * @example
 * ```ts
 * import { pythonCounterRace } from "concurrency-lab";
 * const py = await pythonCounterRace({ runs: 3 });
 * if (py.available) for (const v of py.variants) console.log(v.variant, v.runs.map((r) => r.lost));
 * else console.log(py.reason);
 * const locked = await pythonCounterRace({ runs: 1, withLock: true }); // 3 variants, the last one locked
 * ```
 */
export async function pythonCounterRace(options: PythonRaceOptions = {}): Promise<PythonRaceResult> {
  const { increments = 1_000_000, runs = 5, python = "python3", timeoutMs = 120_000, withLock = false } = options;
  if (!Number.isInteger(increments) || increments < 1) {
    throw new RangeError(`pythonCounterRace: increments must be an integer >= 1, got ${String(increments)}`);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`pythonCounterRace: runs must be an integer >= 1, got ${String(runs)}`);
  if (!(timeoutMs > 0)) throw new RangeError(`pythonCounterRace: timeoutMs must be > 0, got ${String(timeoutMs)}`);

  let run;
  try {
    run = await runPython<{
      implementation: string;
      python: string;
      gil: boolean;
      switchIntervalMs: number;
      plain: Array<{ actual: number; seconds: number }>;
      readCallWrite: Array<{ actual: number; seconds: number }>;
      locked?: Array<{ actual: number; seconds: number }>;
    }>(COUNTER_RACE_PY, withLock ? [increments, runs, "lock"] : [increments, runs], { python, timeoutMs });
  } catch (error) {
    if (error instanceof PythonRunError && error.reason === "no-python") {
      return { available: false, python, reason: `${python} was not found on PATH, so there is no Python side to compare` };
    }
    throw error;
  }
  const report = run.result;
  const expected = 2 * increments;
  const variant = (name: PythonRaceVariant["variant"], raw: typeof report.plain): PythonRaceVariant => {
    const runsOut = raw.map((r) => ({ actual: r.actual, lost: expected - r.actual, seconds: r.seconds }));
    return { variant: name, runs: runsOut, lossRate: runsOut.filter((r) => r.lost > 0).length / runsOut.length };
  };
  return {
    available: true,
    python,
    implementation: report.implementation,
    version: report.python,
    gil: report.gil,
    switchIntervalMs: report.switchIntervalMs,
    increments,
    expected,
    variants: [
      variant("counter += 1", report.plain),
      variant("read, call, write", report.readCallWrite),
      ...(withLock && report.locked ? [variant("with lock: counter += 1", report.locked)] : []),
    ],
  };
}
