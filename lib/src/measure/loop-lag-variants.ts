/**
 * The event loop's longest stall during each run of a comparison's variants,
 * recorded beside the times `experiment()` measures: "how long did it take"
 * and "how long could nothing else run" are different questions.
 */
import { Timeline } from "./timeline";
import { watchEventLoop } from "./loop-watch";

/** What {@link withLoopLag} returns. */
export interface LaggedVariants<K extends string> {
  /** The same variants, each watched while it runs: pass these to `experiment()`. */
  variants: Record<K, () => Promise<unknown>>;
  /** Per variant, the longest stall of each run in ms (the watch timer's longest gap minus its period). */
  lagMs: Record<K, number[]>;
}

/**
 * Wraps each variant so that while it runs, a 5 ms timer watches this
 * thread's event loop (`watchEventLoop`); the longest stretch the timer could
 * not run, minus its period, is that run's stall. Warm-up runs are recorded
 * too (they come first). The variants' return values pass through unchanged.
 *
 * @example
 * ```ts
 * import { withLoopLag, experiment, sumOfSquares, ThreadPoolExecutor, tasks } from "concurrency-lab";
 * const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
 * const { variants, lagMs } = withLoopLag({
 *   inline: async () => sumOfSquares(3e7),
 *   "thread pool": () => pool.submit(tasks.sumOfSquares, 3e7),
 * });
 * await experiment({ id: "stall", question: "Does a pool free the loop?", variants });
 * lagMs.inline; // e.g. [41.8, 40.2, 40.9, 41.5]: the loop was stuck for the whole computation
 * ```
 */
export function withLoopLag<K extends string>(variants: Record<K, () => unknown>, opts: { periodMs?: number } = {}): LaggedVariants<K> {
  const periodMs = opts.periodMs ?? 5;
  const names = Object.keys(variants ?? {}) as K[];
  if (names.length === 0) throw new RangeError("withLoopLag: variants must not be empty");
  const wrapped = {} as Record<K, () => Promise<unknown>>;
  const lagMs = {} as Record<K, number[]>;
  for (const name of names) {
    const fn = variants[name];
    if (typeof fn !== "function") throw new TypeError(`withLoopLag: variant "${name}" must be a function`);
    lagMs[name] = [];
    wrapped[name] = async () => {
      const watch = watchEventLoop(new Timeline(), { periodMs });
      try {
        return await fn();
      } finally {
        lagMs[name].push(Math.max(0, watch.stop().maxGapMs - periodMs));
      }
    };
  }
  return { variants: wrapped, lagMs };
}
