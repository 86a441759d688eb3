/**
 * The "full comparison" of the concurrency-basics document, for Node: four
 * measurements, each timed from the moment it starts its workers until the
 * last one has finished and been shut down (the document's `time.time()`
 * around start + join):
 *
 * - threads, I/O: each task blocks a worker thread (`time.sleep` in a thread);
 * - async/await, I/O: each task awaits a timer on the one event loop;
 * - processes, CPU: each task runs a CPU loop in a child process;
 * - plain loop, CPU: the same CPU tasks one after another on the main thread.
 *
 * `npm run compare` prints these four lines in a terminal; the notebook calls
 * the same functions and charts the results.
 */
import os from "node:os";
import { now } from "../measure/clock";
import { Timeline, type Span } from "../measure/timeline";
import { sleep } from "../measure/timers";
import { sumOfSquares, tasks } from "../executors/tasks";
import { ThreadPoolExecutor } from "../executors/thread-pool";
import { ProcessPoolExecutor } from "../executors/process-pool";
import type { Executor } from "../executors/executor";

/** Which of the four measurements a result belongs to. */
export type ComparisonKind = "threads-io" | "async-io" | "processes-cpu" | "loop-cpu";

/** One timed measurement of the comparison. */
export interface ComparisonResult {
  kind: ComparisonKind;
  /** Short name for charts and tables, e.g. "threads · I/O". */
  label: string;
  /** Wall time from start to the last task done and the workers shut down, in ms. */
  wallMs: number;
  /** Number of tasks run. */
  tasks: number;
  /** Threads or processes used (1 for async and the plain loop: the main thread). */
  workers: number;
  /** Time from the start until the first task began, in ms: the cost of starting workers. */
  startupMs: number;
  /** Who did what when, on the shared clock; origin = the start of this measurement. */
  timeline: Timeline;
  /** What one task does, for the printed line, e.g. "wait 1000 ms" or "sumOfSquares(1,000,000)". */
  taskDescription: string;
}

/** Sizes of the comparison; every field is optional. */
export interface ComparisonOptions {
  /** I/O tasks for threads and for async/await (document: 4). */
  ioTasks?: number;
  /** How long each I/O task waits, in ms (document: 1000). */
  ioMs?: number;
  /** CPU tasks for processes and for the plain loop (document: 4). */
  cpuTasks?: number;
  /** Size of one CPU task: `sumOfSquares(cpuN)` (document: 10**6). */
  cpuN?: number;
  /** Threads and processes to start; default one per task, as the document does (at most {@link MAX_COMPARISON_WORKERS}). */
  workers?: number;
  /** Called once each time any task finishes (drives a progress bar). */
  onTaskDone?: (kind: ComparisonKind) => void;
}

/**
 * The document's sizes: 4 I/O tasks of 1 s, 4 CPU tasks of sum of squares below 10**6.
 *
 * @example
 * ```ts
 * await runComparison({ ...COMPARISON_DEFAULTS, ioMs: 200 }); // the document's run with shorter waits
 * ```
 */
export const COMPARISON_DEFAULTS = { ioTasks: 4, ioMs: 1000, cpuTasks: 4, cpuN: 1_000_000 } as const;

/**
 * Upper bound for `workers`, and for the default of one worker per task: each is a thread or a process.
 *
 * @example
 * ```ts
 * await measureThreadsIo({ tasks: 100, ms: 100 }); // runs on MAX_COMPARISON_WORKERS (64) threads
 * ```
 */
export const MAX_COMPARISON_WORKERS = 64;

/**
 * Allowed [min, max] of each numeric option; the CLI and the measure functions check the same ranges.
 *
 * @example
 * ```ts
 * const [min, max] = COMPARISON_LIMITS.workers; // [1, 64]
 * ```
 */
export const COMPARISON_LIMITS = {
  ioTasks: [1, 10_000],
  ioMs: [0, 60_000],
  cpuTasks: [1, 10_000],
  cpuN: [1, Number.MAX_SAFE_INTEGER],
  workers: [1, MAX_COMPARISON_WORKERS],
} as const satisfies Record<string, readonly [number, number]>;

