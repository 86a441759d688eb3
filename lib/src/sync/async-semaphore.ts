/**
 * `asyncio.Semaphore` for the event loop: at most `value` holders at once, the
 * others wait in line (first come, first served).
 *
 * Kept as our own short class rather than a dependency (async-mutex would do):
 * the mechanism is the lesson. A permit is a number; a waiter is a resolver in a
 * FIFO line; `release()` hands the permit straight to the first waiter, so a
 * late-comer calling `acquire()` can never jump the line.
 *
 * @example
 * ```ts
 * import { AsyncSemaphore } from "concurrency-lab";
 * const sem = new AsyncSemaphore(3);          // asyncio.Semaphore(3)
 * const pages = await Promise.all(urls.map((u) => sem.run(() => fetch(u))));  // `async with sem:`
 * ```
 */
export class AsyncSemaphore {
  #value: number;
  /** Waiters in arrival order; each is woken with its permit already taken for it. */
  #line: Array<{ grant: () => void }> = [];

  /** @param value how many holders may run at once (an integer >= 0). */
  constructor(value: number) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`AsyncSemaphore: value must be an integer >= 0, got ${String(value)}`);
    }
    this.#value = value;
  }

  /** Permits free right now. */
  get value(): number {
    return this.#value;
  }

  /** How many callers are waiting in `acquire()`. */
  get waiting(): number {
    return this.#line.length;
  }

  /** True when `acquire()` would have to wait (`asyncio.Semaphore.locked()`). */
  locked(): boolean {
    return this.#value === 0;
  }

  /**
   * Takes a permit, waiting in line for one if none is free. If `signal` aborts
   * while waiting, leaves the line and rejects with `signal.reason` (no permit taken).
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#value > 0 && this.#line.length === 0) {
      this.#value--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#line.indexOf(waiter);
        if (i >= 0) this.#line.splice(i, 1);
        reject(signal?.reason);
      };
      const waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#line.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Takes a permit if one is free now, without waiting. */
  tryAcquire(): boolean {
    if (this.#value === 0 || this.#line.length > 0) return false;
    this.#value--;
    return true;
  }

  /** Returns a permit: the first waiter gets it directly, otherwise it goes back to the pool. */
  release(): void {
    const next = this.#line.shift();
    if (next) next.grant();
    else this.#value++;
  }

  /** Runs `fn` holding a permit and always gives it back: Python's `async with sem:`. */
  async run<T>(fn: () => T | Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
