/**
 * Python 3.11's `asyncio.TaskGroup` for promises: run jobs together, and on
 * the first failure cancel the others and wait for them before reporting.
 * `Promise.all` rejects at the first failure too, but it cannot cancel
 * anything: the other jobs run on, unobserved.
 */

/**
 * The rejection of {@link taskGroup}: every job failure (not the cancellations
 * the group caused), like Python's `ExceptionGroup`.
 *
 * @example
 * ```ts
 * import { taskGroup, TaskGroupError } from "concurrency-lab";
 * try { await taskGroup([async () => { throw new Error("bad"); }]); }
 * catch (e) { if (e instanceof TaskGroupError) console.log(e.errors.length); } // 1
 * ```
 */
export class TaskGroupError extends AggregateError {
  override readonly name = "TaskGroupError";
  constructor(errors: unknown[]) {
    super(errors, `${errors.length} job${errors.length === 1 ? "" : "s"} of the task group failed`);
  }
}

/**
 * Runs every `job(signal)` at once and resolves with their values in order,
 * like `Promise.all`. When one rejects, the group aborts `signal` (the shared
 * signal every job received), waits until every job has settled, and then
 * rejects with a {@link TaskGroupError} holding the failures (rejections
 * caused by the abort itself are left out). As in Python, cancellation only
 * reaches work that listens: a job must pass `signal` on to `fetch`, timers
 * and sub-jobs, or check it.
 *
 * @example
 * ```ts
 * import { taskGroup, sleep } from "concurrency-lab";
 * await taskGroup([
 *   (signal) => sleep(1000, { signal }),                 // aborted after 50 ms
 *   async () => { await sleep(50); throw new Error("x"); },
 * ]); // rejects after about 50 ms, once both have settled
 * ```
 */
export async function taskGroup<T>(
  jobs: readonly ((signal: AbortSignal) => Promise<T> | T)[],
): Promise<T[]> {
  if (!Array.isArray(jobs) || !jobs.every((j) => typeof j === "function")) {
    throw new TypeError("taskGroup: jobs must be an array of functions (signal) => Promise");
  }
  const controller = new AbortController();
  const failures: unknown[] = [];
  const running = jobs.map((job) =>
    Promise.resolve()
      .then(() => job(controller.signal))
      .catch((error: unknown) => {
        const causedByUs = controller.signal.aborted && isAbortOf(error, controller.signal);
        if (!causedByUs) {
          failures.push(error);
          controller.abort(error);
        }
        throw error;
      }),
  );
  const settled = await Promise.allSettled(running);
  if (failures.length > 0) throw new TaskGroupError(failures);
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** Whether `error` is the group's own abort reaching a job (its reason, or an AbortError). */
function isAbortOf(error: unknown, signal: AbortSignal): boolean {
  return error === signal.reason || (error instanceof Error && error.name === "AbortError");
}