function checkInt(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${String(value)}`);
  }
  if (value < min || value > max) throw new RangeError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function checkOnTaskDone(fn: unknown): (kind: ComparisonKind) => void {
  if (fn === undefined) return () => {};
  if (typeof fn !== "function") throw new TypeError("onTaskDone must be a function");
  return fn as (kind: ComparisonKind) => void;
}

const L = COMPARISON_LIMITS;
const checkTasks = (name: string, v: unknown) => checkInt(name, v, ...L.ioTasks);
const checkIoMs = (name: string, v: unknown) => checkInt(name, v, ...L.ioMs);
const checkCpuN = (name: string, v: unknown) => checkInt(name, v, ...L.cpuN);
const checkWorkers = (v: unknown) => (v === undefined ? undefined : checkInt("workers", v, ...L.workers));

function resolveComparison(opts: ComparisonOptions) {
  return {
    ioTasks: checkTasks("ioTasks", opts.ioTasks ?? COMPARISON_DEFAULTS.ioTasks),
    ioMs: checkIoMs("ioMs", opts.ioMs ?? COMPARISON_DEFAULTS.ioMs),
    cpuTasks: checkTasks("cpuTasks", opts.cpuTasks ?? COMPARISON_DEFAULTS.cpuTasks),
    cpuN: checkCpuN("cpuN", opts.cpuN ?? COMPARISON_DEFAULTS.cpuN),
    workers: checkWorkers(opts.workers),
    onTaskDone: checkOnTaskDone(opts.onTaskDone),
  };
}

const LABELS: Record<ComparisonKind, string> = {
  "threads-io": "threads · I/O",
  "async-io": "async/await · I/O",
  "processes-cpu": "processes · CPU",
  "loop-cpu": "plain loop · CPU",
};

function result(
  kind: ComparisonKind,
  timeline: Timeline,
  fields: { tasks: number; workers: number; taskDescription: string },
): ComparisonResult {
  const wallMs = now() - timeline.origin;
  const firstStart = Math.min(...timeline.spans().filter((s) => s.lane !== "main").map((s) => s.start));
  return { kind, label: LABELS[kind], wallMs, startupMs: Number.isFinite(firstStart) ? firstStart : 0, timeline, ...fields };
}

/**
 * Runs `count` pool tasks on a fresh executor and returns the timeline: the
 * pool's spans (with `kind` set) plus the main thread waiting for them.
 */
async function runOnPool(
  pool: Executor,
  timeline: Timeline,
  count: number,
  submit: (pool: Executor) => PromiseLike<unknown> & { readonly span?: Span },
  kind: "waiting" | "running",
  onDone: () => void,
): Promise<void> {
  const endWait = timeline.begin("main waits for all tasks (join)", { lane: "main", kind: "waiting" });
  try {
    const futures = Array.from({ length: count }, () => submit(pool));
    await Promise.all(
      futures.map(async (future) => {
        await future;
        onDone();
      }),
    );
    for (const future of futures) if (future.span) timeline.add({ ...future.span, kind });
  } finally {
    await pool.shutdown();
    endWait();
  }
}

/**
 * Threads on I/O: `tasks` worker threads each block for `ms` (the document's
 * `time.sleep(1)` in a `threading.Thread`). Blocked threads use no CPU, so the
 * waits overlap: about `ms` in total plus thread start-up when every task has
 * its own thread.
 *
 * @example
 * ```ts
 * import { measureThreadsIo } from "concurrency-lab";
 * const r = await measureThreadsIo({ tasks: 4, ms: 1000 });
 * r.wallMs; // ≈ 1050: four 1 s waits side by side, plus ~50 ms to start the threads
 * ```
 */
export async function measureThreadsIo(
  opts: { tasks?: number; ms?: number; workers?: number; onTaskDone?: (kind: ComparisonKind) => void } = {},
): Promise<ComparisonResult> {
  const count = checkTasks("tasks", opts.tasks ?? COMPARISON_DEFAULTS.ioTasks);
  const ms = checkIoMs("ms", opts.ms ?? COMPARISON_DEFAULTS.ioMs);
  const workers = checkWorkers(opts.workers) ?? Math.min(count, MAX_COMPARISON_WORKERS);
  const onTaskDone = checkOnTaskDone(opts.onTaskDone);
  const timeline = new Timeline();
  const pool = new ThreadPoolExecutor({ maxWorkers: workers });
  await runOnPool(pool, timeline, count, (p) => p.submit(tasks.blockingSleep, ms), "waiting", () =>
    onTaskDone("threads-io"),
  );
  return result("threads-io", timeline, { tasks: count, workers, taskDescription: `wait ${ms} ms` });
}

/**
 * async/await on I/O: `tasks` promises each await a `ms` timer, all on the
 * main thread's event loop (the document's `asyncio.gather`). No thread is
 * started; one lane per task shows that they wait at the same time.
 *
 * @example
 * ```ts
 * import { measureAsyncIo } from "concurrency-lab";
 * const r = await measureAsyncIo({ tasks: 4, ms: 1000 });
 * r.wallMs; // ≈ 1000
 * ```
 */
export async function measureAsyncIo(
  opts: { tasks?: number; ms?: number; onTaskDone?: (kind: ComparisonKind) => void } = {},
): Promise<ComparisonResult> {
  const count = checkTasks("tasks", opts.tasks ?? COMPARISON_DEFAULTS.ioTasks);
  const ms = checkIoMs("ms", opts.ms ?? COMPARISON_DEFAULTS.ioMs);
  const onTaskDone = checkOnTaskDone(opts.onTaskDone);
  const timeline = new Timeline();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await timeline.record(`await sleep(${ms})`, () => sleep(ms), { lane: `main · task ${i + 1}`, kind: "waiting" });
      onTaskDone("async-io");
    }),
  );
  return result("async-io", timeline, { tasks: count, workers: 1, taskDescription: `wait ${ms} ms` });
}

/**
 * Processes on CPU: `tasks` runs of `sumOfSquares(n)` in child processes (the
 * document's `multiprocessing.Process` per task). The time includes starting
 * the processes, which is why a small `n` gains little or even loses.
 *
 * @example
 * ```ts
 * import { measureProcessesCpu } from "concurrency-lab";
 * const r = await measureProcessesCpu({ tasks: 4, n: 1_000_000 });
 * r.startupMs; // ≈ 100: a Node.js child takes this long before it can compute
 * ```
 */
export async function measureProcessesCpu(
  opts: { tasks?: number; n?: number; workers?: number; onTaskDone?: (kind: ComparisonKind) => void } = {},
): Promise<ComparisonResult> {
  const count = checkTasks("tasks", opts.tasks ?? COMPARISON_DEFAULTS.cpuTasks);
  const n = checkCpuN("n", opts.n ?? COMPARISON_DEFAULTS.cpuN);
  const workers = checkWorkers(opts.workers) ?? Math.min(count, MAX_COMPARISON_WORKERS);
  const onTaskDone = checkOnTaskDone(opts.onTaskDone);
  const timeline = new Timeline();
  const pool = new ProcessPoolExecutor({ maxWorkers: workers });
  await runOnPool(pool, timeline, count, (p) => p.submit(tasks.sumOfSquares, n), "running", () =>
    onTaskDone("processes-cpu"),
  );
  return result("processes-cpu", timeline, { tasks: count, workers, taskDescription: `sumOfSquares(${n.toLocaleString("en")})` });
}

/**
 * The plain loop on CPU: the same `tasks` runs of `sumOfSquares(n)` one after
 * another on the main thread, the baseline the processes must beat.
 *
 * @example
 * ```ts
 * import { measureLoopCpu } from "concurrency-lab";
 * const r = await measureLoopCpu({ tasks: 4, n: 1_000_000 });
 * r.timeline.spans().length; // 4, one after the other on "main"
 * ```
 */
export async function measureLoopCpu(
  opts: { tasks?: number; n?: number; onTaskDone?: (kind: ComparisonKind) => void } = {},
): Promise<ComparisonResult> {
  const count = checkTasks("tasks", opts.tasks ?? COMPARISON_DEFAULTS.cpuTasks);
  const n = checkCpuN("n", opts.n ?? COMPARISON_DEFAULTS.cpuN);
  const onTaskDone = checkOnTaskDone(opts.onTaskDone);
  const timeline = new Timeline();
  for (let i = 0; i < count; i++) {
    const start = now();
    sumOfSquares(n);
    timeline.add({ label: `sumOfSquares #${i + 1}`, lane: "main", start, end: now(), kind: "running" });
    onTaskDone("loop-cpu");
  }
  return result("loop-cpu", timeline, { tasks: count, workers: 1, taskDescription: `sumOfSquares(${n.toLocaleString("en")})` });
}

