/**
 * CPU tasks that time themselves from inside the worker: each returns its
 * value with its own wall time and its thread's CPU time, so a comparison can
 * tell "each task ran slower in parallel" from "the pool sat idle".
 */
import { now } from "../measure/clock";
import { threadCpuMs } from "../measure/thread-cpu";
import { taskFrom } from "./task";
import { sumOfSquares } from "./tasks";

/** A task's result with the task's own timing. */
export interface TimedResult<T> {
  value: T;
  /** Wall time of the task, in ms, measured where it ran. */
  ms: number;
  /** CPU time of the thread that ran it, in ms; null where the OS does not say (see `threadCpuMs`). */
  cpuMs: number | null;
}

/**
 * `sumOfSquares(n)`, timed from inside: its wall time and its thread's CPU time.
 *
 * @example
 * ```ts
 * import { timedSumOfSquares } from "concurrency-lab";
 * const { value, ms, cpuMs } = timedSumOfSquares(1_000_000);
 * ```
 */
export function timedSumOfSquares(n: number): TimedResult<number> {
  const cpu0 = threadCpuMs();
  const t0 = now();
  const value = sumOfSquares(n);
  const ms = now() - t0;
  const cpu1 = threadCpuMs();
  return { value, ms, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

/**
 * The timed tasks, ready for `pool.submit` / `pool.mapAll` in thread and process pools.
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor, timedTasks } from "concurrency-lab";
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const runs = await pool.mapAll(timedTasks.sumOfSquares, [3e7, 3e7]);
 * console.log(runs.map((r) => `${r.ms.toFixed(0)} ms wall, ${r.cpuMs?.toFixed(0)} ms CPU`));
 * await pool.shutdown();
 * ```
 */
export const timedTasks = {
  sumOfSquares: taskFrom<[n: number], TimedResult<number>>(__filename, "timedSumOfSquares"),
};
