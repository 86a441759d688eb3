import { allocateCells, assertMayBlock, cellsOf, waitAsync, type SharedHandle } from "./shared-wait";

const TAG = 0x42415252; // "BARR"
const PARTIES = 1;
const ARRIVED = 2;
const GENERATION = 3; // bumped by the last arrival; waiters sleep until it changes
const LENGTH = 4;

/**
 * `threading.Barrier` across worker threads: `parties` threads each call
 * `wait()`, and none gets past it until all have arrived. Used to start
 * racing threads together, so start-up skew does not hide the race.
 * It is reusable: once released it counts the next round from zero.
 *
 * Share it with workers like a {@link Mutex}: pass it or its `.buffer`, rebuild
 * with `Barrier.from(handle)`. Workers use the blocking `wait()`; the main
 * thread may take part with `waitAsync()`.
 *
 * @example
 * ```ts
 * import { Barrier } from "concurrency-lab";
 * const start = new Barrier(3);          // two workers + the notebook
 * // in each worker: Barrier.from(workerData.start).wait(); then race
 * await start.waitAsync();               // released together with the workers
 * ```
 */
export class Barrier {
  /** The shared memory; send this (or the barrier itself) to another thread. */
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  /**
   * @param parties how many threads must arrive before any is released (an integer >= 1);
   *   or a handle, to get the same barrier as the one it came from.
   */
  constructor(parties: number | SharedHandle) {
    if (typeof parties === "number") {
      if (!Number.isInteger(parties) || parties < 1 || parties > 0x7fffffff) {
        throw new RangeError(`Barrier: parties must be an integer >= 1, got ${parties}`);
      }
      this.#cells = allocateCells(TAG, LENGTH);
      this.#cells[PARTIES] = parties;
    } else {
      this.#cells = cellsOf(parties, TAG, LENGTH, "Barrier");
    }
    this.buffer = this.#cells.buffer as SharedArrayBuffer;
  }

  /**
   * Rebuilds a Barrier from its `.buffer` or a structured clone of it, in any thread.
   *
   * @example
   * ```ts
   * const start = Barrier.from(workerData.start);
   * ```
   */
  static from(handle: SharedHandle): Barrier {
    if (handle == null) throw new TypeError("Barrier.from: handle is required (a Barrier, its clone or its .buffer)");
    return new Barrier(handle);
  }

  /** How many threads must arrive per round. */
  get parties(): number {
    return this.#cells[PARTIES];
  }

  /** How many have arrived in the current round (a snapshot). */
  get waiting(): number {
    return Atomics.load(this.#cells, ARRIVED);
  }

  /**
   * Arrives and sleeps until all `parties` have arrived. Returns this thread's
   * arrival index, 0 to parties - 1 (the last arrival gets parties - 1),
   * like Python's `Barrier.wait()`. Worker threads only.
   */
  wait(): number {
    // Checked before arriving, so a refused call leaves the count untouched.
    assertMayBlock("Barrier.wait()", "await barrier.waitAsync()");
    const { generation, index } = this.#arrive();
    while (Atomics.load(this.#cells, GENERATION) === generation) {
      Atomics.wait(this.#cells, GENERATION, generation);
    }
    return index;
  }

  /** Like `wait()`, but awaits instead of sleeping: for the main thread (works in any thread). */
  async waitAsync(): Promise<number> {
    const { generation, index } = this.#arrive();
    while (Atomics.load(this.#cells, GENERATION) === generation) {
      await waitAsync(this.#cells, GENERATION, generation);
    }
    return index;
  }

  /** Counts this arrival; the last one of the round resets the count and releases everyone. */
  #arrive(): { generation: number; index: number } {
    // Read the round before arriving: once we have arrived, the last thread may end the round at any moment.
    const generation = Atomics.load(this.#cells, GENERATION);
    const index = Atomics.add(this.#cells, ARRIVED, 1);
    if (index === this.parties - 1) {
      Atomics.store(this.#cells, ARRIVED, 0);
      Atomics.add(this.#cells, GENERATION, 1);
      Atomics.notify(this.#cells, GENERATION);
    }
    return { generation, index };
  }
}