/**
 * Runs the four measurements in the document's order (threads I/O, async
 * I/O, processes CPU, plain loop CPU), one after another so they do not
 * compete for the cores. `onResult` sees each result as soon as it exists.
 *
 * @example
 * ```ts
 * import { runComparison, formatComparisonLine } from "concurrency-lab";
 * for (const r of await runComparison({ ioMs: 200 })) console.log(formatComparisonLine(r));
 * ```
 */
export async function runComparison(
  opts: ComparisonOptions = {},
  onResult: (r: ComparisonResult) => void = () => {},
): Promise<ComparisonResult[]> {
  const o = resolveComparison(opts); // validate everything before starting anything
  const io = { tasks: o.ioTasks, ms: o.ioMs, onTaskDone: o.onTaskDone };
  const cpu = { tasks: o.cpuTasks, n: o.cpuN, onTaskDone: o.onTaskDone };
  const steps: (() => Promise<ComparisonResult>)[] = [
    () => measureThreadsIo({ ...io, workers: o.workers }),
    () => measureAsyncIo(io),
    () => measureProcessesCpu({ ...cpu, workers: o.workers }),
    () => measureLoopCpu(cpu),
  ];
  const results: ComparisonResult[] = [];
  for (const step of steps) {
    const r = await step();
    results.push(r);
    onResult(r);
  }
  return results;
}

