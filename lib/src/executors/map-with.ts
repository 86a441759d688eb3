/**
 * The concurrency-basics document's "switch the class name" idea: one
 * function runs the same `map` on a fresh pool of whichever executor class it
 * is given, timed like Python's `with PoolClass(max_workers=…) as executor:`
 * block (creating the pool, the work, and the shutdown at the block's end).
 */
import { now } from "../measure/clock";
import type { Timeline } from "../measure/timeline";
import type { Task } from "./task";
import { ThreadPoolExecutor } from "./thread-pool";
import { ProcessPoolExecutor } from "./process-pool";

/** Either executor class: both take `{ maxWorkers, timeline }` and share one interface. */
export type PoolClass = typeof ThreadPoolExecutor | typeof ProcessPoolExecutor;

/** What {@link mapWith} returns. */
export interface MapWithResult<R> {
  /** The results in input order, as `executor.map` gives them. */
  results: R[];
  /** From creating the pool to the end of its shutdown, in ms. */
  wallMs: number;
}

/**
 * Creates a pool of class `Pool` with `maxWorkers` workers, maps `task` over
 * `items` (`mapAll`, results in input order), shuts the pool down, and times
 * all three, as Python's `with` block does. The only thing that changes
 * between a thread pool and a process pool is the class passed in.
 *
 * @example
 * ```ts
 * import { mapWith, ThreadPoolExecutor, ProcessPoolExecutor, tasks } from "concurrency-lab";
 * for (const Pool of [ThreadPoolExecutor, ProcessPoolExecutor]) {
 *   const run = await mapWith(Pool, tasks.sumOfSquares, [10, 100, 1000], { maxWorkers: 3 });
 *   console.log(Pool.name, run.results, `${run.wallMs.toFixed(0)} ms`);
 * }
 * ```
 */
export async function mapWith<T, R>(
  Pool: PoolClass,
  task: Task<[T], R>,
  items: Iterable<T>,
  opts: { maxWorkers?: number; timeline?: Timeline } = {},
): Promise<MapWithResult<Awaited<R>>> {
  if (Pool !== ThreadPoolExecutor && Pool !== ProcessPoolExecutor) {
    throw new TypeError("mapWith: Pool must be ThreadPoolExecutor or ProcessPoolExecutor");
  }
  const t0 = now();
  const pool = new Pool({ maxWorkers: opts.maxWorkers, timeline: opts.timeline });
  try {
    const results = await pool.mapAll(task, items);
    await pool.shutdown();
    return { results, wallMs: now() - t0 };
  } finally {
    await pool.shutdown(); // safe to call again; closes the pool when mapAll failed
  }
}
