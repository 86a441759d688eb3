/**
 * What every executor's `map` shares, the pools' and the job queue's alike:
 * checking `items` and `chunksize`, cutting the items into chunks (one task
 * call each), and reading the chunks' results back in input order.
 */
import type { Future } from "./future";

/** One chunk of a `map`: where it starts in `items`, and the argument lists of its calls. */
export interface MapChunk<T> {
  offset: number;
  argsList: [T][];
  /** Names item `i` of this chunk for error messages: `item 7 (items[7]`. */
  describe: (i: number) => string;
}

/**
 * Checks `items` (any iterable) and `chunksize` (an integer >= 1) and cuts the
 * items into chunks of `chunksize`, as Python's `Executor.map(chunksize=…)`.
 *
 * @example
 * ```ts
 * import { chunkItems } from "concurrency-lab";
 * chunkItems([1, 2, 3], 2).map((c) => c.argsList); // [[[1], [2]], [[3]]]
 * ```
 */
export function chunkItems<T>(items: Iterable<T>, chunksize: number = 1): MapChunk<T>[] {
  if (typeof chunksize !== "number" || !Number.isInteger(chunksize) || chunksize < 1) {
    throw new RangeError(`chunksize must be an integer >= 1, got ${String(chunksize)}`);
  }
  if (items == null || typeof (items as Iterable<T>)[Symbol.iterator] !== "function") {
    throw new TypeError(`items must be iterable (an array, a Set, a generator...), got ${String(items)}`);
  }
  const all = Array.from(items);
  const chunks: MapChunk<T>[] = [];
  for (let offset = 0; offset < all.length; offset += chunksize) {
    chunks.push({
      offset,
      argsList: all.slice(offset, offset + chunksize).map((item): [T] => [item]),
      describe: (i) => `item ${offset + i} (items[${offset + i}]`,
    });
  }
  return chunks;
}

/**
 * The chunks' results one by one in input order; leaving early (break, an
 * error) cancels the chunks not yet started, as Python's `map` iterator does.
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor, tasks } from "concurrency-lab";
 * const pool = new ThreadPoolExecutor();
 * for await (const n of pool.map(tasks.countPrimes, [0, 10_000])) console.log(n); // map uses inOrder
 * ```
 */
export async function* inOrder<R>(chunks: Future<R[]>[]): AsyncIterableIterator<R> {
  try {
    for (const chunk of chunks) for (const value of await chunk) yield value;
  } finally {
    for (const chunk of chunks) chunk.cancel();
  }
}

/**
 * {@link inOrder} collected into an array (`mapAll`, Python's `list(executor.map(...))`).
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor, tasks } from "concurrency-lab";
 * await new ThreadPoolExecutor().mapAll(tasks.sumOfSquares, [10, 100]); // mapAll uses allInOrder: [285, 328350]
 * ```
 */
export async function allInOrder<R>(chunks: Future<R[]>[]): Promise<R[]> {
  const results: R[] = [];
  for await (const value of inOrder(chunks)) results.push(value);
  return results;
}
