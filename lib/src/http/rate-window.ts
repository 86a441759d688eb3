/**
 * The slow server's rate limit (`/rate/:n`): a fixed one-second window, the
 * way many APIs count "n requests per second".
 */

/** What the limiter decided for one request. */
export type RateDecision =
  | { allowed: true; remaining: number; resetMs: number }
  | { allowed: false; retryAfterMs: number; resetMs: number };

/**
 * Counts requests per limit in fixed windows of `windowMs` on the clock you
 * pass in (the shared clock `now()`, so windows start at whole multiples of
 * `windowMs` of it). Within a window the first `limit` requests are allowed;
 * the rest are refused with the time until the window ends (`Retry-After`).
 * Each distinct limit counts on its own, so `/rate/5` and `/rate/10` do not
 * share a budget.
 *
 * A fixed window lets a client that sends `limit` at the end of one window
 * and `limit` at the start of the next get 2 × limit through within a
 * moment; a client that keeps at most `limit` in any window never sees 429.
 *
 * @example
 * ```ts
 * const windows = new RateWindows(1000);
 * windows.take(2, 5000); // { allowed: true, remaining: 1, resetMs: 1000 }
 * windows.take(2, 5100); // { allowed: true, remaining: 0, resetMs: 900 }
 * windows.take(2, 5200); // { allowed: false, retryAfterMs: 800, resetMs: 800 }
 * ```
 */
export class RateWindows {
  #windows = new Map<number, { index: number; count: number }>();

  constructor(readonly windowMs = 1000) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
  }

  /** Counts one request against `limit` at time `t` (ms). */
  take(limit: number, t: number): RateDecision {
    const index = Math.floor(t / this.windowMs);
    const resetMs = (index + 1) * this.windowMs - t;
    let w = this.#windows.get(limit);
    if (w === undefined || w.index !== index) {
      w = { index, count: 0 };
      this.#windows.set(limit, w);
    }
    if (w.count < limit) {
      w.count++;
      return { allowed: true, remaining: limit - w.count, resetMs };
    }
    return { allowed: false, retryAfterMs: resetMs, resetMs };
  }

  /** Forgets every count. */
  clear(): void {
    this.#windows.clear();
  }
}

/**
 * The response headers of a rate decision: `Retry-After` in whole seconds
 * (rounded up, as HTTP wants a whole number), plus the exact wait in
 * `x-retry-after-ms` and the usual `x-ratelimit-*` headers.
 *
 * @example
 * ```ts
 * rateHeaders(5, { allowed: false, retryAfterMs: 250, resetMs: 250 });
 * // { "retry-after": "1", "x-retry-after-ms": "250", "x-ratelimit-limit": "5", ... }
 * ```
 */
export function rateHeaders(limit: number, d: RateDecision): Record<string, string> {
  const common = {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(d.allowed ? d.remaining : 0),
    "x-ratelimit-reset-ms": d.resetMs.toFixed(0),
  };
  if (d.allowed) return common;
  return {
    ...common,
    "retry-after": String(Math.max(1, Math.ceil(d.retryAfterMs / 1000))),
    "x-retry-after-ms": Math.ceil(d.retryAfterMs).toString(),
  };
}
