import { allocateCells, assertMayBlock, cellsOf, sleepUntil, waitUntil, type SharedHandle } from "./shared-wait";

const TAG = 0x53454d41; // "SEMA"
const COUNT = 1;

/**
 * `threading.Semaphore` across worker threads: a shared count of permits.
 * `acquire()` takes one (sleeping while there are none), `release()` gives one
 * back and wakes a sleeper.
 *
 * Share it with workers like a {@link Mutex}: pass it or its `.buffer`, rebuild
 * with `Semaphore.from(handle)`. Workers use the blocking `acquire()`; the main
 * thread uses `acquireAsync()`.
 *
 * @example
 * ```ts
 * import { Semaphore } from "concurrency-lab";
 * const slots = new Semaphore(2);        // at most two threads in the section
 * // in a worker: const s = Semaphore.from(workerData.slots); s.acquire(); try { ... } finally { s.release(); }
 * await slots.acquireAsync(); slots.release();
 * ```
 */
export class Semaphore {
  /** The shared memory; send this (or the semaphore itself) to another thread. */
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  /**
   * @param value the initial number of permits (an integer >= 0), like `threading.Semaphore(value)`;
   *   or a handle, to get the same semaphore as the one it came from.
   */
  constructor(value: number | SharedHandle = 1) {
    if (typeof value === "number") {
      if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
        throw new RangeError(`Semaphore: value must be an integer >= 0, got ${value}`);
      }
      this.#cells = allocateCells(TAG, 2);
      this.#cells[COUNT] = value;
    } else {
      this.#cells = cellsOf(value, TAG, 2, "Semaphore");
    }
    this.buffer = this.#cells.buffer as SharedArrayBuffer;
  }

  /**
   * Rebuilds a Semaphore from its `.buffer` or a structured clone of it, in any thread.
   *
   * @example
   * ```ts
   * const slots = Semaphore.from(workerData.slots);
   * ```
   */
  static from(handle: SharedHandle): Semaphore {
    if (handle == null) throw new TypeError("Semaphore.from: handle is required (a Semaphore, its clone or its .buffer)");
    return new Semaphore(handle);
  }

  /** Permits free right now (a snapshot). */
  get value(): number {
    return Atomics.load(this.#cells, COUNT);
  }

  /** Takes a permit if one is free, without waiting. */
  tryAcquire(): boolean {
    let seen = Atomics.load(this.#cells, COUNT);
    while (seen > 0) {
      const before = Atomics.compareExchange(this.#cells, COUNT, seen, seen - 1);
      if (before === seen) return true;
      seen = before; // another thread changed it between our load and our swap: retry with its value
    }
    return false;
  }

  /**
   * Takes a permit, sleeping while none is free, for at most `timeoutMs`.
   * Returns false if it timed out. Worker threads only.
   */
  acquire(timeoutMs = Infinity): boolean {
    assertMayBlock("Semaphore.acquire()", "await semaphore.acquireAsync() (or semaphore.tryAcquire())");
    // Sleeps only while the count is 0; a release wakes it to try again.
    return sleepUntil(() => this.tryAcquire(), this.#cells, COUNT, 0, timeoutMs, "Semaphore.acquire");
  }

  /** Like `acquire()`, but awaits instead of sleeping: for the main thread (works in any thread). */
  async acquireAsync(timeoutMs = Infinity): Promise<boolean> {
    return waitUntil(() => this.tryAcquire(), this.#cells, COUNT, 0, timeoutMs, "Semaphore.acquireAsync");
  }

  /** Gives back `n` permits and wakes up to `n` sleepers. */
  release(n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Semaphore.release: n must be an integer >= 1, got ${n}`);
    Atomics.add(this.#cells, COUNT, n);
    Atomics.notify(this.#cells, COUNT, n);
  }
}
