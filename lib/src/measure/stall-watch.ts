/**
 * Timing a piece of work together with how long it froze the event loop:
 * the two numbers a hybrid (event loop + pool) is judged by.
 */
import { now } from "./clock";
import { measureLag } from "./timers";

/** What {@link timedWithStall} measured. */
export interface StallTimed<T> {
  value: T;
  /** Wall time of the work alone, in ms. */
  wallMs: number;
  /** CPU time of this process (all its threads, libuv's pool included) during the work, in ms. */
  cpuMs: number;
  /** The longest time the event loop could not run a callback while the work ran, in ms. */
  stallMs: number;
}

/**
 * Runs `work` (sync or async) and returns its value, its wall time, this
 * process's CPU time over it, and the longest event-loop stall it caused.
 * The stall monitor needs a few quiet milliseconds before and after the work
 * to see a block; they are not counted in `wallMs` or `cpuMs`. The result
 * fits an `experiment()` variant: return it and the protocol uses its
 * `wallMs` and `cpuMs`.
 *
 * @example
 * ```ts
 * import { timedWithStall, blockingSleep, sleep } from "concurrency-lab";
 * (await timedWithStall(() => blockingSleep(100))).stallMs; // ≈ 100: the loop was frozen
 * (await timedWithStall(() => sleep(100))).stallMs;         // ≈ 0: the loop stayed free
 * ```
 */
export async function timedWithStall<T>(work: () => T | Promise<T>, opts: { resolutionMs?: number } = {}): Promise<StallTimed<Awaited<T>>> {
  if (typeof work !== "function") throw new TypeError("timedWithStall: work must be a function");
  let wallMs = 0;
  let cpuMs = 0;
  const { value, lag } = await measureLag(async () => {
    const cpu0 = process.cpuUsage();
    const t0 = now();
    const value = await work();
    wallMs = now() - t0;
    const cpu = process.cpuUsage(cpu0);
    cpuMs = (cpu.user + cpu.system) / 1000;
    return value;
  }, opts);
  return { value, wallMs, cpuMs, stallMs: lag.maxMs };
}
