/**
 * One clock for every thread and process on this machine.
 *
 * `process.hrtime` reads the operating system's monotonic clock (CLOCK_MONOTONIC
 * on Linux, mach_absolute_time on macOS, QueryPerformanceCounter on Windows).
 * That clock is shared by all processes of the machine, so a time read in a
 * worker thread or a child process can be compared with one read in the
 * notebook directly, with no hand-shake. `performance.now()` cannot do this:
 * each thread and process counts from its own start.
 *
 * @example
 * ```ts
 * import { now } from "concurrency-lab";
 * const t0 = now();
 * // ... work ...
 * console.log(`took ${(now() - t0).toFixed(1)} ms`);
 * ```
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
