/**
 * CPU time of the calling thread alone. `process.cpuUsage()` counts every
 * thread of the process, so inside a worker thread it cannot say what that
 * thread used; Linux can, through `/proc/thread-self/schedstat`.
 */
import { readFileSync } from "node:fs";

/**
 * CPU time the calling OS thread has used so far, in ms (nanosecond
 * resolution), read from `/proc/thread-self/schedstat`; `null` where the OS
 * does not offer it (macOS, Windows, kernels without schedstats). Works on the
 * main thread and inside worker threads. Subtract two readings for an interval.
 *
 * @example
 * ```ts
 * import { threadCpuMs, sleep } from "concurrency-lab";
 * const before = threadCpuMs();
 * await sleep(100); // waiting costs (almost) no CPU
 * const after = threadCpuMs();
 * if (before !== null && after !== null) console.log(`${(after - before).toFixed(2)} ms of CPU`);
 * ```
 */
export function threadCpuMs(): number | null {
  try {
    const ns = Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}
