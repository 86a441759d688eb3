import { allocateCells, assertMayBlock, cellsOf, waitAsync, type SharedHandle } from "./shared-wait";

const TAG = 0x4d555458; // "MUTX"
const STATE = 1;
// The three states of the classic futex mutex (Drepper, "Futexes are tricky"):
// only an unlock from CONTENDED pays for a notify, so an uncontended lock/unlock is two atomic ops.
const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2; // locked, and someone may be asleep waiting for it

/**
 * `threading.Lock` across worker threads, on a SharedArrayBuffer with
 * `Atomics.wait` / `Atomics.notify`.
 *
 * Create it anywhere, pass it (or its `.buffer`) to a worker in `workerData`,
 * `postMessage` or as an executor task argument, and rebuild it there with
 * `Mutex.from(handle)`: every copy works on the same shared memory.
 * Workers use the blocking `lock()`; the main thread must use `lockAsync()`
 * (it throws if you call `lock()` there, since that would freeze the event loop).
 * Like `threading.Lock` it has no owner: any thread may unlock it, but unlocking
 * an unlocked mutex is an error.
 *
 * @example
 * ```ts
 * import { Mutex } from "concurrency-lab";
 * const mutex = new Mutex();
 * // in a worker: const m = Mutex.from(workerData.mutex); m.withLock(() => { counter[0]++; });
 * await mutex.withLockAsync(() => console.log("main thread holds it"));
 * ```
 */
export class Mutex {
  /** The shared memory; send this (or the Mutex itself) to another thread. */
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  /** A new, unlocked mutex; or, given a handle, the same mutex as the one it came from. */
  constructor(handle?: SharedHandle) {
    this.#cells = handle === undefined ? allocateCells(TAG, 2) : cellsOf(handle, TAG, 2, "Mutex");
    this.buffer = this.#cells.buffer as SharedArrayBuffer;
  }

  /**
   * Rebuilds a Mutex from its `.buffer` or a structured clone of it, in any thread.
   *
   * @example
   * ```ts
   * const m = Mutex.from(workerData.mutex);
   * ```
   */
  static from(handle: SharedHandle): Mutex {
    if (handle == null) throw new TypeError("Mutex.from: handle is required (a Mutex, its structured clone or its .buffer)");
    return new Mutex(handle);
  }

  /** True if some thread holds the mutex right now (a snapshot: it may change at once). */
  locked(): boolean {
    return Atomics.load(this.#cells, STATE) !== UNLOCKED;
  }

  /** Takes the mutex if it is free, without waiting. */
  tryLock(): boolean {
    return Atomics.compareExchange(this.#cells, STATE, UNLOCKED, LOCKED) === UNLOCKED;
  }

  /** Takes the mutex, sleeping until it is free. Worker threads only. */
  lock(): void {
    // Refused on a main thread even when free, so the mistake shows up every time, not only under contention.
    assertMayBlock("Mutex.lock()", "await mutex.lockAsync() (or mutex.tryLock())");
    if (this.tryLock()) return;
    // Mark it contended before sleeping so the holder's unlock knows to wake us.
    while (Atomics.exchange(this.#cells, STATE, CONTENDED) !== UNLOCKED) {
      Atomics.wait(this.#cells, STATE, CONTENDED);
    }
  }

  /** Takes the mutex, awaiting (never blocking) until it is free. Works in any thread. */
  async lockAsync(): Promise<void> {
    if (this.tryLock()) return;
    while (Atomics.exchange(this.#cells, STATE, CONTENDED) !== UNLOCKED) {
      await waitAsync(this.#cells, STATE, CONTENDED);
    }
  }

  /** Frees the mutex and wakes one waiter if any. Throws if it is not locked. */
  unlock(): void {
    const previous = Atomics.exchange(this.#cells, STATE, UNLOCKED);
    if (previous === UNLOCKED) throw new Error("Mutex.unlock: the mutex is not locked (release of an unlocked lock)");
    if (previous === CONTENDED) Atomics.notify(this.#cells, STATE, 1);
  }

  /** Runs `fn` holding the mutex (blocking; worker threads only): Python's `with lock:`. */
  withLock<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  /** Runs `fn` holding the mutex, taken with `lockAsync()`: `with lock:` for the main thread. */
  async withLockAsync<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.lockAsync();
    try {
      return await fn();
    } finally {
      this.unlock();
    }
  }
}
