import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { AsyncLock } from "../sync/async-lock";
import { Barrier } from "../sync/barrier";
import { now } from "../measure/clock";
import { Mutex } from "../sync/mutex";
import type { RaceWorkerData, RaceWorkerReport } from "./race-worker";
import type { Span } from "../measure/timeline";

import type { RaceMode } from "./race-mode";
export type { RaceMode } from "./race-mode";

/** Options of {@link counterRace}. */
export interface CounterRaceOptions {
  /** Worker threads racing (default 2, like the document's program). */
  threads?: number;
  /** Increments per thread (default 1,000,000). */
  increments?: number;
  /** Default "unsafe". */
  mode?: RaceMode;
}

/** What one {@link counterRace} found. */
export interface CounterRaceResult {
  mode: RaceMode;
  threads: number;
  increments: number;
  /** threads × increments: what the counter would read if no update were lost. */
  expected: number;
  /** What it does read. */
  actual: number;
  /** expected - actual. */
  lost: number;
  /** lost / expected, 0 to 1. */
  lostFraction: number;
  /** From the first thread's start to the last thread's end, on the shared clock. */
  wallMs: number;
  /** Average time one thread spent per increment, in ns (waiting for the lock included). */
  nsPerIncrement: number;
  /** CPU cores this process may use (`os.availableParallelism()`). */
  cores: number;
  /** Whether the threads could really run at the same time (>= 2 cores). */
  parallel: boolean;
  /** One sentence on what this run shows, including the 1-core caveat. */
  note: string;
  /** Per thread: its wait at the start barrier, then its increments (times on the shared clock). */
  spans: Span[];
}

const WORKER_FILE = join(__dirname, "race-worker.js");

/**
 * The GIL section's program, done for real threads: `threads` workers each add 1
 * to one shared counter `increments` times, all released together by a
 * {@link Barrier} so that start-up skew cannot hide the race.
 * In `unsafe` mode, updates are lost whenever two threads read the same value;
 * `atomic` and `mutex` always give the exact count, at a price per increment.
 *
 * @example
 * ```ts
 * import { counterRace } from "concurrency-lab";
 * const r = await counterRace({ mode: "unsafe" });
 * console.log(`${r.actual} of ${r.expected}: ${r.lost} updates lost`); // e.g. 1,234,567 of 2,000,000
 * ```
 */
export async function counterRace(options: CounterRaceOptions = {}): Promise<CounterRaceResult> {
  const { threads = 2, increments = 1_000_000, mode = "unsafe" } = options;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new RangeError(`counterRace: threads must be an integer from 1 to 64, got ${String(threads)}`);
  }
  if (!Number.isInteger(increments) || increments < 1 || threads * increments > 0x7fffffff) {
    throw new RangeError(
      `counterRace: increments must be an integer >= 1 with threads × increments <= 2,147,483,647 (an Int32 counter), got ${String(increments)}`,
    );
  }
  if (mode !== "unsafe" && mode !== "atomic" && mode !== "mutex") {
    throw new TypeError(`counterRace: mode must be "unsafe", "atomic" or "mutex", got ${String(mode)}`);
  }

  const counter = new SharedArrayBuffer(4);
  const data: RaceWorkerData = { mode, increments, counter, start: new Barrier(threads).buffer, mutex: new Mutex().buffer };
  const reports = await runWorkers(threads, data);

  const spans = reports.flatMap((r) => r.spans);
  const running = spans.filter((s) => s.kind === "running");
  const expected = threads * increments;
  const actual = new Int32Array(counter)[0];
  const lost = expected - actual;
  const cores = availableParallelism();
  const meanRunMs = running.reduce((sum, s) => sum + (s.end - s.start), 0) / running.length;
  return {
    mode,
    threads,
    increments,
    expected,
    actual,
    lost,
    lostFraction: lost / expected,
    wallMs: Math.max(...running.map((s) => s.end)) - Math.min(...running.map((s) => s.start)),
    nsPerIncrement: (meanRunMs * 1e6) / increments,
    cores,
    parallel: cores >= 2 && threads >= 2,
    note: describe(mode, threads, cores, lost, expected),
    spans,
  };
}

/** Starts the workers, collects one report from each, and makes sure none is left running. */
async function runWorkers(threads: number, data: RaceWorkerData): Promise<RaceWorkerReport[]> {
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_FILE, { workerData: data }));
  const finished = workers.map(
    (worker) =>
      new Promise<RaceWorkerReport>((resolve, reject) => {
        let report: RaceWorkerReport | undefined;
        worker.once("message", (m: RaceWorkerReport) => (report = m));
        worker.once("error", reject);
        // Resolve on exit, not on the message, so that no thread outlives the call.
        worker.once("exit", (code) =>
          report ? resolve(report) : reject(new Error(`counterRace: a race worker exited with code ${code} before reporting`)),
        );
      }),
  );
  try {
    return await Promise.all(finished);
  } catch (error) {
    // The others may sleep at the start barrier for ever, waiting for the one that failed.
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
}

