import { allocateCells, assertMayBlock, cellsOf, sleepUntil, waitUntil, type SharedHandle } from "./shared-wait";

const TAG = 0x45564e54; // "EVNT"
const FLAG = 1;

/**
 * `threading.Event` across worker threads: a flag that threads can wait for.
 * (Named ThreadEvent so it does not shadow the DOM/Node global `Event`.)
 *
 * `set()` raises the flag and wakes every waiter; `clear()` lowers it;
 * `wait()` returns at once while the flag is up. Share it with workers like a
 * {@link Mutex}: pass it or its `.buffer`, rebuild with `ThreadEvent.from(handle)`.
 * Workers use the blocking `wait()`; the main thread uses `waitAsync()`.
 *
 * @example
 * ```ts
 * import { ThreadEvent } from "concurrency-lab";
 * const go = new ThreadEvent();
 * // in a worker: ThreadEvent.from(workerData.go).wait(); // sleeps until...
 * go.set();                                               // ...the notebook says go
 * ```
 */
export class ThreadEvent {
  /** The shared memory; send this (or the event itself) to another thread. */
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  /** A new event with its flag down; or, given a handle, the same event as the one it came from. */
  constructor(handle?: SharedHandle) {
    this.#cells = handle === undefined ? allocateCells(TAG, 2) : cellsOf(handle, TAG, 2, "ThreadEvent");
    this.buffer = this.#cells.buffer as SharedArrayBuffer;
  }

  /**
   * Rebuilds a ThreadEvent from its `.buffer` or a structured clone of it, in any thread.
   *
   * @example
   * ```ts
   * const go = ThreadEvent.from(workerData.go);
   * ```
   */
  static from(handle: SharedHandle): ThreadEvent {
    if (handle == null) throw new TypeError("ThreadEvent.from: handle is required (a ThreadEvent, its clone or its .buffer)");
    return new ThreadEvent(handle);
  }

  /** True while the flag is up. */
  isSet(): boolean {
    return Atomics.load(this.#cells, FLAG) === 1;
  }

  /** Raises the flag and wakes every thread waiting for it. */
  set(): void {
    Atomics.store(this.#cells, FLAG, 1);
    Atomics.notify(this.#cells, FLAG);
  }

  /** Lowers the flag: later `wait()` calls sleep again until the next `set()`. */
  clear(): void {
    Atomics.store(this.#cells, FLAG, 0);
  }

  /**
   * Sleeps until the flag is up or `timeoutMs` passes; returns the flag
   * (false means it timed out), like Python's `Event.wait(timeout)`. Worker threads only.
   */
  wait(timeoutMs = Infinity): boolean {
    assertMayBlock("ThreadEvent.wait()", "await event.waitAsync() (or poll event.isSet())");
    sleepUntil(() => this.isSet(), this.#cells, FLAG, 0, timeoutMs, "ThreadEvent.wait");
    return this.isSet(); // the flag on exit, as Python's Event.wait returns it
  }

  /** Like `wait()`, but awaits instead of sleeping: for the main thread (works in any thread). */
  async waitAsync(timeoutMs = Infinity): Promise<boolean> {
    await waitUntil(() => this.isSet(), this.#cells, FLAG, 0, timeoutMs, "ThreadEvent.waitAsync");
    return this.isSet();
  }
}
