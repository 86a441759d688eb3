import { execFile } from "node:child_process";

/**
 * Our Python side of the GIL section: the document's two-thread counter, and
 * the same loop with a function call between the read and the write. It
 * prints one JSON line. CPython only switches threads at certain points
 * (in 3.10+: on backward jumps and calls, not in the middle of `counter += 1`),
 * so the first variant rarely loses an update there while the second does.
 */
const PROGRAM = String.raw`
import json, platform, sys, threading, time

N = int(sys.argv[1])
RUNS = int(sys.argv[2])
counter = 0

def plain():
    global counter
    for _ in range(N):
        counter += 1               # the document's line: read, add, write

def add_one(x):
    return x + 1

def read_call_write():
    global counter
    for _ in range(N):
        seen = counter             # read
        counter = add_one(seen)    # a call between read and write: CPython may switch threads in it

def race(target):
    global counter
    counter = 0
    threads = [threading.Thread(target=target) for _ in range(2)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"actual": counter, "seconds": time.perf_counter() - start}

gil = getattr(sys, "_is_gil_enabled", lambda: True)()
print(json.dumps({
    "implementation": platform.python_implementation(),
    "version": platform.python_version(),
    "gil": gil,
    "switchIntervalMs": sys.getswitchinterval() * 1000,
    "plain": [race(plain) for _ in range(RUNS)],
    "readCallWrite": [race(read_call_write) for _ in range(RUNS)],
}))
`;

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
}

/** One run of one Python variant. */
export interface PythonRaceRun {
  actual: number;
  lost: number;
  seconds: number;
}

/** One Python variant over its runs. */
export interface PythonRaceVariant {
  /** `counter += 1`, or `seen = counter; counter = add_one(seen)`. */
  variant: "counter += 1" | "read, call, write";
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
 * the read and the write. Resolves `{ available: false, reason }` when the
 * interpreter is missing, so a notebook can show that instead of failing.
 *
 * @example
 * ```ts
 * import { pythonCounterRace } from "concurrency-lab";
 * const py = await pythonCounterRace({ runs: 3 });
 * if (py.available) for (const v of py.variants) console.log(v.variant, v.runs.map((r) => r.lost));
 * else console.log(py.reason);
 * ```
 */
export async function pythonCounterRace(options: PythonRaceOptions = {}): Promise<PythonRaceResult> {
  const { increments = 1_000_000, runs = 5, python = "python3", timeoutMs = 120_000 } = options;
  if (!Number.isInteger(increments) || increments < 1) {
    throw new RangeError(`pythonCounterRace: increments must be an integer >= 1, got ${String(increments)}`);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`pythonCounterRace: runs must be an integer >= 1, got ${String(runs)}`);
  if (!(timeoutMs > 0)) throw new RangeError(`pythonCounterRace: timeoutMs must be > 0, got ${String(timeoutMs)}`);

  let stdout: string;
  try {
    stdout = await new Promise<string>((resolve, reject) => {
      execFile(python, ["-c", PROGRAM, String(increments), String(runs)], { timeout: timeoutMs }, (error, out, err) =>
        error ? reject(Object.assign(error, { stderr: err })) : resolve(out),
      );
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
    if (e.code === "ENOENT") {
      return { available: false, python, reason: `${python} was not found on PATH, so there is no Python side to compare` };
    }
    if (e.killed) throw new Error(`pythonCounterRace: ${python} did not finish within ${timeoutMs} ms and was stopped`);
    throw new Error(`pythonCounterRace: ${python} failed: ${(e.stderr ?? "").trim() || e.message}`);
  }

  const report = JSON.parse(stdout) as {
    implementation: string;
    version: string;
    gil: boolean;
    switchIntervalMs: number;
    plain: Array<{ actual: number; seconds: number }>;
    readCallWrite: Array<{ actual: number; seconds: number }>;
  };
  const expected = 2 * increments;
  const variant = (name: PythonRaceVariant["variant"], raw: typeof report.plain): PythonRaceVariant => {
    const runsOut = raw.map((r) => ({ actual: r.actual, lost: expected - r.actual, seconds: r.seconds }));
    return { variant: name, runs: runsOut, lossRate: runsOut.filter((r) => r.lost > 0).length / runsOut.length };
  };
  return {
    available: true,
    python,
    implementation: report.implementation,
    version: report.version,
    gil: report.gil,
    switchIntervalMs: report.switchIntervalMs,
    increments,
    expected,
    variants: [variant("counter += 1", report.plain), variant("read, call, write", report.readCallWrite)],
  };
}