function describe(mode: RaceMode, threads: number, cores: number, lost: number, expected: number): string {
  const tally = `${lost.toLocaleString("en-US")} of ${expected.toLocaleString("en-US")} updates lost`;
  if (threads === 1) return `1 thread: nobody to race with, ${tally}.`;
  if (cores < 2) {
    return (
      `Only 1 core is available, so the ${threads} threads took turns instead of running at once: ` +
      `updates are lost only when the OS preempts a thread between its read and its write, and then ` +
      `everything the others did in that time slice is overwritten. ${tally}; not a parallel race.`
    );
  }
  const crowd = threads > cores ? ` (${threads} threads on ${cores} cores: some took turns)` : "";
  if (mode === "unsafe") {
    return lost > 0
      ? `${tally}: threads read the same value and overwrote each other's increments${crowd}.`
      : `${tally} this time${crowd}: the threads barely overlapped; run it again or raise increments.`;
  }
  return `${mode}: ${tally}, as it must be${crowd}.`;
}

/** The spread of many {@link counterRace} runs, for a chart. */
export interface RaceDistribution {
  mode: RaceMode;
  threads: number;
  increments: number;
  expected: number;
  /** Updates lost in each run, in run order. */
  lost: number[];
  /** Runs that lost at least one update, over all runs (0 to 1). */
  lossRate: number;
  /** Median of `lost`. */
  medianLost: number;
  /** Median ns per increment over the runs. */
  medianNsPerIncrement: number;
  cores: number;
  /** Every run in full. */
  results: CounterRaceResult[];
}

/**
 * Runs {@link counterRace} `runs` times, one after another, and returns the
 * distribution of lost updates.
 *
 * @example
 * ```ts
 * import { repeatRace } from "concurrency-lab";
 * const d = await repeatRace({ mode: "unsafe", increments: 200_000 }, 20);
 * console.log(`lost updates in ${d.lossRate * 100}% of runs, median ${d.medianLost}`);
 * ```
 */
export async function repeatRace(options: CounterRaceOptions = {}, runs = 20): Promise<RaceDistribution> {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`repeatRace: runs must be an integer >= 1, got ${String(runs)}`);
  const results: CounterRaceResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await counterRace(options));
  const first = results[0];
  const lost = results.map((r) => r.lost);
  return {
    mode: first.mode,
    threads: first.threads,
    increments: first.increments,
    expected: first.expected,
    lost,
    lossRate: lost.filter((n) => n > 0).length / runs,
    medianLost: median(lost),
    medianNsPerIncrement: median(results.map((r) => r.nsPerIncrement)),
    cores: first.cores,
    results,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Options of {@link asyncRace}. */
export interface AsyncRaceOptions {
  /** Concurrent async tasks on the one main thread (default 4). */
  tasks?: number;
  /** Increments per task (default 1,000). */
  increments?: number;
  /**
   * What each task awaits between its read and its write: a stand-in for a
   * database or network round trip. Default: an already-resolved promise, the
   * smallest possible pause (one trip through the microtask queue).
   */
  pause?: () => Promise<unknown>;
}

/** One variant of {@link asyncRace}. */
export interface AsyncRaceRun {
  actual: number;
  lost: number;
  wallMs: number;
}

/** What {@link asyncRace} found: the race, and the same code with an {@link AsyncLock}. */
export interface AsyncRaceResult {
  tasks: number;
  increments: number;
  expected: number;
  unsafe: AsyncRaceRun;
  locked: AsyncRaceRun;
}

/**
 * Async needs no threads to race. `tasks` async functions on the main thread
 * each do `const seen = counter; await pause(); counter = seen + 1;`. While one
 * waits, the others read the same old value, and their writes overwrite each
 * other. Then the same with the read-await-write held under an {@link AsyncLock},
 * which loses nothing.
 *
 * @example
 * ```ts
 * import { asyncRace } from "concurrency-lab";
 * const r = await asyncRace({ tasks: 4, increments: 1000 });
 * r.unsafe.lost;  // 3000: every task read the same values
 * r.locked.lost;  // 0
 * ```
 */
export async function asyncRace(options: AsyncRaceOptions = {}): Promise<AsyncRaceResult> {
  const { tasks = 4, increments = 1000, pause = () => Promise.resolve() } = options;
  if (!Number.isInteger(tasks) || tasks < 1) throw new RangeError(`asyncRace: tasks must be an integer >= 1, got ${String(tasks)}`);
  if (!Number.isInteger(increments) || increments < 1) {
    throw new RangeError(`asyncRace: increments must be an integer >= 1, got ${String(increments)}`);
  }
  if (typeof pause !== "function") throw new TypeError("asyncRace: pause must be a function returning a promise");

  const expected = tasks * increments;
  const race = async (lock?: AsyncLock): Promise<AsyncRaceRun> => {
    let counter = 0;
    const increment = async (): Promise<void> => {
      const seen = counter; // read
      await pause(); //         ...other tasks run here...
      counter = seen + 1; //    write, over whatever they wrote meanwhile
    };
    const task = async (): Promise<void> => {
      for (let i = 0; i < increments; i++) await (lock ? lock.run(increment) : increment());
    };
    const start = now();
    await Promise.all(Array.from({ length: tasks }, task));
    return { actual: counter, lost: expected - counter, wallMs: now() - start };
  };
  return { tasks, increments, expected, unsafe: await race(), locked: await race(new AsyncLock()) };
}