/**
 * Total number of tasks `runComparison(opts)` runs: the `total` of a progress bar.
 *
 * @example
 * ```ts
 * const bar = progress(comparisonTaskCount(), "comparison"); // 16 for the document's sizes
 * await runComparison({ onTaskDone: () => bar.tick() });
 * bar.done();
 * ```
 */
export function comparisonTaskCount(opts: ComparisonOptions = {}): number {
  const o = resolveComparison(opts);
  return 2 * o.ioTasks + 2 * o.cpuTasks;
}

const LINE_NAMES: Record<ComparisonKind, [string, string]> = {
  "threads-io": ["Threads     ", "I/O"],
  "async-io": ["Async/await ", "I/O"],
  "processes-cpu": ["Processes   ", "CPU"],
  "loop-cpu": ["Plain loop  ", "CPU"],
};

/**
 * The document's timing line for one result, e.g.
 * `[Threads     ] I/O x4 (wait 1000 ms), 4 threads: 1.0512 s`.
 *
 * @example
 * ```ts
 * formatComparisonLine(await measureAsyncIo({ tasks: 2, ms: 100 }));
 * // "[Async/await ] I/O x2 (wait 100 ms), 1 event loop: 0.1012 s"
 * ```
 */
export function formatComparisonLine(r: ComparisonResult): string {
  const [name, kind] = LINE_NAMES[r.kind];
  const who =
    r.kind === "threads-io"
      ? `${r.workers} thread${r.workers === 1 ? "" : "s"}`
      : r.kind === "processes-cpu"
        ? `${r.workers} process${r.workers === 1 ? "" : "es"}`
        : r.kind === "async-io"
          ? "1 event loop"
          : "main thread";
  return `[${name}] ${kind} x${r.tasks} (${r.taskDescription}), ${who}: ${(r.wallMs / 1000).toFixed(4)} s`;
}

/**
 * One-line description of the machine for the header: Node version and core count.
 *
 * @example
 * ```ts
 * comparisonHeader(); // "--- Concurrency comparison (Node.js v20.20.2, 2 cores) ---"
 * ```
 */
export function comparisonHeader(): string {
  return `--- Concurrency comparison (Node.js ${process.version}, ${os.availableParallelism()} cores) ---`;
}
