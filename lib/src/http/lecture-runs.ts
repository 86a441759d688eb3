/**
 * Running the lecture's clients, Node's and Python's, as one fair comparison
 * against the slow server, and keeping the last run of each for its timeline.
 */
import { now } from "../measure/clock";
import type { Bound } from "../measure/bounds";
import { experiment, type Experiment } from "../measure/experiment";
import { processMemory } from "../measure/process-memory";
import type { Span } from "../measure/timeline";
import type { Chart } from "../show/charts";
import { runPython } from "../python/run-python";
import type { ClientRun } from "./http-clients";
import { lectureTimeline, pythonSpans, recordsBetween, type PythonSpan } from "./server-timeline";
import type { SlowServer, SlowServerRecord } from "./slow-server";

/** One run of a client, Node's or Python's. */
export interface LectureRun {
  /** Shared-clock start and end of the run, as the harness saw it. */
  start: number;
  end: number;
  wallMs: number;
  /** The client's spans (Python's lanes prefixed "py · "). */
  spans: Span[];
  /** CPU time the program reported (Python: user + sys of itself and its waited-for children); null for Node. */
  cpuMs: number | null;
  /** The Node run, or the Python program's JSON result. */
  detail: ClientRun | Record<string, unknown>;
  /** The server's records of this run (filled in by {@link compareClients}). */
  records: SlowServerRecord[];
}

/**
 * A variant for {@link compareClients}: one of the lib's clients.
 *
 * @example
 * ```ts
 * const node = nodeClient(() => fetchSequential(urls));
 * ```
 */
export function nodeClient(run: () => Promise<ClientRun>): () => Promise<LectureRun> {
  return async () => {
    const r = await run();
    const failed = r.bodies.find((b) => b instanceof Error);
    if (failed) throw failed;
    return { start: r.start, end: r.end, wallMs: r.wallMs, spans: r.spans, cpuMs: null, detail: r, records: [] };
  };
}

/**
 * A variant for {@link compareClients}: a Python program run with
 * `runPython` (its wall time includes starting the interpreter, as `time
 * python3 …` does). The program prints JSON with `spans` and, optionally,
 * `userMs` and `sysMs`. Returns undefined when there is no python3, so the
 * comparison goes on with Node alone.
 *
 * @example
 * ```ts
 * const py = pythonClient("python/03_client_sync.py", [server.url, 3]);
 * ```
 */
export function pythonClient(file: string, args: readonly (string | number)[], python3 = true): (() => Promise<LectureRun>) | undefined {
  if (!python3) return undefined;
  return async () => {
    const start = now();
    const run = await runPython<{ spans?: PythonSpan[]; userMs?: number; sysMs?: number }>(file, args);
    const end = now();
    const { spans = [], userMs, sysMs } = run.result;
    const cpuMs = userMs !== undefined && sysMs !== undefined ? userMs + sysMs : null;
    return { start, end, wallMs: end - start, spans: pythonSpans(spans), cpuMs, detail: run.result as Record<string, unknown>, records: [] };
  };
}

/** Options of {@link compareClients}. */
export interface CompareClientsOptions {
  id: string;
  question: string;
  server: SlowServer;
  /** Variants by name; undefined ones (e.g. Python missing) are left out with a line saying so. */
  variants: Record<string, (() => Promise<LectureRun>) | undefined>;
  /** The floor of every variant (e.g. `waitFloor(...)`), or one per variant. */
  floor: Bound | Record<string, Bound>;
  baseline?: string;
  /** Timed rounds (default 2: each run takes the server's delay at least, and the notebook has a minute). */
  rounds?: number;
}

/**
 * Runs client variants against the slow server with the measurement
 * protocol (interleaved rounds, no warm-up round: the server is already up,
 * and each run starts its own workers or interpreter as the lecture's `time`
 * runs did), and returns the experiment with the last run of each variant and
 * the server's records of it.
 *
 * @example
 * ```ts
 * const { experiment, last } = await compareClients({
 *   id: "03-sequential", question: "3 requests, one after another", server,
 *   variants: { Node: nodeClient(() => fetchSequential(urls)), Python: pythonClient("python/03_client_sync.py", [server.url, 3]) },
 *   floor: waitFloor({ tasks: 3, workers: 1, delayMs: 400 }),
 * });
 * await showExperiment(experiment);
 * ```
 */
export async function compareClients(opts: CompareClientsOptions): Promise<{ experiment: Experiment; last: Record<string, LectureRun> }> {
  const names = Object.keys(opts.variants).filter((n) => opts.variants[n] !== undefined);
  const skipped = Object.keys(opts.variants).filter((n) => opts.variants[n] === undefined);
  if (skipped.length) console.log(`left out (not available here, e.g. no python3): ${skipped.join(", ")}`);
  const last: Record<string, LectureRun> = {};
  const variants = Object.fromEntries(
    names.map((n) => [
      n,
      async () => {
        const run = await opts.variants[n]!();
        last[n] = run;
        return run.cpuMs === null ? {} : { cpuMs: run.cpuMs };
      },
    ]),
  );
  const floorOf = (n: string): Bound => ("why" in opts.floor ? (opts.floor as Bound) : (opts.floor as Record<string, Bound>)[n]!);
  const e = await experiment({
    id: opts.id,
    question: opts.question,
    variants,
    baseline: opts.baseline,
    bounds: Object.fromEntries(names.map((n) => [n, { floorMs: floorOf(n).floorMs, why: floorOf(n).why }])),
    rounds: opts.rounds ?? 2,
    warmup: 0,
    budgetMs: 0,
  });
  const records = await opts.server.requests();
  for (const run of Object.values(last)) run.records = recordsBetween(records, run.start, run.end);
  return { experiment: e, last };
}

/**
 * Runs `fn` and samples the PSS of process `pid` (default this one) every
 * `everyMs` meanwhile; returns the value, the memory before and the highest sample.
 *
 * @example
 * ```ts
 * const { before, peak } = await memoryPeakDuring(() => fetchAsync(urls));
 * console.log(`+${((peak - before) / 2 ** 20).toFixed(1)} MB`);
 * ```
 */
export async function memoryPeakDuring<T>(fn: () => Promise<T>, opts: { pid?: number; everyMs?: number } = {}) {
  const pid = opts.pid ?? process.pid;
  const read = () => processMemory(pid);
  const before = read();
  let peak = before.bytes;
  const timer = setInterval(() => (peak = Math.max(peak, read().bytes)), opts.everyMs ?? 25);
  try {
    const value = await fn();
    return { value, before: before.bytes, peak: Math.max(peak, read().bytes), measure: before.measure };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The timeline of one {@link LectureRun}: its client lanes, then the
 * server's workers (`workers` of them, idle ones too) and its waiting requests.
 *
 * @example
 * ```ts
 * await show(runChart(sequential.last.Node, "One request at a time"));
 * ```
 */
export function runChart(run: LectureRun, title: string, workers = 3): Chart {
  return lectureTimeline(run.spans, run.records, { title, workers });
}
