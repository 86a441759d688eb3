/**
 * Running the lecture's clients, Node's and Python's, as one fair comparison
 * against the slow server, and keeping the runs of each for their timelines.
 *
 * Like for like: both sides are timed on the client's own work. A Node client
 * runs inside this process, which is already up; a Python program first starts
 * its interpreter and imports its modules, so its timed part starts after that
 * (the program reports `inScriptMs` and the CPU it had used by then,
 * `startupCpuMs`). The whole program's time, what `time python3 …` printed in
 * the lecture, is kept beside it ({@link LectureRun.wallMs}). CPU is counted
 * for the client alone: this process and the processes it started, without
 * the slow server's own processes.
 */
import { now } from "../measure/clock";
import type { Bound } from "../measure/bounds";
import { clockTicksPerSecond, descendantTicks, readProcessTicks, readProcessTree } from "../measure/cpu-accounting";
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
  /** end - start: for Python the whole program, interpreter start included (what `time` measures). */
  wallMs: number;
  /** The client's own work: Node's call; Python's program after its start-up and imports (`inScriptMs`). */
  clientMs: number;
  /** The client's spans (Python's lanes prefixed "py · "). */
  spans: Span[];
  /**
   * CPU time of the client's work: this process and the processes it started, without the slow
   * server's processes, and for Python without the interpreter's start-up. Filled in by
   * {@link compareClients}; null where unknown (no /proc).
   */
  cpuMs: number | null;
  /** CPU the program had used before its timed part began (Python's start-up and imports); 0 for Node. */
  startupCpuMs: number;
  /** The Node run, or the Python program's JSON result. */
  detail: ClientRun | Record<string, unknown>;
  /** The server's records of this run (filled in by {@link compareClients}). */
  records: SlowServerRecord[];
}

/**
 * Runs `fn` and returns its value with the CPU time that this process and its
 * child processes used meanwhile, leaving out the processes `exclude()` names
 * (e.g. the slow server's main process and workers, which are children too).
 * `cpuMs` is null where /proc is missing (not Linux).
 *
 * @example
 * ```ts
 * const exclude = () => [server.pid, ...server.workerPids];
 * const { value, cpuMs } = await clientCpuDuring(() => fetchAsync(urls), exclude);
 * console.log(`the client used ${cpuMs?.toFixed(0)} ms of CPU`);
 * ```
 */
export async function clientCpuDuring<T>(
  fn: () => Promise<T>,
  exclude: () => readonly number[] = () => [],
): Promise<{ value: T; cpuMs: number | null }> {
  const others = () => {
    const pids = exclude();
    return new Map(pids.map((pid) => [pid, readProcessTicks(pid)] as const));
  };
  const tree0 = readProcessTree(process.pid);
  const others0 = others();
  const cpu0 = process.cpuUsage();
  const value = await fn();
  const cpu1 = process.cpuUsage();
  const tree1 = readProcessTree(process.pid);
  const others1 = others();
  if (tree0 === null || tree1 === null) return { value, cpuMs: null };
  let excluded = 0;
  for (const [pid, t1] of others1) {
    const t0 = others0.get(pid);
    if (t1 && t0) excluded += t1.own - t0.own;
  }
  const ticks = Math.max(0, descendantTicks(tree0, tree1) - excluded);
  const ownMs = (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / 1000;
  return { value, cpuMs: ownMs + (ticks * 1000) / clockTicksPerSecond() };
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
    return {
      start: r.start, end: r.end, wallMs: r.wallMs, clientMs: r.wallMs, spans: r.spans,
      cpuMs: null, startupCpuMs: 0, detail: r, records: [],
    };
  };
}

