import { now } from "../measure/clock";

/**
 * A client-side rate limiter: at most `perWindow` acquisitions in any
 * `windowMs` (a sliding log of grant times), so a client stays under an API's
 * "n requests per second". `acquire()` resolves when the next request may go.
 * `marginMs` widens the window a little, because the server counts a
 * request when it arrives, a moment after the client let it go.
 *
 * A concurrency limit (a semaphore, a pool of n) is not a rate limit: n
 * requests in flight that each take 10 ms make 100 × n requests per second.
 *
 * @example
 * ```ts
 * import { PerSecondLimiter } from "concurrency-lab";
 * const limiter = new PerSecondLimiter(5);
 * for (const url of urls) { await limiter.acquire(); void fetch(url); } // never more than 5 in any second
 * ```
 */
export class PerSecondLimiter {
  readonly windowMs: number;
  #granted: number[] = [];
  #waiters: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly perWindow: number,
    opts: { windowMs?: number; marginMs?: number } = {},
  ) {
    if (!Number.isInteger(perWindow) || perWindow < 1) throw new RangeError(`perWindow must be an integer >= 1, got ${perWindow}`);
    const { windowMs = 1000, marginMs = 50 } = opts;
    if (!(windowMs > 0) || !(marginMs >= 0)) throw new RangeError("windowMs must be > 0 and marginMs >= 0");
    this.windowMs = windowMs + marginMs;
  }

  /** Resolves when a request may be sent (at once while under the limit). */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#pump();
    });
  }

  /** Grant times (shared clock) within the current window. */
  get recent(): readonly number[] {
    this.#forget(now());
    return this.#granted;
  }

  #forget(t: number): void {
    while (this.#granted.length > 0 && t - this.#granted[0] >= this.windowMs) this.#granted.shift();
  }

  #pump(): void {
    const t = now();
    this.#forget(t);
    while (this.#waiters.length > 0 && this.#granted.length < this.perWindow) {
      this.#granted.push(t);
      this.#waiters.shift()!();
    }
    if (this.#waiters.length > 0 && this.#timer === undefined) {
      const wait = Math.max(1, this.windowMs - (t - this.#granted[0]));
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#pump();
      }, wait);
    }
  }
}
