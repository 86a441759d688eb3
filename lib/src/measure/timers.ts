/**
 * Timers: the `time.time()`, `time.sleep()` and `time python x.py` of the documents.
 *
 * Every function here reads the shared clock of {@link now}, so a duration
 * measured in a worker thread or a child process means the same as one
 * measured in the notebook.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { now } from "./clock";

function checkMs(name: string, ms: unknown): number {
  if (typeof ms !== "number" || Number.isNaN(ms)) throw new TypeError(`${name} must be a number of milliseconds, got ${String(ms)}`);
  if (ms < 0 || !Number.isFinite(ms)) throw new RangeError(`${name} must be a finite number >= 0, got ${ms}`);
  return ms;
}

function checkCount(name: string, n: unknown, min: number): number {
  if (typeof n !== "number" || !Number.isInteger(n)) throw new TypeError(`${name} must be an integer, got ${String(n)}`);
  if (n < min) throw new RangeError(`${name} must be >= ${min}, got ${n}`);
  return n;
}

/**
 * Waits `ms` milliseconds without blocking: other callbacks, requests and
 * timers keep running meanwhile (Python's `await asyncio.sleep(s)`).
 * With `signal`, aborting rejects the promise with the signal's reason.
 *
 * @example
 * ```ts
 * import { sleep } from "concurrency-lab";
 * await sleep(100); // the event loop stays free for 100 ms
 * ```
 */
export function sleep(ms: number, opts: { signal?: AbortSignal } = {}): Promise<void> {
  checkMs("ms", ms);
  const { signal } = opts;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// One shared cell that nobody ever notifies: waiting on it is a pure, CPU-free block.
const neverNotified = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the calling thread for `ms` milliseconds without using the CPU
 * (`Atomics.wait`). This is the honest counterpart of Python's `time.sleep`
 * inside a thread: on the main thread it freezes the event loop, so nothing
 * else in the notebook runs meanwhile. Works in the main thread, in worker
 * threads and in child processes.
 *
 * @example
 * ```ts
 * import { blockingSleep, now } from "concurrency-lab";
 * const t0 = now();
 * blockingSleep(50); // no timer, no callback can run during these 50 ms
 * now() - t0; // ≈ 50
 * ```
 */
export function blockingSleep(ms: number): void {
  checkMs("ms", ms);
  Atomics.wait(neverNotified, 0, 0, ms);
}

/** Wall-clock and CPU time of one run, like the `real / user / sys` lines of `time`. */
export interface Timed<T> {
  /** Elapsed real time ("real"). */
  wallMs: number;
  /** CPU time spent in JavaScript and native code of this process ("user"), all threads summed. */
  userMs: number;
  /** CPU time spent in the kernel on behalf of this process ("sys"), all threads summed. */
  systemMs: number;
  /** What `fn` returned (awaited). */
  value: T;
}

/**
 * Runs `fn` (sync or async) once and returns wall time plus process CPU time.
 *
 * CPU time comes from `process.cpuUsage()`, which counts **every thread of
 * this process**: work done by worker threads is included (so
 * `userMs > wallMs` shows real parallelism), work done by child processes is
 * not (they are other processes, like Python's `multiprocessing` children
 * under `time`).
 *
 * @example
 * ```ts
 * import { timed, sleep } from "concurrency-lab";
 * const t = await timed(() => sleep(200));
 * // t.wallMs ≈ 200, t.userMs ≈ 0: waiting costs no CPU
 * ```
 */
export async function timed<T>(fn: () => T | Promise<T>): Promise<Timed<Awaited<T>>> {
  if (typeof fn !== "function") throw new TypeError("fn must be a function");
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const value = await fn();
  const wallMs = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, value };
}

/** Summary statistics of a list of samples (milliseconds for timings). */
export interface SampleStats {
  min: number;
  median: number;
  max: number;
  mean: number;
  /** The raw samples, in the order they were taken. */
  samples: number[];
}

/**
 * Min / median / max / mean of `samples` (the median of an even count is the
 * mean of the two middle values).
 *
 * @example
 * ```ts
 * import { sampleStats } from "concurrency-lab";
 * sampleStats([3, 1, 2, 10]); // { min: 1, median: 2.5, max: 10, mean: 4, samples: [3, 1, 2, 10] }
 * ```
 */
