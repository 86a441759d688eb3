import { CancelledError, InvalidStateError } from "./executor-errors";
import type { Span } from "../measure/timeline";

/** Where a future is in its life: queued, running, finished (value or error), or cancelled before it ran. */
export type FutureState = "pending" | "running" | "finished" | "cancelled";

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * The result of a task submitted to an executor, like Python's
 * `concurrent.futures.Future`, and also a promise: `await future` gives the
 * value or throws the task's error.
 *
 * Differences from a plain promise: `cancel()` succeeds only while the task is
 * still queued; `done`, `running`, `cancelled` can be read at any time; `result()`
 * reads a finished future synchronously; `span` tells which worker ran it and when.
 * An error nobody awaits stays silent (as in Python): it never becomes an
 * unhandled rejection.
 *
 * Futures are made by executors; user code only reads them.
 *
 * @example
 * ```ts
 * const f = pool.submit(tasks.isPrime, 97);
 * f.done;            // false
 * await f;           // true
 * f.span?.lane;      // "thread 3"
 * ```
 */
export class Future<R> implements PromiseLike<R> {
  /** The task's name, used in messages and timeline spans. */
  readonly label: string;
  #state: FutureState = "pending";
  #outcome: Outcome<R> | undefined;
  #span: Span | undefined;
  readonly #promise: Promise<R>;
  #resolve!: (value: R) => void;
  #reject!: (error: unknown) => void;
  readonly #onCancel: () => void;

  /**
   * @param label  the task's name
   * @param onCancel  called once when `cancel()` succeeds, so the executor drops the queued task
   */
  constructor(label: string, onCancel: () => void = () => {}) {
    this.label = label;
    this.#onCancel = onCancel;
    this.#promise = new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // An unretrieved error stays inside the future, as in Python: no unhandledRejection.
    this.#promise.catch(() => {});
  }

  /** "pending" (queued), "running", "finished" or "cancelled". */
  get state(): FutureState {
    return this.#state;
  }
  /** True once the task finished, failed or was cancelled. */
  get done(): boolean {
    return this.#state === "finished" || this.#state === "cancelled";
  }
  /** True while a worker owns the task (it can no longer be cancelled). */
  get running(): boolean {
    return this.#state === "running";
  }
  /** True if `cancel()` (or shutdown with `cancelFutures`) stopped it before it ran. */
  get cancelled(): boolean {
    return this.#state === "cancelled";
  }
  /** Who ran the task and when (lane "thread N" / "pid N"), once it finished or failed in a worker. */
  get span(): Span | undefined {
    return this.#span;
  }

  /**
   * Cancels the task if it has not started: returns true and rejects the future
   * with {@link CancelledError}. Returns false if it is running or finished
   * (as Python does: a running task cannot be interrupted this way; use a
   * per-task `signal` or `timeoutMs` for that).
   */
  cancel(reason = `${this.label} was cancelled before it started`): boolean {
    if (this.#state === "cancelled") return true;
    if (this.#state !== "pending") return false;
    this.#state = "cancelled";
    this.#outcome = { ok: false, error: new CancelledError(reason) };
    this.#onCancel();
    this.#reject(this.#outcome.error);
    return true;
  }

  /** The value of a finished future; throws its error. Throws {@link InvalidStateError} if not done yet. */
  result(): R {
    const outcome = this.#finishedOutcome("result");
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  /**
   * The error of a finished future, or undefined if it succeeded. Throws {@link InvalidStateError}
   * if not done yet, and (as in Python) throws the {@link CancelledError} of a cancelled one:
   * a cancelled task did not fail, it never ran.
   */
  exception(): unknown {
    const outcome = this.#finishedOutcome("exception");
    if (this.#state === "cancelled" && !outcome.ok) throw outcome.error;
    return outcome.ok ? undefined : outcome.error;
  }

  then<T1 = R, T2 = never>(
    onfulfilled?: ((value: R) => T1 | PromiseLike<T1>) | null,
    onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    return this.#promise.then(onfulfilled, onrejected);
  }

  catch<T = never>(onrejected?: ((reason: unknown) => T | PromiseLike<T>) | null): Promise<R | T> {
    return this.#promise.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<R> {
    return this.#promise.finally(onfinally);
  }

  /**
   * For executors: a worker took the task. Returns false if the future was
   * cancelled meanwhile (the task must then not run).
   * @internal
   */
  markRunning(): boolean {
    if (this.#state === "pending") this.#state = "running";
    return this.#state === "running";
  }

  /**
   * For executors: settles the future once (later calls are ignored).
   * @internal
   */
  settle(outcome: Outcome<R>, span?: Span): void {
    if (this.done) return;
    this.#state = "finished";
    this.#outcome = outcome;
    this.#span = span;
    if (outcome.ok) this.#resolve(outcome.value);
    else this.#reject(outcome.error);
  }

  #finishedOutcome(what: string): Outcome<R> {
    if (this.#outcome === undefined) {
      throw new InvalidStateError(`${what}() of ${this.label}: the future is ${this.#state}; await it first`);
    }
    return this.#outcome;
  }
}

/**
 * A finished future as {@link asCompleted} hands it out: the same object, typed
 * without `then`, because TypeScript types `for await` values as awaited
 * (it would claim the loop gets values). Read it with `result()` / `exception()`.
 */
export type DoneFuture<R> = Omit<Future<R>, "then" | "catch" | "finally">;

/**
 * Yields the futures in the order they finish (Python's `as_completed`).
 * It yields futures, not values, so one failure does not end the loop: read
 * each with `f.result()` (it is done) or `await f`.
 *
 * @example
 * ```ts
 * const fs = [3000, 1000, 2000].map((ms) => pool.submit(tasks.blockingSleep, ms));
 * for await (const f of asCompleted(fs)) console.log(f.label, f.span?.end); // 1000, 2000, 3000
 * ```
 */
export function asCompleted<R>(futures: Iterable<Future<R>>): AsyncIterableIterator<DoneFuture<R>> {
  // Written by hand, not as an async generator: `yield future` there would await
  // the future (it is a thenable) and hand out its value instead.
  const all = [...new Set(futures)];
  const finished: Future<R>[] = [];
  const waiting: ((result: IteratorResult<Future<R>, undefined>) => void)[] = [];
  let handedOut = 0;
  for (const f of all) {
    const arrive = () => {
      const next = waiting.shift();
      if (next !== undefined) next({ value: f, done: false });
      else finished.push(f);
    };
    f.then(arrive, arrive);
  }
  const iterator: AsyncIterableIterator<DoneFuture<R>> = {
    next(): Promise<IteratorResult<DoneFuture<R>, undefined>> {
      if (handedOut === all.length) return Promise.resolve({ value: undefined, done: true });
      handedOut++;
      const ready = finished.shift();
      if (ready !== undefined) return Promise.resolve({ value: ready, done: false });
      return new Promise((resolve) => waiting.push(resolve));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
