/**
 * Timing a piece of work together with how long it froze the event loop:
 * the two numbers a hybrid (event loop + pool) is judged by.
 */
import { now } from "./clock";
import { clockTicksPerSecond, descendantTicks, readProcessTree } from "./cpu-accounting";
import { measureLag, sampleStats } from "./timers";

/** What {@link timedWithStall} measured. */
export interface StallTimed<T> {
  value: T;
  /** Wall time of the work alone, in ms. */
  wallMs: number;
  /**
   * CPU time during the work, in ms: this process (all its threads, libuv's pool included) and,
   * where `/proc` exists, its child processes (a process pool's workers).
   */
  cpuMs: number;
  /** The longest time the event loop could not run a callback while the work ran, in ms. */
  stallMs: number;
}

/**
 * Runs `work` (sync or async) and returns its value, its wall time, the CPU
 * time of this process and its child processes over it, and the longest
 * event-loop stall it caused.
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
    const tree0 = readProcessTree();
    const cpu0 = process.cpuUsage();
    const t0 = now();
    const value = await work();
    wallMs = now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const tree1 = readProcessTree();
    const children = tree0 && tree1 ? (descendantTicks(tree0, tree1) * 1000) / clockTicksPerSecond() : 0;
    cpuMs = (cpu.user + cpu.system) / 1000 + children;
    return value;
  }, opts);
  return { value, wallMs, cpuMs, stallMs: lag.maxMs };
}

/**
 * Collects event-loop stalls by name across the runs of an experiment:
 * `watch(name, work)` makes a variant that runs `work` under
 * {@link timedWithStall}, keeps its stall and returns its wall and CPU time to
 * the protocol; `rows()` gives each name's median stall.
 *
 * @example
 * ```ts
 * import { StallLog, experiment, blockingSleep, sleep } from "concurrency-lab";
 * const stalls = new StallLog();
 * await experiment({ id: "stall-demo", question: "Does it block?", variants: {
 *   blocking: stalls.watch("blocking", () => blockingSleep(50)),
 *   waiting: stalls.watch("waiting", () => sleep(50)),
 * } });
 * stalls.rows(); // [{ label: "blocking", value: ~50 }, { label: "waiting", value: ~0 }]
 * ```
 */
export class StallLog {
  readonly #stalls = new Map<string, number[]>();

  /** A variant function: runs `work`, records its stall under `name`, returns `{ value, wallMs, cpuMs, stallMs }`. */
  watch<T>(name: string, work: () => T | Promise<T>): () => Promise<StallTimed<Awaited<T>>> {
    if (typeof name !== "string" || name === "") throw new TypeError("StallLog.watch: name must be a non-empty string");
    return async () => {
      const r = await timedWithStall(work);
      if (!this.#stalls.has(name)) this.#stalls.set(name, []);
      this.#stalls.get(name)!.push(r.stallMs);
      return r;
    };
  }

  /** Each name's median stall in ms, in the order the names were first recorded (bar-chart rows). */
  rows(): { label: string; value: number }[] {
    return [...this.#stalls].map(([label, ms]) => ({ label, value: sampleStats(ms).median }));
  }
}
