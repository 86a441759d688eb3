import { AsyncSemaphore } from "./async-semaphore";

/**
 * `asyncio.Lock` for the event loop: one holder at a time across `await`s.
 *
 * Code on one thread never runs in parallel, yet a read and its write that
 * straddle an `await` can still interleave with another task (see `asyncRace`).
 * Holding this lock from the read to the write closes that gap. It is a
 * semaphore of one permit that refuses to be released when nobody holds it,
 * like Python's `RuntimeError: Lock is not acquired.`
 *
 * @example
 * ```ts
 * import { AsyncLock } from "concurrency-lab";
 * const lock = new AsyncLock();
 * let balance = 100;
 * await lock.run(async () => {                // `async with lock:`
 *   const b = balance;
 *   await new Promise((r) => setTimeout(r, 10));
 *   balance = b - 30;
 * });
 * ```
 */
export class AsyncLock {
  // Held exactly while the one permit is out: it is taken synchronously by acquire() and passed
  // straight from holder to waiter by release(), so no separate flag can lag behind it.
  readonly #permit = new AsyncSemaphore(1);

  /** True while someone holds the lock. */
  locked(): boolean {
    return this.#permit.locked();
  }

  /** Waits (in arrival order) until the lock is free, then takes it. Aborting `signal` leaves the line. */
  acquire(signal?: AbortSignal): Promise<void> {
    return this.#permit.acquire(signal);
  }

  /** Takes the lock if it is free now, without waiting. */
  tryAcquire(): boolean {
    return this.#permit.tryAcquire();
  }

  /** Frees the lock, handing it to the first waiter. Throws if the lock is not held. */
  release(): void {
    if (!this.#permit.locked()) throw new Error("AsyncLock.release: the lock is not held (release without acquire)");
    this.#permit.release();
  }

  /** Runs `fn` holding the lock and always releases it: Python's `async with lock:`. */
  run<T>(fn: () => T | Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#permit.run(fn, signal); // inside run the permit is always held, so release cannot misfire
  }
}