export function sampleStats(samples: readonly number[]): SampleStats {
  if (!Array.isArray(samples) || samples.length === 0) throw new RangeError("samples must be a non-empty array");
  for (const s of samples) {
    if (typeof s !== "number" || Number.isNaN(s)) throw new TypeError(`samples must hold numbers, got ${String(s)}`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { min: sorted[0], median, max: sorted[sorted.length - 1], mean, samples: [...samples] };
}

/**
 * Runs `fn` `warmup` times untimed (JIT compilation, caches), then `runs`
 * times timed, and summarises the wall times in milliseconds. Notebooks quote
 * the median: it ignores the odd run slowed down by a noisy neighbour.
 *
 * @example
 * ```ts
 * import { repeat } from "concurrency-lab";
 * const r = await repeat(() => JSON.stringify(Array(1e5).fill(1)), { runs: 7, warmup: 2 });
 * console.log(`median ${r.median.toFixed(1)} ms over ${r.samples.length} runs`);
 * ```
 */
export async function repeat(
  fn: () => unknown,
  opts: { runs?: number; warmup?: number } = {},
): Promise<SampleStats> {
  if (typeof fn !== "function") throw new TypeError("fn must be a function");
  const runs = checkCount("runs", opts.runs ?? 5, 1);
  const warmup = checkCount("warmup", opts.warmup ?? 1, 0);
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    await fn();
    samples.push(now() - t0);
  }
  return sampleStats(samples);
}

/** How long the event loop was blocked beyond its normal tick, in milliseconds. */
export interface LagStats {
  /** Longest single block: "the loop could not answer for this long". */
  maxMs: number;
  meanMs: number;
  p99Ms: number;
  /** Number of ticks observed. */
  count: number;
}

/** A running event-loop lag measurement; `stop()` ends it and returns the figures. */
export interface LagMonitor {
  stop(): LagStats;
}

/**
 * Starts measuring how long the event loop is blocked (Node's
 * `perf_hooks.monitorEventLoopDelay`): a timer that should fire every
 * `resolutionMs` notes how late it fires. A blocking call on the main thread
 * (a CPU loop, {@link blockingSleep}, `fs.readFileSync`) shows up as a large
 * `maxMs`; `await sleep()` does not. Figures already have the timer's own
 * period subtracted, so an idle loop reads ≈ 0.
 *
 * @example
 * ```ts
 * import { eventLoopLag, blockingSleep } from "concurrency-lab";
 * const lag = eventLoopLag();
 * await new Promise((r) => setTimeout(r, 20));
 * blockingSleep(300);
 * await new Promise((r) => setTimeout(r, 20));
 * lag.stop().maxMs; // ≈ 300
 * ```
 */
export function eventLoopLag(opts: { resolutionMs?: number } = {}): LagMonitor {
  const resolutionMs = checkCount("resolutionMs", opts.resolutionMs ?? 5, 1);
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let result: LagStats | null = null;
  return {
    stop(): LagStats {
      if (result) return result;
      histogram.disable();
      // The histogram records whole intervals between ticks (ns); the lag is what exceeds the period.
      const lag = (ns: number) => (histogram.count === 0 ? 0 : Math.max(0, ns / 1e6 - resolutionMs));
      result = {
        maxMs: lag(histogram.max),
        meanMs: lag(histogram.mean),
        p99Ms: lag(histogram.percentile(99)),
        count: histogram.count,
      };
      return result;
    },
  };
}

/**
 * Runs `fn` (sync or async) while measuring event-loop lag, and returns both.
 * A short pause before and after lets the monitor see the loop block.
 *
 * @example
 * ```ts
 * import { measureLag, sleep, blockingSleep } from "concurrency-lab";
 * (await measureLag(() => sleep(200))).lag.maxMs;        // ≈ 0: the loop stayed free
 * (await measureLag(() => blockingSleep(200))).lag.maxMs; // ≈ 200: the loop was frozen
 * ```
 */
export async function measureLag<T>(
  fn: () => T | Promise<T>,
  opts: { resolutionMs?: number } = {},
): Promise<{ value: Awaited<T>; lag: LagStats }> {
  if (typeof fn !== "function") throw new TypeError("fn must be a function");
  const monitor = eventLoopLag(opts);
  const settle = (opts.resolutionMs ?? 5) * 3;
  try {
    await sleep(settle);
    const value = await fn();
    await sleep(settle);
    return { value, lag: monitor.stop() };
  } finally {
    monitor.stop();
  }
}

/** The result of {@link calibrate}: a workload size and what one run of it took. */
export interface Calibration {
  /** Workload size that takes about the target time on this machine. */
  n: number;
  /** Wall time at `n`: the faster of the last two runs. */
  ms: number;
  /** How many sizes were tried. */
  rounds: number;
}

/**
 * Finds the workload size `n` for which one run of `work(n)` takes about
 * `targetMs` (within `tolerance`, ±25% by default) on this machine: doubles
 * `n` until a run takes a measurable time, then scales it by
 * `targetMs / measured` until the faster of two runs lands in range. CPU demos use it so they
 * last the same time on a 2-core CI box and on a 16-core laptop. `work` must
 * take time roughly proportional to `n`; it may return a promise.
 * `opts.clock` replaces the wall clock (`now`): a CPU-time clock, or a fake
 * one in a test, where the search can be checked without timing anything.
 *
 * @example
 * ```ts
 * import { calibrate } from "concurrency-lab";
 * const countDown = (n: number) => { while (n > 0) n--; };
 * const { n, ms } = await calibrate(countDown, 500);
 * console.log(`countDown(${n}) takes ${ms.toFixed(0)} ms here`);
 * ```
 */
export async function calibrate(
  work: (n: number) => unknown,
  targetMs: number,
  opts: { start?: number; tolerance?: number; maxRounds?: number; maxN?: number; clock?: () => number } = {},
): Promise<Calibration> {
  if (typeof work !== "function") throw new TypeError("work must be a function of the workload size n");
  checkMs("targetMs", targetMs);
  if (targetMs === 0) throw new RangeError("targetMs must be > 0");
  let n = checkCount("opts.start", opts.start ?? 1000, 1);
  const tolerance = opts.tolerance ?? 0.25;
  if (!(tolerance > 0 && tolerance < 1)) throw new RangeError(`opts.tolerance must be in (0, 1), got ${tolerance}`);
  const maxRounds = checkCount("opts.maxRounds", opts.maxRounds ?? 30, 1);
  const maxN = opts.maxN ?? Number.MAX_SAFE_INTEGER;
  const clock = opts.clock ?? now;
  if (typeof clock !== "function") throw new TypeError("opts.clock must be a function returning milliseconds");

  const runOnce = async (size: number) => {
    const t0 = clock();
    await work(size);
    return clock() - t0;
  };
  await runOnce(n); // warm-up: the first call pays for JIT compilation
  // Below a few ms, timer resolution and scheduling noise dominate: grow n fast first.
  const measurable = Math.min(targetMs / 4, 20);
  let ms = await runOnce(n);
  let rounds = 1;
  while (ms < measurable) {
    if (n * 2 > maxN || rounds >= maxRounds) {
      throw new RangeError(`calibrate: work(${n}) still takes only ${ms.toFixed(2)} ms; does its time grow with n?`);
    }
    n *= 2;
    ms = await runOnce(n);
    rounds++;
  }
  // Near the target, keep the faster of two runs: on a busy machine a single run
  // is often slowed by other programs, and that would make n too small.
  const runBest = async (size: number) => Math.min(await runOnce(size), await runOnce(size));
  ms = await runBest(n);
  while (Math.abs(ms - targetMs) > tolerance * targetMs) {
    if (rounds >= maxRounds) {
      throw new RangeError(`calibrate: no size within ±${tolerance * 100}% of ${targetMs} ms after ${rounds} rounds (last: n=${n}, ${ms.toFixed(1)} ms)`);
    }
    n = Math.max(1, Math.min(maxN, Math.round((n * targetMs) / ms)));
    ms = await runBest(n);
    rounds++;
  }
  return { n, ms, rounds };
}
