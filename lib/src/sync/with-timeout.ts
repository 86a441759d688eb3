/**
 * The rejection of {@link withTimeout} when time runs out. Its `name` is
 * "TimeoutError", the same as the DOMException of `AbortSignal.timeout()`, so
 * `err.name === "TimeoutError"` catches both.
 *
 * @example
 * ```ts
 * try { await withTimeout((signal) => fetch(url, { signal }), 500); }
 * catch (e) { if (e instanceof OperationTimeoutError) console.log(e.message); }
 * ```
 */
export class OperationTimeoutError extends Error {
  override readonly name = "TimeoutError";
  /** The time limit that passed, in ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * `asyncio.wait_for(work, timeout)`: runs `work(signal)` and settles with it,
 * unless `ms` pass first. Then it aborts `signal` (with an
 * {@link OperationTimeoutError} as the reason) and rejects with that error.
 *
 * JavaScript cannot stop a promise from outside, so cancellation is
 * cooperative: `work` must pass `signal` on (to fetch, timers, child tasks)
 * or check it. Python's task cancellation works the same way, only with an
 * exception raised at the next `await` instead of a signal.
 * An outer `opts.signal` aborting also aborts the work and rejects with its reason.
 *
 * @example
 * ```ts
 * import { withTimeout } from "concurrency-lab";
 * const text = await withTimeout((signal) => fetch("http://localhost:8000/slow", { signal }).then((r) => r.text()), 1000);
 * ```
 */
export function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T> | T,
  ms: number,
  opts: { signal?: AbortSignal } = {},
): Promise<T> {
  if (typeof work !== "function") throw new TypeError("withTimeout: work must be a function (signal) => Promise");
  // setTimeout fires at once for delays beyond 2^31 - 1 ms, so those are refused rather than misread.
  if (!(typeof ms === "number" && ((ms >= 0 && ms <= 0x7fffffff) || ms === Infinity))) {
    throw new RangeError(`withTimeout: ms must be a number from 0 to 2147483647, or Infinity; got ${String(ms)}`);
  }
  const outer = opts.signal;
  if (outer?.aborted) return Promise.reject(outer.reason);
  const controller = new AbortController();

  return new Promise<T>((resolve, reject) => {
    const stop = (reason: unknown): void => {
      // Clean up now, not when the work settles: work that ignores its signal may never settle,
      // and must not keep the outer signal's listener (or the timer) alive.
      cleanUp();
      controller.abort(reason); // cancel the work first, so it sees the reason we reject with
      reject(reason);
    };
    const onOuterAbort = (): void => stop(outer?.reason);
    const timer = ms === Infinity ? undefined : setTimeout(() => stop(new OperationTimeoutError(ms)), ms);
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    function cleanUp(): void {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    }

    // Promise.resolve().then(...) also turns a synchronous throw of `work` into a rejection.
    Promise.resolve()
      .then(() => work(controller.signal))
      .then(
        (value) => {
          cleanUp();
          resolve(value); // ignored if we already rejected on timeout
        },
        (error: unknown) => {
          cleanUp();
          reject(error); // likewise: a late rejection of cancelled work is swallowed here, not unhandled
        },
      );
  });
}