/**
 * A variant for {@link compareClients}: a Python program run with
 * `runPython`. The program prints JSON with `spans`, and for a like-for-like
 * timing `inScriptMs` (its client's time, after the interpreter has started
 * and imported its modules) and `startupCpuMs` (the CPU it had used by then);
 * without them the whole program is timed. The whole program's time, as
 * `time python3 …` measures it, stays in `wallMs`. Returns undefined when
 * there is no python3, so the comparison goes on with Node alone.
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
    type Report = { spans?: PythonSpan[]; inScriptMs?: number; startupCpuMs?: number };
    const run = await runPython<Report>(file, args);
    const end = now();
    const { spans = [], inScriptMs, startupCpuMs } = run.result;
    return {
      start, end, wallMs: end - start, clientMs: inScriptMs ?? end - start, spans: pythonSpans(spans),
      cpuMs: null, startupCpuMs: inScriptMs === undefined ? 0 : (startupCpuMs ?? 0),
      detail: run.result as Record<string, unknown>, records: [],
    };
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
 * runs did), and returns the experiment, every run of each variant (`runs`),
 * the last one (`last`) and the server's records of each run.
 *
 * The experiment judges the client's own work on both sides
 * ({@link LectureRun.clientMs}, {@link LectureRun.cpuMs}): a Python program's
 * interpreter start-up is left out as Node's is; {@link wholeProgramMs} gives
 * the time with it, as the lecture's `time` figures have it.
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
export async function compareClients(
  opts: CompareClientsOptions,
): Promise<{ experiment: Experiment; last: Record<string, LectureRun>; runs: Record<string, LectureRun[]> }> {
  const names = Object.keys(opts.variants).filter((n) => opts.variants[n] !== undefined);
  const skipped = Object.keys(opts.variants).filter((n) => opts.variants[n] === undefined);
  if (skipped.length) console.log(`left out (not available here, e.g. no python3): ${skipped.join(", ")}`);
  const last: Record<string, LectureRun> = {};
  const runs: Record<string, LectureRun[]> = Object.fromEntries(names.map((n) => [n, []]));
  const serverPids = [...new Set([opts.server.pid, ...(await opts.server.stats()).pids])];
  const variants = Object.fromEntries(
    names.map((n) => [
      n,
      async () => {
        const { value: run, cpuMs } = await clientCpuDuring(() => opts.variants[n]!(), () => serverPids);
        run.cpuMs = cpuMs === null ? null : Math.max(0, cpuMs - run.startupCpuMs);
        last[n] = run;
        runs[n]!.push(run);
        return run.cpuMs === null ? { wallMs: run.clientMs } : { wallMs: run.clientMs, cpuMs: run.cpuMs };
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
  for (const list of Object.values(runs)) for (const run of list) run.records = recordsBetween(records, run.start, run.end);
  return { experiment: e, last, runs };
}

/**
 * Median time of the whole program over `runs`: for Python, interpreter
 * start-up and imports included, as `time python3 …` measures it (the
 * lecture's figures); for Node, the call itself.
 *
 * @example
 * ```ts
 * const { runs } = await compareClients({ ... });
 * console.log(`Python, whole program: ${wholeProgramMs(runs.Python).toFixed(0)} ms`);
 * ```
 */
export function wholeProgramMs(runs: readonly LectureRun[]): number {
  if (runs.length === 0) throw new RangeError("wholeProgramMs: no runs");
  const sorted = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One of the lecture's published figures: the `time` it printed and the floor of its run, in seconds. */
export interface LectureFigure {
  realS: number;
  floorS: number;
}

/** What {@link aboveFloorBars} reads of one comparison (what {@link compareClients} returns). */
export interface SideBySideInput {
  experiment: Experiment;
  runs: Record<string, LectureRun[]>;
}

/**
 * Bars of "time above the floor" (the part of a run that no waiting
 * explains), one group per comparison: Node's client, Python's client (both
 * without start-up), Python's whole program (interpreter start-up included,
 * as the lecture's `time` figures) and the lecture's figure above its own
 * floor. A variant whose time is not evidence (below its floor, or a ratio
 * the protocol marked suspect) gets no bar and is named in `leftOut` with the
 * reason. The group label is the comparison's id without a leading "NN-".
 *
 * @example
 * ```ts
 * const { bars, leftOut } = aboveFloorBars({ "03-threads": threads }, { "03-threads": { realS: 1.199, floorS: 1 } },
 *   { node: ["Node"], python: ["Python"] });
 * await show(barChart(bars, { unit: "ms" }));
 * ```
 */
export function aboveFloorBars(
  comparisons: Record<string, SideBySideInput>,
  lecture: Record<string, LectureFigure>,
  pick: { node: readonly string[]; python: readonly string[] },
): { bars: { label: string; series: string; value: number }[]; leftOut: string[] } {
  const bars: { label: string; series: string; value: number }[] = [];
  const leftOut: string[] = [];
  for (const [id, { experiment: e, runs }] of Object.entries(comparisons)) {
    const label = id.replace(/^\d+-/, "");
    const notEvidence = (v: string): string | null => {
      const stats = e.variants[v]!;
      if (stats.suspect) return stats.reason ?? "below its floor";
      const ratio = e.ratios.find((r) => r.variant === v);
      return ratio?.suspect ? (ratio.reason ?? "suspect") : null;
    };
    const add = (v: string | undefined, series: string, ms: (v: string) => number) => {
      if (v === undefined) return;
      const floor = e.variants[v]!.bound?.floorMs ?? 0;
      const why = notEvidence(v) ?? (ms(v) < floor ? "below its floor" : null);
      if (why) leftOut.push(`${label} / ${v} (${series}): ${why}`);
      else bars.push({ label, series, value: ms(v) - floor });
    };
    const node = pick.node.find((v) => v in e.variants);
    const python = pick.python.find((v) => v in e.variants);
    add(node, "Node, client", (v) => e.variants[v]!.medianMs);
    add(python, "Python, client", (v) => e.variants[v]!.medianMs);
    if (python !== undefined && (runs[python]?.length ?? 0) > 0) {
      add(python, "Python, whole program", (v) => wholeProgramMs(runs[v]!));
    }
    const fig = lecture[id];
    if (fig) bars.push({ label, series: "lecture (2017), whole program", value: (fig.realS - fig.floorS) * 1000 });
  }
  return { bars, leftOut };
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
