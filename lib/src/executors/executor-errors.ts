/**
 * The errors an executor adds to the ones a task throws by itself.
 * Each sets `name` to its class name, so `err.name === "CancelledError"` works
 * after the error travelled through a log or a notebook output.
 */

/**
 * The future was cancelled before it started: by `future.cancel()`, by
 * `shutdown({ cancelFutures: true })`, or by its AbortSignal while queued
 * (Python's `concurrent.futures.CancelledError`).
 *
 * @example
 * ```ts
 * try { await future; } catch (e) { if (e instanceof CancelledError) console.log("never ran"); }
 * ```
 */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
}

/**
 * A running task outlived its `timeoutMs`; its worker was stopped and replaced.
 *
 * @example
 * ```ts
 * await pool.submitWith({ timeoutMs: 100 }, tasks.blockingSleep, 5000).catch((e) => e instanceof TaskTimeoutError); // true
 * ```
 */
export class TaskTimeoutError extends Error {
  override readonly name = "TaskTimeoutError";
  constructor(readonly task: string, readonly timeoutMs: number, readonly lane: string) {
    super(`${task} ran longer than ${timeoutMs} ms on ${lane}: ${lane} was stopped and will be replaced`);
  }
}

/**
 * A running task's AbortSignal fired; its worker was stopped and replaced.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * const f = pool.submitWith({ signal: ac.signal }, tasks.blockingSleep, 5000);
 * setTimeout(() => ac.abort(), 50);
 * await f.catch((e) => e instanceof TaskAbortedError); // true
 * ```
 */
export class TaskAbortedError extends Error {
  override readonly name = "TaskAbortedError";
  constructor(readonly task: string, readonly lane: string, reason: unknown) {
    super(`${task} was aborted while running on ${lane} (${describeReason(reason)}): ${lane} was stopped and will be replaced`, {
      cause: reason,
    });
  }
}

/**
 * The worker thread or child process died while running the task
 * (`process.exit`, a crash, an uncaught asynchronous error, a kill).
 * The pool replaces it and keeps serving.
 *
 * @example
 * ```ts
 * const f = pool.submit(taskFrom("./exit.js", "exitWith3"));
 * await f.catch((e) => e instanceof WorkerCrashedError && e.exitCode); // 3
 * ```
 */
export class WorkerCrashedError extends Error {
  override readonly name = "WorkerCrashedError";
  constructor(
    readonly task: string,
    readonly lane: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null = null,
    cause?: unknown,
  ) {
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const why = cause instanceof Error ? ` (${cause.name}: ${cause.message})` : "";
    super(`${lane} ${how} while running ${task}${why}; the pool replaces it`, { cause });
  }
}

/**
 * `submit` or `map` was called after `shutdown()` (Python raises
 * `RuntimeError: cannot schedule new futures after shutdown`).
 *
 * @example
 * ```ts
 * await pool.shutdown();
 * await pool.submit(tasks.echo, 1).catch((e) => e.name); // "ExecutorShutdownError"
 * ```
 */
export class ExecutorShutdownError extends Error {
  override readonly name = "ExecutorShutdownError";
}

/**
 * `future.result()` or `future.exception()` was called before the future finished
 * (Python's `InvalidStateError`). Await the future instead.
 *
 * @example
 * ```ts
 * const f = pool.submit(tasks.blockingSleep, 100);
 * try { f.result(); } catch (e) { e instanceof InvalidStateError; } // true: still running
 * ```
 */
export class InvalidStateError extends Error {
  override readonly name = "InvalidStateError";
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return String(reason);
}
